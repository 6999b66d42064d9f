/// Tests on eight bytes at a time (SWAR), for the fast paths of the report writers: a run of bytes
/// that needs no escaping or quoting is skipped a word at a time instead of a byte at a time.
enum ByteScan {
  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let highs: UInt64 = 0x8080_8080_8080_8080

  /// The eight bytes at `p + i` (in memory order; the tests below do not depend on it).
  @inline(__always)
  static func word(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
    UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
  }

  /// True when one of the bytes of `w` is zero.
  @inline(__always)
  static func hasZero(_ w: UInt64) -> Bool { (w &- ones) & ~w & highs != 0 }

  /// True when one of the bytes of `w` is `b`.
  @inline(__always)
  static func has(_ w: UInt64, _ b: UInt8) -> Bool { hasZero(w ^ (ones &* UInt64(b))) }

  /// True when one of the bytes of `w` is less than `n` (`n` at most 128).
  @inline(__always)
  static func hasLess(_ w: UInt64, than n: UInt8) -> Bool { (w &- ones &* UInt64(n)) & ~w & highs != 0 }
}
