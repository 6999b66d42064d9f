/// One CSV cell as the reports write it: quoted when it holds a comma, quote or line break (quotes
/// doubled), and, when `neutralise` is set, a leading `'` before `=`, `+`, `-`, `@`, tab or CR so that
/// spreadsheet apps never read it as a formula (amounts are written with `neutralise` off).
enum CSVCell {
  @inline(__always)
  static func append(_ u: UnsafeBufferPointer<UInt8>, neutralise: Bool, to out: inout [UInt8]) {
    var needsQuote = false
    for b in u where b == 44 || b == 34 || b == 10 || b == 13 {
      needsQuote = true
      break
    }
    if needsQuote { out.append(34) }
    if neutralise, let f = u.first,
      f == UInt8(ascii: "=") || f == UInt8(ascii: "+") || f == UInt8(ascii: "-") || f == UInt8(ascii: "@")
        || f == 9 || f == 13
    {
      out.append(UInt8(ascii: "'"))
    }
    if needsQuote {
      for b in u {
        if b == 34 { out.append(34) }
        out.append(b)
      }
      out.append(34)
    } else {
      out.append(contentsOf: u)
    }
  }
}
