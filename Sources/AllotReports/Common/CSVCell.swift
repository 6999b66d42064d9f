import AllotCore

/// One CSV cell as the reports write it: quoted when it holds a comma, quote or line break (quotes
/// doubled), and, when `neutralise` is set, a leading `'` before `=`, `+`, `-`, `@`, tab or CR so that
/// spreadsheet apps never read it as a formula (amounts are written with `neutralise` off).
enum CSVCell {
  @inline(__always)
  static func append<Out: ByteOutput>(_ u: UnsafeBufferPointer<UInt8>, neutralise: Bool, to out: inout Out) {
    guard let base = u.baseAddress, !u.isEmpty else { return }
    let n = u.count
    var needsQuote = false
    var i = 0
    // Eight bytes at a time, then the rest byte by byte.
    while i + 8 <= n {
      let w = SWARBytes.load(UnsafeRawPointer(base), i)
      if SWARBytes.has(w, 44) || SWARBytes.has(w, 34) || SWARBytes.has(w, 10) || SWARBytes.has(w, 13) {
        needsQuote = true
        break
      }
      i += 8
    }
    if !needsQuote {
      while i < n {
        let b = base[i]
        if b == 44 || b == 34 || b == 10 || b == 13 {
          needsQuote = true
          break
        }
        i += 1
      }
    }
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
    for j in 0..<n where base[j] == 34 {
      out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: j + 1 - start))
      out.append(34)
      start = j + 1
    }
    out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: n - start))
    out.append(34)
  }
}
