/// A valid row made ready to be staged: its request body and what the database keeps beside it
/// (fingerprint, reference, token, wallet), in ONE buffer, so that handing it from thread to thread
/// moves one reference instead of a request's dozen strings.
///
/// Layout of `storage`: body, fingerprint (64 hex digits of SHA-256), reference, tokenId, walletAddress.
public struct PreparedRow: Sendable {
  public let storage: [UInt8]
  let bodyEnd: Int32
  let fingerprintEnd: Int32
  let referenceEnd: Int32
  let tokenEnd: Int32
  /// -1 when the request has no wallet address.
  let walletEnd: Int32

  /// Prepares `request`, with `reference` (see `RowReference`) as the row's reference.
  public init(_ request: AllocationRequest, reference: String) {
    var out = request.jsonBody()
    let bodyCount = out.count
    let hasReference =
      request.customAttributes?.contains { $0.key == AllocationRequest.referenceAttributeKey } ?? false
    out.reserveCapacity(bodyCount + 64 + 32 + 40 + 48)
    if hasReference {
      out.append(contentsOf: request.fingerprint().utf8)
    } else {
      let digest = out.withUnsafeBytes { SHA256.hash($0) }
      Hex.append(digest, to: &out)
    }
    let fingerprintEnd = out.count
    out.append(contentsOf: reference.utf8)
    let referenceEnd = out.count
    out.append(contentsOf: request.tokenId.utf8)
    let tokenEnd = out.count
    if let wallet = request.walletAddress {
      out.append(contentsOf: wallet.utf8)
      walletEnd = Int32(out.count)
    } else {
      walletEnd = -1
    }
    storage = out
    self.bodyEnd = Int32(bodyCount)
    self.fingerprintEnd = Int32(fingerprintEnd)
    self.referenceEnd = Int32(referenceEnd)
    self.tokenEnd = Int32(tokenEnd)
  }

  /// A row prepared elsewhere, from its parts.
  public init(body: [UInt8], fingerprint: String, reference: String, tokenId: String, walletAddress: String?)
  {
    var out = body
    out.append(contentsOf: fingerprint.utf8)
    let fingerprintEnd = out.count
    out.append(contentsOf: reference.utf8)
    let referenceEnd = out.count
    out.append(contentsOf: tokenId.utf8)
    let tokenEnd = out.count
    if let walletAddress { out.append(contentsOf: walletAddress.utf8) }
    storage = out
    bodyEnd = Int32(body.count)
    self.fingerprintEnd = Int32(fingerprintEnd)
    self.referenceEnd = Int32(referenceEnd)
    self.tokenEnd = Int32(tokenEnd)
    walletEnd = walletAddress == nil ? -1 : Int32(out.count)
  }

  /// The ranges of each part in `storage`.
  public var body: Range<Int> { 0..<Int(bodyEnd) }
  public var fingerprint: Range<Int> { Int(bodyEnd)..<Int(fingerprintEnd) }
  public var reference: Range<Int> { Int(fingerprintEnd)..<Int(referenceEnd) }
  public var tokenId: Range<Int> { Int(referenceEnd)..<Int(tokenEnd) }
  public var walletAddress: Range<Int>? { walletEnd < 0 ? nil : Int(tokenEnd)..<Int(walletEnd) }

  /// The text of one of the ranges above.
  public func text(_ range: Range<Int>) -> String { String(decoding: storage[range], as: UTF8.self) }
}
