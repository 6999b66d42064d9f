/// One Magma transaction, as `GET /v1/transactions` or `export-csv` gives it.
///
/// The field list is this project's working assumption about Magma's transaction object (see
/// `reference/magma-api.md`); `MagmaTransactionColumns` and the HTTP adapter are the only places that
/// know how it is spelled on the wire.
public struct MagmaTransaction: Sendable, Hashable {
  public var id: String
  public var type: String
  public var status: String
  public var amount: ExactDecimal
  public var currency: String
  public var network: String
  public var organizationId: String
  public var recipientId: String
  public var destinationAddress: String
  public var txHash: String
  public var fee: ExactDecimal?
  public var memo: String
  public var invoiceNumber: String
  public var createdAt: String
  public var updatedAt: String
  public var completedAt: String
  /// The spreadsheet row it came from, when read from a file.
  public var sourceRow: Int?

  public init(
    id: String, type: String, status: String, amount: ExactDecimal, currency: String, network: String,
    organizationId: String = "", recipientId: String = "", destinationAddress: String, txHash: String = "",
    fee: ExactDecimal? = nil, memo: String = "", invoiceNumber: String = "", createdAt: String,
    updatedAt: String = "", completedAt: String = "", sourceRow: Int? = nil
  ) {
    self.id = id
    self.type = type
    self.status = status
    self.amount = amount
    self.currency = currency
    self.network = network
    self.organizationId = organizationId
    self.recipientId = recipientId
    self.destinationAddress = destinationAddress
    self.txHash = txHash
    self.fee = fee
    self.memo = memo
    self.invoiceNumber = invoiceNumber
    self.createdAt = createdAt
    self.updatedAt = updatedAt
    self.completedAt = completedAt
    self.sourceRow = sourceRow
  }

  /// How a status counts for reconciliation.
  public enum StatusClass: String, Sendable, Hashable {
    /// `completed`: the money moved.
    case completed
    /// `created`, `pending`, `processing`, `under_review`, `action_required`: may still move.
    case inFlight
    /// `failed`, `returned`, `expired`, `canceled`/`cancelled`: did not move (or came back).
    case failed
    /// Any other status: allot does not guess, the payout goes to review.
    case unknown
  }

  public var statusClass: StatusClass { Self.statusClass(status) }

  public static func statusClass(_ status: String) -> StatusClass {
    if status == "completed" { return .completed }
    switch AsciiText.lowercased(status) {
    case "completed": return .completed
    case "created", "pending", "processing", "under_review", "action_required": return .inFlight
    case "failed", "returned", "expired", "canceled", "cancelled": return .failed
    default: return .unknown
    }
  }

  /// True for fees, deposits and conversions (`fee`, `deposit_fiat`, `deposit_crypto`,
  /// `crypto_conversion`): they never pay an expected payout. Every other type, including an empty
  /// one, is treated as a payout.
  public var isNonPayout: Bool { Self.isNonPayout(type: type) }

  public static func isNonPayout(type: String) -> Bool {
    switch type {
    case "payout_crypto", "payout_fiat", "": return false
    case "fee", "deposit_fiat", "deposit_crypto", "crypto_conversion": return true
    default:
      let t = AsciiText.lowercased(type)
      return t == "fee" || t.hasPrefix("deposit") || t.hasSuffix("conversion") || t.hasPrefix("conversion")
    }
  }

  /// The time used for ordering and windows: `completedAt`, else `createdAt`, in seconds since 1970.
  public var activitySeconds: Int64? {
    if !completedAt.isEmpty, let s = Timestamp.seconds(completedAt) { return s }
    return Timestamp.seconds(createdAt)
  }
}

/// ASCII-only text helpers (no Foundation).
public enum AsciiText {
  // The checks read each text's bytes in place (`TextScan.withBytes`): iterating a `String`'s UTF-8
  // view a byte at a time cost more than the rest of each check.

  public static func lowercased(_ s: String) -> String {
    let needs = TextScan.withBytes(s) { u in u.contains { $0 >= 65 && $0 <= 90 } }
    if !needs { return s }
    return String(decoding: s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
  }

  public static func uppercased(_ s: String) -> String {
    let needs = TextScan.withBytes(s) { u in u.contains { $0 >= 97 && $0 <= 122 } }
    if !needs { return s }
    return String(decoding: s.utf8.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
  }

  /// Case-insensitive ASCII equality.
  public static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    return TextScan.withBytes(a) { x in TextScan.withBytes(b) { y in equalsIgnoringCase(x, y) } }
  }

  /// Case-insensitive ASCII equality of two byte strings.
  public static func equalsIgnoringCase(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>)
    -> Bool
  {
    guard x.count == y.count else { return false }
    for k in 0..<x.count {
      let a = x[k]
      let b = y[k]
      if a == b { continue }
      let la = a >= 65 && a <= 90 ? a + 32 : a
      let lb = b >= 65 && b <= 90 ? b + 32 : b
      if la != lb { return false }
    }
    return true
  }

  /// Byte-for-byte equality, eight bytes at a time.
  public static func sameBytes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = x.count
    guard n == y.count else { return false }
    guard n > 0, let xb = x.baseAddress, let yb = y.baseAddress else { return true }
    let a = UnsafeRawPointer(xb)
    let b = UnsafeRawPointer(yb)
    var i = 0
    while i + 8 <= n {
      if SWARBytes.load(a, i) != SWARBytes.load(b, i) { return false }
      i += 8
    }
    while i < n {
      if xb[i] != yb[i] { return false }
      i += 1
    }
    return true
  }

  /// Trims ASCII spaces, tabs, CR and LF at both ends.
  public static func trimmed(_ s: String) -> String {
    let u = s.utf8
    guard let f = u.first, let l = u.last else { return s }
    func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
    if !isSpace(f) && !isSpace(l) { return s }
    let bytes = Array(u)
    var a = 0
    var b = bytes.count
    while a < b && isSpace(bytes[a]) { a += 1 }
    while b > a && isSpace(bytes[b - 1]) { b -= 1 }
    return String(decoding: bytes[a..<b], as: UTF8.self)
  }
}
