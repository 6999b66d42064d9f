import AllotCore

/// One CSV cell as the reports write it: quoted when it holds a comma, quote or line break (quotes
/// doubled), and, when `neutralise` is set, a leading `'` before `=`, `+`, `-`, `@`, tab or CR so that
/// spreadsheet apps never read it as a formula (amounts are written with `neutralise` off).
enum CSVCell {
  @inline(__always)
  static func append<Out: ByteOutput>(_ u: UnsafeBufferPointer<UInt8>, neutralise: Bool, to out: inout Out) {
    guard let base = u.baseAddress, !u.isEmpty else { return }
    let n = u.count
    // The first comma, quote or line break: no quote lies before it.
    let quotable = ByteScan.firstCSVQuotable(u)
    let needsQuote = quotable < n
    if needsQuote { out.append(34) }
    let f = base[0]
    if neutralise,
      f == UInt8(ascii: "=") || f == UInt8(ascii: "+") || f == UInt8(ascii: "-") || f == UInt8(ascii: "@")
        || f == 9 || f == 13
    {
      out.append(UInt8(ascii: "'"))
    }
    guard needsQuote else { return out.append(contentsOf: u) }
    // Runs up to and including each quote, each quote then doubled.
    var start = 0
    var from = quotable
    while true {
      let j = from + ByteScan.first(34, in: UnsafeBufferPointer(start: base + from, count: n - from))
      guard j < n else { break }
      out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: j + 1 - start))
      out.append(34)
      start = j + 1
      from = start
    }
    out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: n - start))
    out.append(34)
  }
}
