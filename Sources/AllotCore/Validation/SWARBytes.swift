/// Byte-wise tests on 64-bit words (SWAR: eight bytes tested at once in a register). Each test is exact
/// for every byte value: a range test adds a constant to the low seven bits of each byte, which never
/// carries into the next byte, and the high bits are handled apart.
enum SWARBytes {
  /// 0x01 in every byte.
  static let ones: UInt64 = 0x0101_0101_0101_0101
  /// 0x80 in every byte.
  static let highs: UInt64 = 0x8080_8080_8080_8080

  /// The high bit of each byte of `w` set when the byte is in `lo...hi` (both at most 0x7F).
  @inline(__always)
  static func inRange(_ w: UInt64, _ lo: UInt64, _ hi: UInt64) -> UInt64 {
    let v = w & ~highs
    let atLeastLo = v &+ ones &* (0x80 - lo)
    let aboveHi = v &+ ones &* (0x7F - hi)
    return atLeastLo & ~aboveHi & ~w & highs
  }

  /// For each byte of `w`, its high bit set in `hex` when the byte is a hex digit (`0-9`, `a-f`,
  /// `A-F`), and in `capital` when it is a capital `A-F`.
  @inline(__always)
  static func hexDigits(_ w: UInt64) -> (hex: UInt64, capital: UInt64) {
    let capital = inRange(w, 0x41, 0x46)
    return (inRange(w, 0x30, 0x39) | inRange(w, 0x61, 0x66) | capital, capital)
  }

  /// `w` with its ASCII capitals made lower case (other bytes unchanged).
  @inline(__always)
  static func lowercasedASCII(_ w: UInt64) -> UInt64 {
    w | (inRange(w, 0x41, 0x5A) >> 2)
  }

  /// The eight bytes at `offset` of `raw`, first byte lowest.
  @inline(__always)
  static func load(_ raw: UnsafeRawPointer, _ offset: Int) -> UInt64 {
    UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }
}
