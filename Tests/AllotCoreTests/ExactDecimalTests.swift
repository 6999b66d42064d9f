import AllotCore
import Testing

@Suite struct ExactDecimalTests {
  @Test func parsesAndComparesNumerically() throws {
    let a = try #require(ExactDecimal("2750.25"))
    let b = try #require(ExactDecimal("2750.250000"))
    #expect(a == b)
    #expect(b.description == "2750.250000")
    #expect(b.canonical == "2750.25")
    #expect(ExactDecimal("1.000000000000000001")!.description == "1.000000000000000001")
  }

  @Test(arguments: ["", ".", "1.2.3", "1e5", "1,000", "$5", "- 1", "abc"])
  func rejectsNonDecimalText(_ text: String) {
    #expect(ExactDecimal(text) == nil)
  }

  @Test func arithmeticIsExact() throws {
    let x = try #require(ExactDecimal("0.1"))
    let y = try #require(ExactDecimal("0.2"))
    #expect((x + y) == ExactDecimal("0.3")!)
    #expect((y - x - x).isZero)
    #expect(ExactDecimal("-5")! < ExactDecimal("0.001")!)
    #expect(ExactDecimal("2.345")!.rounded(places: 2).description == "2.35")
  }

  /// Texts up to 19 bytes are parsed by a fast path, longer ones by the general loop: both give the same
  /// value and scale, and refuse the same texts.
  @Test(arguments: [
    ("0", "0", 0), ("-0", "0", 0), ("+12.50", "1250", 2), ("5.", "5", 0), (".5", "5", 1),
    ("-.5", "-5", 1), ("9999999999999999999", "9999999999999999999", 0),
    ("-999999999999999999", "-999999999999999999", 0), ("0.000000000000000001", "1", 18),
    ("99999999999999999999", "99999999999999999999", 0),
    ("1.0000000000000000000001", "10000000000000000000001", 22),
    ("00000000000000000000000000000000000000000001", "1", 0),
  ])
  func bytesParseLikeText(_ text: String, _ significand: String, _ scale: Int) throws {
    let parsed = try #require(Array(text.utf8).withUnsafeBufferPointer { ExactDecimal(utf8: $0) })
    #expect(String(parsed.significand) == significand && parsed.scale == scale)
    #expect(ExactDecimal(text) == parsed && ExactDecimal(text)?.scale == scale)
    #expect(ExactDecimal(text[...]) == parsed)
  }

  @Test(arguments: [
    "", "-", "+", ".", "-.", "1.2.3", "--5", "+-5", "5-", "1 2", "1e5",
    "12345678901234567890123456789012345678901",
    "0.000000000000000000000000000000000000001",
  ])
  func bytesRefuseWhatTextRefuses(_ text: String) {
    #expect(Array(text.utf8).withUnsafeBufferPointer { ExactDecimal(utf8: $0) } == nil)
    #expect(ExactDecimal(text) == nil)
  }
}
