/// Lower-case hexadecimal text of bytes.
public enum Hex {
  public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var out = [UInt8]()
    append(Array(bytes), to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the lower-case hex digits of `bytes` to `out` (one append of the whole text).
  public static func append(_ bytes: [UInt8], to out: inout [UInt8]) {
    let n = bytes.count * 2
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, n)) { text in
      let table: StaticString = "0123456789abcdef"
      let hex = table.utf8Start
      for (i, b) in bytes.enumerated() {
        text[2 * i] = hex[Int(b >> 4)]
        text[2 * i + 1] = hex[Int(b & 0x0f)]
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<n]))
    }
  }

  /// The value of one hex digit (either case), or nil.
  @inline(__always)
  public static func value(_ u: UInt8) -> UInt8? {
    switch u {
    case 48...57: return u &- 48
    case 65...70: return u &- 55
    case 97...102: return u &- 87
    default: return nil
    }
  }

  /// Bytes of an even-length hex string (either case); nil for anything else.
  public static func decode<S: StringProtocol>(_ text: S) -> [UInt8]? {
    let utf8 = Array(text.utf8)
    guard utf8.count % 2 == 0 else { return nil }
    var out = [UInt8]()
    out.reserveCapacity(utf8.count / 2)
    var i = 0
    while i < utf8.count {
      guard let hi = value(utf8[i]), let lo = value(utf8[i + 1]) else { return nil }
      out.append(hi << 4 | lo)
      i += 2
    }
    return out
  }
}
