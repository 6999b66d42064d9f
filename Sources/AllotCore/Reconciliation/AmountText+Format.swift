extension ExactDecimal {
  /// The same text as `description` (scale kept), built without 128-bit division when the significand
  /// fits 64 bits: reports print millions of amounts.
  public var plainText: String {
    let m = significand.magnitude
    guard m <= UInt128(UInt64.max) else { return description }
    var v = UInt64(m)
    var buf = [UInt8](repeating: 0, count: 48)
    var i = buf.count
    var written = 0
    repeat {
      i -= 1
      buf[i] = UInt8(truncatingIfNeeded: v % 10) + 48
      v /= 10
      written += 1
      if written == scale {
        i -= 1
        buf[i] = UInt8(ascii: ".")
      }
    } while v > 0 || written < scale + 1
    if buf[i] == UInt8(ascii: ".") {
      i -= 1
      buf[i] = 48
    }
    if significand < 0 {
      i -= 1
      buf[i] = UInt8(ascii: "-")
    }
    return String(decoding: buf[i...], as: UTF8.self)
  }
}
