/// The result of validating one data row.
public struct RowValidation: Sendable {
  /// The row number the user sees.
  public var rowNumber: Int
  /// The request to send; nil when the row has an error (its own, or a file-level one).
  public var allocation: AllocationRequest? {
    get { request?.value }
    set { request = newValue.map(RequestBox.init) }
  }
  /// The request, boxed: a result is copied from thread to thread and through the merge, and a request
  /// inline is some 300 bytes and a dozen strings to retain on every copy.
  private var request: RequestBox?
  /// The row's issues: cell issues in column order, then whole-row issues.
  public var issues: [Issue]
  /// Identifies the request body for duplicate detection within a file (nil when there is no body).
  public var duplicateKey: UInt64?
  /// True for a blank row, which is not a data row and is skipped.
  public var isBlank: Bool
  /// True for a valid row checked without building its request
  /// (`AllocationValidator.validateWithoutRequest`).
  public var validWithoutRequest: Bool
  /// A valid row's body and what is staged with it, built where it was validated (`allot import`),
  /// in place of `allocation`.
  public var prepared: PreparedRow?

  public init(
    rowNumber: Int, allocation: AllocationRequest?, issues: [Issue], duplicateKey: UInt64? = nil,
    isBlank: Bool = false, validWithoutRequest: Bool = false
  ) {
    self.rowNumber = rowNumber
    self.request = allocation.map(RequestBox.init)
    self.issues = issues
    self.duplicateKey = duplicateKey
    self.isBlank = isBlank
    self.validWithoutRequest = validWithoutRequest
  }

  /// True when the row can be sent.
  public var isValid: Bool { request != nil || validWithoutRequest || prepared != nil }
}

/// An immutable request shared by the copies of one result.
private final class RequestBox: Sendable {
  let value: AllocationRequest
  init(_ value: AllocationRequest) { self.value = value }
}

/// A fast, well-mixed 64-bit hash of a request for duplicate detection within a file (not
/// cryptographic: `AllocationRequest.fingerprint()` is the SHA-256 kept in the database). Two 64-bit
/// lanes over 8-byte words (values in the lane of their tag's parity, so that consecutive fields hash
/// side by side; absent values and counts chained through both), folded with a MurmurHash3 finaliser; a
/// false "duplicate" needs a 64-bit collision (about 1 in 3·10^7 for a file of a million distinct rows).
enum BodyHash {
  /// The duplicate key of a request and an upper bound of its body size, without writing the body.
  ///
  /// Hashes every field in body order, each tagged and length-prefixed (absent fields tagged too), so
  /// two requests get the same key exactly when their bodies (`jsonBody`) are equal, up to 64-bit
  /// collisions. The bound assumes every byte needs a 6-byte `\u00XX` escape.
  static func key(_ r: AllocationRequest) -> (UInt64, Int) {
    var h = Streaming()
    h.add(1, r.amount)
    h.add(2, r.contractId)
    h.add(3, r.tokenId)
    h.add(4, r.category)
    h.add(5, r.stakeholder.name)
    h.add(6, r.stakeholder.email)
    h.add(7, r.stakeholder.xHandle)
    h.add(8, r.stakeholder.employeeNumber)
    h.add(9, r.description)
    h.add(10, r.unlockScheduleId)
    h.add(11, r.unlockStartAt)
    h.add(12, r.vestingScheduleId)
    h.add(13, r.vestingStartAt)
    h.add(14, r.releaseMode)
    h.add(15, r.receivedOffMagna)
    h.word(16 << 8 | UInt64(r.cancellable.map { $0 ? 1 : 2 } ?? 0))
    var fixed = 400
    if let attributes = r.customAttributes?.filter({ $0.key != AllocationRequest.referenceAttributeKey }) {
      h.word(17 << 8 | UInt64(attributes.count))
      for a in attributes {
        h.add(18, a.key)
        h.add(19, a.value)
        fixed += 24
      }
    } else {
      h.word(17 << 8 | 0xFF)
    }
    h.add(20, r.walletAddress)
    return (h.finish(), fixed + 6 * h.bytes)
  }

  struct Streaming {
    var a: UInt64 = 0x9E37_79B9_7F4A_7C15
    var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    var bytes = 0

    @inline(__always)
    mutating func word(_ w: UInt64) {
      a = rotl((a ^ w) &* 0x87C3_7B91_1142_53D5, 31)
      b = rotl((b ^ w) &* 0x4CF5_AD43_2745_937F, 29) &+ a
    }

    mutating func add(_ tag: UInt64, _ s: String?) {
      guard let s else {
        word(tag << 56 | 0xFF_FFFF)
        return
      }
      TextScan.withBytes(s) { add(tag, $0) }
    }

    /// The same as `add(_:_:)` for a string whose UTF-8 bytes these are.
    ///
    /// A value goes into one lane, by its tag's parity, so the values of consecutive fields hash side by
    /// side (two independent chains) instead of one after the other.
    mutating func add(_ tag: UInt64, _ buffer: UnsafeBufferPointer<UInt8>?) {
      guard let buffer else {
        word(tag << 56 | 0xFF_FFFF)
        return
      }
      bytes += buffer.count
      if tag & 1 == 0 {
        a = Self.lane(a, 0x87C3_7B91_1142_53D5, tag, buffer)
      } else {
        b = Self.lane(b, 0x4CF5_AD43_2745_937F, tag, buffer)
      }
    }

    /// `x` after the tag, the length and the bytes of a value, eight bytes at a time (the last 1–7 bytes
    /// as one little-endian word, byte k at bits 8k).
    @inline(__always)
    static func lane(_ x: UInt64, _ k: UInt64, _ tag: UInt64, _ buffer: UnsafeBufferPointer<UInt8>) -> UInt64
    {
      let n = buffer.count
      var x = rotl((x ^ (tag << 56 | UInt64(n))) &* k, 31)
      guard let base = buffer.baseAddress else { return x }
      let raw = UnsafeRawPointer(base)
      var i = 0
      while i + 8 <= n {
        x = rotl((x ^ SWARBytes.load(raw, i)) &* k, 31)
        i += 8
      }
      if i < n { x = rotl((x ^ SWARBytes.tail(raw, from: i, to: n)) &* k, 31) }
      return x
    }

    func finish() -> UInt64 { BodyHash.fmix(a) ^ BodyHash.fmix(b &+ 0x1656_67B1_9E37_79F9) }
  }

  @inline(__always)
  static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

  @inline(__always)
  static func fmix(_ k: UInt64) -> UInt64 {
    var k = k
    k ^= k >> 33
    k &*= 0xFF51_AFD7_ED55_8CCD
    k ^= k >> 33
    k &*= 0xC4CE_B9FE_1A85_EC53
    k ^= k >> 33
    return k
  }
}
