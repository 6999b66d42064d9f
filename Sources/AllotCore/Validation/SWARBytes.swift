/// Constants of byte-wise tests on 64-bit words (SWAR: eight bytes tested at once in a register).
enum SWARBytes {
  /// 0x01 in every byte.
  static let ones: UInt64 = 0x0101_0101_0101_0101
  /// 0x80 in every byte.
  static let highs: UInt64 = 0x8080_8080_8080_8080
}
