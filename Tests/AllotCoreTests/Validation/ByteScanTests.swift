import Testing

@testable import AllotCore

/// `ByteScan` searches sixteen bytes at a time (SSE2) with a byte loop for the rest; each search must
/// answer as a plain byte loop (kept here as the reference) for every length, every position of the
/// byte found, and bytes around the ones searched for (0x1F/0x20, 0x7F/0x80, 0xE1–0xE3, the other
/// delimiters).
@Suite struct ByteScanTests {
  /// Bytes that are, or sit next to, the ones any of the searches look for.
  static let alphabet: [UInt8] =
    Array("abcxyz09,;\t\"\\<=-'".utf8) + [
      0, 1, 9, 10, 13, 0x1F, 0x20, 0x7F, 0x80, 0xC3, 0xE1, 0xE2, 0xE3, 0xFF,
    ]

  static func firstIndex(_ bytes: [UInt8], where test: (UInt8) -> Bool) -> Int {
    bytes.firstIndex(where: test) ?? bytes.count
  }

  /// Texts of every length up to 80 (beyond four blocks of sixteen), mostly plain letters with one to
  /// three bytes from `alphabet` at random places, and a few made only of `alphabet`.
  static func samples() -> [[UInt8]] {
    var random = SplitMix64(seed: 20_261_207)
    var out: [[UInt8]] = []
    for length in 0...80 {
      for round in 0..<40 {
        var bytes = (0..<length).map { _ in UInt8(ascii: "a") + UInt8.random(in: 0..<26, using: &random) }
        if length > 0 {
          if round < 30 {
            for _ in 0..<Int.random(in: 1...3, using: &random) {
              bytes[Int.random(in: 0..<length, using: &random)] = alphabet.randomElement(using: &random)!
            }
          } else {
            bytes = bytes.map { _ in alphabet.randomElement(using: &random)! }
          }
        }
        out.append(bytes)
      }
    }
    return out
  }

  @Test func searchesAnswerAsByteLoops() {
    for bytes in Self.samples() {
      bytes.withUnsafeBufferPointer { u in
        #expect(
          ByteScan.firstCSVQuotable(u)
            == Self.firstIndex(bytes) { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 },
          "\(bytes)")
        #expect(ByteScan.first(34, in: u) == Self.firstIndex(bytes) { $0 == 34 }, "\(bytes)")
        #expect(ByteScan.first(0xE2, in: u) == Self.firstIndex(bytes) { $0 == 0xE2 }, "\(bytes)")
        #expect(
          ByteScan.firstJSONSpecial(u)
            == Self.firstIndex(bytes) { $0 < 0x20 || $0 == 34 || $0 == 92 || $0 == 60 || $0 == 0xE2 },
          "\(bytes)")
        #expect(ByteScan.isASCII(u) == bytes.allSatisfy { $0 < 0x80 }, "\(bytes)")
      }
    }
  }

  /// The CSV masks of every 64-byte window (and of every shorter tail) of the samples laid end to end,
  /// for each delimiter the scanner accepts.
  @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: ";"), 9, UInt8(ascii: "|")])
  func csvMasksMarkTheirBytes(delimiter: UInt8) {
    let all = Self.samples().prefix(1_200).flatMap { $0 }
    all.withUnsafeBufferPointer { u in
      let base = u.baseAddress!
      for at in stride(from: 0, to: all.count, by: 7) {
        let m = ByteScan.csvMasks(base, at: at, count: all.count, delimiter: delimiter)
        var ends: UInt64 = 0
        var quotes: UInt64 = 0
        for k in 0..<min(64, all.count - at) {
          let b = all[at + k]
          if b == delimiter || b == 10 || b == 13 || b == 0 { ends |= 1 << UInt64(k) }
          if b == 34 || b == 0 { quotes |= 1 << UInt64(k) }
        }
        #expect(m == ByteScan.CSVMasks(ends: ends, quotes: quotes), "at \(at)")
        var breaks: UInt64 = 0
        var quoteMarks: UInt64 = 0
        for k in 0..<min(64, all.count - at) {
          let b = all[at + k]
          if b == 10 || b == 13 { breaks |= 1 << UInt64(k) }
          if b == 34 { quoteMarks |= 1 << UInt64(k) }
        }
        #expect(
          ByteScan.lineMasks(base, at: at, count: all.count)
            == ByteScan.CSVMasks(ends: breaks, quotes: quoteMarks),
          "at \(at)")
      }
    }
  }

  @Test func emptyBuffers() {
    let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    #expect(ByteScan.firstCSVQuotable(empty) == 0)
    #expect(ByteScan.first(34, in: empty) == 0)
    #expect(ByteScan.firstJSONSpecial(empty) == 0)
    #expect(ByteScan.isASCII(empty))
  }
}
