import AllotCore
import Testing

@testable import AllotReports

/// `ByteSink` copies short values a word at a time and grows its own memory: whatever the lengths and
/// the order of appends, it holds exactly the bytes appended, and its cells are those of the byte-array
/// writers.
@Suite struct ByteSinkTests {
  /// Bytes that differ from one append to the next, so a word copied from the wrong place shows.
  static func pattern(_ count: Int, seed: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 7 &+ 1) }
  }

  @Test func holdsEveryAppendInOrderAcrossGrowth() {
    let sink = ByteSink(capacity: 1)
    var expected: [UInt8] = []
    for length in 0...140 {
      let chunk = Self.pattern(length, seed: length)
      chunk.withUnsafeBufferPointer { sink.append(contentsOf: $0) }
      expected += chunk
      sink.byte(UInt8(length))
      expected.append(UInt8(length))
    }
    sink.withBytes { #expect(Array($0) == expected) }
    #expect(sink.count == expected.count)
  }

  @Test(arguments: [
    "", "a", "short", "exactly8", "nine bytes", "sixteen bytes ok",
    "a value of more than thirty-two bytes long",
    "with, comma", "with \"quote\"", "=formula", "<b>tag</b>", "emoji 😀 — dash",
  ])
  func cellsMatchTheByteArrayWriters(_ text: String) {
    let sink = ByteSink()
    sink.csvText(text)
    sink.byte(44)
    sink.csvNumber(text)
    sink.byte(44)
    sink.jsonString(text)
    sink.rawText(text)
    let u = Array(text.utf8)
    var expected: [UInt8] = []
    u.withUnsafeBufferPointer {
      CSVCell.append($0, neutralise: true, to: &expected)
      expected.append(44)
      CSVCell.append($0, neutralise: false, to: &expected)
      expected.append(44)
      JSONStringLiteral.append($0, to: &expected)
    }
    expected += u
    sink.withBytes { #expect(Array($0) == expected) }
  }

  @Test func numbersAndAmounts() {
    let sink = ByteSink()
    sink.int(0)
    sink.byte(32)
    sink.int(-1_234_567_890_123)
    sink.byte(32)
    sink.decimal(ExactDecimal("2750.250000")!)
    sink.byte(32)
    sink.amount(ExactDecimal("997")!, like: ExactDecimal("1000.00")!)
    sink.withBytes { #expect(String(decoding: $0, as: UTF8.self) == "0 -1234567890123 2750.250000 997.00") }
  }

  @Test func literalsOfEveryLength() {
    let sink = ByteSink()
    let one: StaticString = "}"
    sink.raw(one)
    sink.raw("")
    sink.raw(",\"category\":\"")
    sink.raw("é")
    sink.rawText("matched")
    sink.withBytes { #expect(String(decoding: $0, as: UTF8.self) == "},\"category\":\"ématched") }
  }
}
