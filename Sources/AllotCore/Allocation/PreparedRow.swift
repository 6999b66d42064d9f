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

  /// Room for what follows the body: fingerprint, reference, token and wallet address.
  static let trailer = 64 + 48 + 40 + 48

  /// Prepares `request` for row `row` of `batch` (its reference drawn with `random`).
  public init(_ request: AllocationRequest, batch: Int64, row: Int, random: UInt64) {
    var out = request.jsonBody()
    let bodyCount = out.count
    let hasReference =
      request.customAttributes?.contains { $0.key == AllocationRequest.referenceAttributeKey } ?? false
    out.reserveCapacity(bodyCount + Self.trailer)
    if hasReference {
      out.append(contentsOf: request.fingerprint().utf8)
    } else {
      Self.appendFingerprint(of: bodyCount, to: &out)
    }
    let fingerprintEnd = out.count
    RowReference.append(batch: batch, row: row, random: random, to: &out)
    let referenceEnd = out.count
    out.append(contentsOf: request.tokenId.utf8)
    let tokenEnd = out.count
    if let wallet = request.walletAddress { out.append(contentsOf: wallet.utf8) }
    self.init(
      storage: out, bodyEnd: bodyCount, fingerprintEnd: fingerprintEnd, referenceEnd: referenceEnd,
      tokenEnd: tokenEnd, hasWallet: request.walletAddress != nil)
  }

  /// Prepares a body written from a row's bytes (`AllocationValidator.prepareWithoutRequest`) for row
  /// `row` of `batch` (its reference drawn with `random`). The body's buffer becomes the row's.
  public init(_ body: consuming ByteBody, batch: Int64, row: Int, random: UInt64) {
    var out: [UInt8] = []
    swap(&out, &body.bytes)
    let digest = out.withUnsafeBytes { SHA256.hash($0) }
    self.init(body: body, storage: consume out, digest: digest, batch: batch, row: row, random: random)
  }

  /// Two rows prepared as by `init(_:batch:row:random:)`, their fingerprints hashed together
  /// (`SHA256.hashPair`: faster than one after the other).
  public static func pair(
    _ a: consuming ByteBody, row rowA: Int, random randomA: UInt64,
    _ b: consuming ByteBody, row rowB: Int, random randomB: UInt64, batch: Int64
  ) -> (PreparedRow, PreparedRow) {
    var outA: [UInt8] = []
    var outB: [UInt8] = []
    swap(&outA, &a.bytes)
    swap(&outB, &b.bytes)
    let (digestA, digestB) = outA.withUnsafeBytes { ra in
      outB.withUnsafeBytes { rb in SHA256.hashPair(ra, rb) }
    }
    return (
      PreparedRow(body: a, storage: consume outA, digest: digestA, batch: batch, row: rowA, random: randomA),
      PreparedRow(body: b, storage: consume outB, digest: digestB, batch: batch, row: rowB, random: randomB)
    )
  }

  /// `out` (the body's bytes, taken from `body`) followed by the fingerprint (`digest` in hex), the
  /// reference, the token and the wallet address.
  private init(
    body: borrowing ByteBody, storage: consuming [UInt8], digest: [UInt8], batch: Int64, row: Int,
    random: UInt64
  ) {
    var out = consume storage
    let bodyCount = out.count
    out.reserveCapacity(bodyCount + Self.trailer)
    Hex.append(digest, to: &out)
    let fingerprintEnd = out.count
    RowReference.append(batch: batch, row: row, random: random, to: &out)
    let referenceEnd = out.count
    for i in body.tokenId { out.append(out[i]) }
    let tokenEnd = out.count
    if let wallet = body.walletAddress {
      for i in wallet { out.append(out[i]) }
    }
    self.init(
      storage: out, bodyEnd: bodyCount, fingerprintEnd: fingerprintEnd, referenceEnd: referenceEnd,
      tokenEnd: tokenEnd, hasWallet: body.walletAddress != nil)
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
    self.init(
      storage: out, bodyEnd: body.count, fingerprintEnd: fingerprintEnd, referenceEnd: referenceEnd,
      tokenEnd: tokenEnd, hasWallet: walletAddress != nil)
  }

  private init(
    storage: [UInt8], bodyEnd: Int, fingerprintEnd: Int, referenceEnd: Int, tokenEnd: Int, hasWallet: Bool
  ) {
    self.storage = storage
    self.bodyEnd = Int32(bodyEnd)
    self.fingerprintEnd = Int32(fingerprintEnd)
    self.referenceEnd = Int32(referenceEnd)
    self.tokenEnd = Int32(tokenEnd)
    walletEnd = hasWallet ? Int32(storage.count) : -1
  }

  /// Appends the SHA-256 (hex) of the first `count` bytes of `out`: the body.
  private static func appendFingerprint(of count: Int, to out: inout [UInt8]) {
    let digest = out.withUnsafeBytes { SHA256.hash(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    Hex.append(digest, to: &out)
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
