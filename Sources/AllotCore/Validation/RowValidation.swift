/// The result of validating one data row.
public struct RowValidation: Sendable {
  /// The row number the user sees.
  public var rowNumber: Int
  /// The request to send; nil when the row has an error (its own, or a file-level one).
  public var allocation: AllocationRequest?
  /// The row's issues: cell issues in column order, then whole-row issues.
  public var issues: [Issue]
  /// Identifies the request body for duplicate detection within a file (nil when there is no body).
  public var duplicateKey: UInt64?
  /// True for a blank row, which is not a data row and is skipped.
  public var isBlank: Bool

  public init(
    rowNumber: Int, allocation: AllocationRequest?, issues: [Issue], duplicateKey: UInt64? = nil,
    isBlank: Bool = false
  ) {
    self.rowNumber = rowNumber
    self.allocation = allocation
    self.issues = issues
    self.duplicateKey = duplicateKey
    self.isBlank = isBlank
  }

  public var isValid: Bool { allocation != nil }
}

/// A fast, well-mixed 64-bit hash of bytes for duplicate detection of request bodies (not
/// cryptographic: `AllocationRequest.fingerprint()` is the SHA-256 kept in the database). Two chained
/// 64-bit lanes over 8-byte words, folded with a MurmurHash3 finaliser; a false "duplicate" needs a
/// 64-bit collision (about 1 in 3·10^7 for a file of a million distinct rows).
enum BodyHash {
  static func hash(_ bytes: [UInt8]) -> UInt64 {
    bytes.withUnsafeBytes { raw -> UInt64 in
      var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(raw.count)
      var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
      var i = 0
      let n = raw.count
      while i + 8 <= n {
        let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        a = rotl((a ^ w) &* 0x87C3_7B91_1142_53D5, 31)
        b = rotl((b ^ w) &* 0x4CF5_AD43_2745_937F, 29) &+ a
        i += 8
      }
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while i < n {
        tail |= UInt64(raw[i]) << shift
        shift += 8
        i += 1
      }
      a = rotl((a ^ tail) &* 0x87C3_7B91_1142_53D5, 31)
      b = rotl((b ^ tail) &* 0x4CF5_AD43_2745_937F, 29) &+ a
      return fmix(a) ^ fmix(b &+ 0x1656_67B1_9E37_79F9)
    }
  }

  @inline(__always)
  private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

  @inline(__always)
  private static func fmix(_ k: UInt64) -> UInt64 {
    var k = k
    k ^= k >> 33
    k &*= 0xFF51_AFD7_ED55_8CCD
    k ^= k >> 33
    k &*= 0xC4CE_B9FE_1A85_EC53
    k ^= k >> 33
    return k
  }
}
