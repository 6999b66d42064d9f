import CAllotKernels

/// Byte searches sixteen bytes at a time (SSE2, in `CAllotKernels`; byte by byte on other CPUs), for
/// the CSV scanner and the report escapers. Swift's `SIMD16<UInt8>` compares lane by lane on this
/// toolchain, so the vector code is C, inlined here through the C module.
public enum ByteScan {
  /// The masks of a 64-byte block of CSV: bit k of `ends` set when byte k is the delimiter, LF, CR or
  /// NUL; bit k of `quotes` when it is `"` or NUL.
  public struct CSVMasks: Sendable, Equatable {
    public var ends: UInt64
    public var quotes: UInt64

    @inlinable
    public init(ends: UInt64, quotes: UInt64) {
      self.ends = ends
      self.quotes = quotes
    }
  }

  /// The masks of the bytes `at..<at + 64` of `base`, or of `at..<count` when fewer remain (the
  /// missing bits clear).
  @inlinable @inline(__always)
  public static func csvMasks(
    _ base: UnsafePointer<UInt8>, at: Int, count: Int, delimiter: UInt8
  ) -> CSVMasks {
    let m =
      at + 64 <= count
      ? allot_csv_masks64(base + at, delimiter)
      : allot_csv_masks_tail(base + at, count - at, delimiter)
    return CSVMasks(ends: m.ends, quotes: m.quotes)
  }

  /// The masks of the bytes `at..<at + 64` of `base` (or of `at..<count`) for finding record
  /// boundaries: bit k of `ends` set when byte k is LF or CR, of `quotes` when it is `"`.
  @inlinable @inline(__always)
  public static func lineMasks(_ base: UnsafePointer<UInt8>, at: Int, count: Int) -> CSVMasks {
    let m = at + 64 <= count ? allot_line_masks64(base + at) : allot_line_masks_tail(base + at, count - at)
    return CSVMasks(ends: m.ends, quotes: m.quotes)
  }

  /// The index of the first byte of `u` that makes a CSV cell need quotes (`,` `"` LF CR), or
  /// `u.count`.
  @inlinable @inline(__always)
  public static func firstCSVQuotable(_ u: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = u.baseAddress else { return 0 }
    return allot_first_csv_quotable(base, u.count)
  }

  /// The index of the first `byte` in `u`, or `u.count`.
  @inlinable @inline(__always)
  public static func first(_ byte: UInt8, in u: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = u.baseAddress else { return 0 }
    return allot_first_byte(base, u.count, byte)
  }

  /// The index of the first byte of `u` that a JSON string literal may have to escape (below 0x20,
  /// `"`, `\`, `<`, or 0xE2, the lead byte of U+2028 and U+2029), or `u.count`.
  @inlinable @inline(__always)
  public static func firstJSONSpecial(_ u: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = u.baseAddress else { return 0 }
    return allot_first_json_special(base, u.count)
  }

  /// True when every byte of `u` is below 0x80.
  @inlinable @inline(__always)
  public static func isASCII(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = u.baseAddress else { return true }
    return allot_is_ascii(base, u.count) != 0
  }
}
