import AllotCore

/// A JSON string literal as the reports write it: `"`, backslash, control characters, `<` (so the JSON can
/// sit inside HTML) and U+2028/U+2029 escaped; everything else copied as UTF-8.
enum JSONStringLiteral {
  static func append<Out: ByteOutput>(_ u: UnsafeBufferPointer<UInt8>, to out: inout Out) {
    out.append(34)
    var start = 0
    var i = 0
    let n = u.count
    guard let base = u.baseAddress else { return out.append(34) }
    while i < n {
      // Sixteen bytes at a time to the next byte that may need escaping.
      i += ByteScan.firstJSONSpecial(UnsafeBufferPointer(start: base + i, count: n - i))
      guard i < n else { break }
      let b = base[i]
      // `b` is one of those bytes; 0xE2 only needs escaping as the start of U+2028 or U+2029.
      var escape: StaticString? = nil
      var unicode = false
      switch b {
      case 34: escape = "\\\""
      case 92: escape = "\\\\"
      case 10: escape = "\\n"
      case 13: escape = "\\r"
      case 9: escape = "\\t"
      case 60: escape = "\\u003c"
      case 0..<32: unicode = true
      case 0xE2 where i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9):
        escape = u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
      default: break
      }
      if escape == nil && !unicode {
        i += 1
        continue
      }
      if i > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i])) }
      if let escape {
        escape.withUTF8Buffer { out.append(contentsOf: $0) }
        i += b == 0xE2 ? 3 : 1
      } else {
        let hex: StaticString = "0123456789abcdef"
        out.append(92)
        out.append(117)
        out.append(48)
        out.append(48)
        hex.withUTF8Buffer { h in
          out.append(h[Int(b >> 4)])
          out.append(h[Int(b & 15)])
        }
        i += 1
      }
      start = i
    }
    if n > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<n])) }
    out.append(34)
  }
}
