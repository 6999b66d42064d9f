/// Byte-wise tests on 64-bit words (SWAR: eight bytes tested at once in a register), for the fast paths
/// of the validators, the reconciliation keys and the report writers. Each test is exact for every byte
/// value: a range test adds a constant to the low seven bits of each byte, which never carries into the
/// next byte, and the high bits are handled apart.
public enum SWARBytes {
  /// 0x01 in every byte.
  public static let ones: UInt64 = 0x0101_0101_0101_0101
  /// 0x80 in every byte.
  public static let highs: UInt64 = 0x8080_8080_8080_8080

  /// The eight bytes at `offset` of `raw`, first byte lowest.
  @inlinable
  public static func load(_ raw: UnsafeRawPointer, _ offset: Int) -> UInt64 {
    UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }

  /// Bytes `from..<to` of `raw` (one to seven of them) as one word, first byte lowest. When the buffer
  /// holds eight bytes or more, the eight that end it are loaded and shifted down, without a branch on
  /// the count (which varies from value to value and would be mispredicted).
  @inlinable @inline(__always)
  public static func tail(_ raw: UnsafeRawPointer, from: Int, to n: Int) -> UInt64 {
    if n >= 8 { return load(raw, n - 8) >> UInt64(8 * (8 - (n - from))) }
    var i = from
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    if (n - i) & 4 != 0 {
      tail = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
      i += 4
      shift = 32
    }
    if (n - i) & 2 != 0 {
      tail |= UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt16.self))) << shift
      i += 2
      shift += 16
    }
    if i < n { tail |= UInt64(raw.load(fromByteOffset: i, as: UInt8.self)) << shift }
    return tail
  }

  /// True when one of the bytes of `w` is zero.
  @inlinable
  public static func hasZero(_ w: UInt64) -> Bool { (w &- ones) & ~w & highs != 0 }

  /// True when one of the bytes of `w` is `b`.
  @inlinable
  public static func has(_ w: UInt64, _ b: UInt8) -> Bool { hasZero(w ^ (ones &* UInt64(b))) }

  /// True when one of the bytes of `w` is less than `n` (`n` at most 128).
  @inlinable
  public static func hasLess(_ w: UInt64, than n: UInt8) -> Bool {
    (w &- ones &* UInt64(n)) & ~w & highs != 0
  }

  /// The high bit of each byte of `w` set when the byte is in `lo...hi` (both at most 0x7F).
  @inlinable
  public static func inRange(_ w: UInt64, _ lo: UInt64, _ hi: UInt64) -> UInt64 {
    let v = w & ~highs
    let atLeastLo = v &+ ones &* (0x80 - lo)
    let aboveHi = v &+ ones &* (0x7F - hi)
    return atLeastLo & ~aboveHi & ~w & highs
  }

  /// For each byte of `w`, its high bit set in `hex` when the byte is a hex digit (`0-9`, `a-f`,
  /// `A-F`), and in `capital` when it is a capital `A-F`.
  @inlinable
  public static func hexDigits(_ w: UInt64) -> (hex: UInt64, capital: UInt64) {
    let capital = inRange(w, 0x41, 0x46)
    return (inRange(w, 0x30, 0x39) | inRange(w, 0x61, 0x66) | capital, capital)
  }

  /// `w` with its ASCII capitals made lower case (other bytes unchanged).
  @inlinable
  public static func lowercasedASCII(_ w: UInt64) -> UInt64 {
    w | (inRange(w, 0x41, 0x5A) >> 2)
  }
}
