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
}
