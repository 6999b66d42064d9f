import Testing

@testable import AllotReports

/// The word-at-a-time CSV and JSON cell writers against plain byte-by-byte versions of the same rules.
@Suite struct CellEscapingTests {
  /// The CSV rule byte by byte: quoted when it holds `,` `"` LF or CR (quotes doubled); with
  /// `neutralise`, a `'` before a leading `=` `+` `-` `@` tab or CR.
  static func referenceCSV(_ u: [UInt8], neutralise: Bool) -> [UInt8] {
    var out: [UInt8] = []
    let quote = u.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
    if quote { out.append(34) }
    if neutralise, let f = u.first, [61, 43, 45, 64, 9, 13].contains(f) { out.append(39) }
    for b in u {
      if quote && b == 34 { out.append(34) }
      out.append(b)
    }
    if quote { out.append(34) }
    return out
  }

  /// The JSON rule byte by byte: `"` `\` LF CR tab `<` U+2028 U+2029 escaped, other control bytes as
  /// `\u00XX`, everything else as is.
  static func referenceJSON(_ u: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [34]
    var i = 0
    while i < u.count {
      let b = u[i]
      switch b {
      case 34: out += Array(#"\""#.utf8)
      case 92: out += Array(#"\\"#.utf8)
      case 10: out += Array(#"\n"#.utf8)
      case 13: out += Array(#"\r"#.utf8)
      case 9: out += Array(#"\t"#.utf8)
      case 60: out += Array(#"\u003c"#.utf8)
      case 0..<32:
        let hex = Array("0123456789abcdef".utf8)
        out += Array(#"\u00"#.utf8) + [hex[Int(b >> 4)], hex[Int(b & 15)]]
      case 0xE2 where i + 2 < u.count && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9):
        out += Array((u[i + 2] == 0xA8 ? #"\u2028"# : #"\u2029"#).utf8)
        i += 2
      default: out.append(b)
      }
      i += 1
    }
    out.append(34)
    return out
  }

  static func csv(_ u: [UInt8], neutralise: Bool) -> [UInt8] {
    var out: [UInt8] = []
    u.withUnsafeBufferPointer { CSVCell.append($0, neutralise: neutralise, to: &out) }
    return out
  }

  static func json(_ u: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    u.withUnsafeBufferPointer { JSONStringLiteral.append($0, to: &out) }
    return out
  }

  @Test(arguments: [
    "", "a", "plain text of more than eight bytes", "paid 997.00 of 1000.00 USDC by tx-1, 3.00 short",
    "say \"hi\"", "\"\"", "12345678\"", "1234567,", "=SUM(A1)", "-5", "@x", "\tx", "line\nbreak", "cr\r",
    "<script>", "emoji 😀 and — dash", "sep\u{2028}arator\u{2029}", "\u{1}\u{1F}\u{7F}",
  ])
  func fixedTexts(_ text: String) {
    let u = Array(text.utf8)
    #expect(Self.csv(u, neutralise: true) == Self.referenceCSV(u, neutralise: true))
    #expect(Self.csv(u, neutralise: false) == Self.referenceCSV(u, neutralise: false))
    #expect(Self.json(u) == Self.referenceJSON(u))
  }

  @Test func randomBytesAtEveryOffset() {
    // Bytes the rules care about, mixed with plain ones, in strings of every length around a word.
    let interesting: [UInt8] = [34, 44, 10, 13, 9, 92, 60, 61, 43, 45, 64, 0, 31, 32, 0xE2, 0x80, 0xA8, 0xA9]
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<4000 {
      let n = Int.random(in: 0...40, using: &rng)
      let u = (0..<n).map { _ -> UInt8 in
        Int.random(in: 0..<4, using: &rng) == 0
          ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0x20...0x7E, using: &rng)
      }
      #expect(Self.csv(u, neutralise: true) == Self.referenceCSV(u, neutralise: true), "\(u)")
      #expect(Self.json(u) == Self.referenceJSON(u), "\(u)")
    }
  }
}
