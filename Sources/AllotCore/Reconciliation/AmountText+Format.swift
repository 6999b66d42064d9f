extension ExactDecimal {
  /// The same text as `description` (scale kept), built without 128-bit division when the significand
  /// fits 64 bits: reports print millions of amounts.
  public var plainText: String {
    withPlainTextUTF8 { String(decoding: $0, as: UTF8.self) } ?? description
  }

  /// Calls `body` with the UTF-8 of `plainText`, written on the stack (report writers append it to
  /// their buffers); nil when the significand does not fit 64 bits (then use `description`).
  @inlinable
  public func withPlainTextUTF8<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R? {
    let m = significand.magnitude
    guard m <= UInt128(UInt64.max) else { return nil }
    var v = UInt64(m)
    let scale = self.scale
    let negative = significand < 0
    var tmp: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    return withUnsafeMutableBytes(of: &tmp) { buf in
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
      if negative {
        i -= 1
        buf[i] = UInt8(ascii: "-")
      }
      return body(UnsafeRawBufferPointer(rebasing: buf[i...]))
    }
  }
}
