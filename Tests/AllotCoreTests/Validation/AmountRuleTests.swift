import AllotCore
import Testing

@Suite struct AmountRuleTests {
  func check(_ text: String, maxDecimals: Int = 18) -> FieldOutcome<String> {
    AmountRule.check(.text(text), field: .amount, maxDecimals: maxDecimals)
  }

  @Test(arguments: [
    ("1250", "1250"), ("1250.75", "1250.75"), (" 42 ", "42"), ("1000.50", "1000.5"), ("007", "7"),
    ("0.5", "0.5"), ("100.000", "100"), ("000.25", "0.25"),
    ("0.000000000000000001", "0.000000000000000001"),
    (
      "12345678901234567890.123456789012345678", "12345678901234567890.123456789012345678"
    ),
    ("\u{00A0}15\u{00A0}", "15"),
  ])
  func acceptsExactDecimals(_ text: String, _ expected: String) {
    let o = check(text)
    #expect(o.value == expected)
    #expect(o.problems.isEmpty)
  }

  @Test func emptyIsNoValueAndNoProblem() {
    let o = check("   ")
    #expect(o.value == nil)
    #expect(o.problems.isEmpty)
  }

  @Test(arguments: [
    ("0", "amount.not_positive", "found 0"),
    ("0.000", "amount.not_positive", "greater than zero"),
    ("-10", "amount.not_positive", "found -10"),
    ("(250)", "amount.not_positive", "found (250)"),
    ("-$5", "amount.not_positive", "greater than zero"),
    ("1,000.50", "amount.thousands_separator", "write 1000.50"),
    ("1,234,567", "amount.thousands_separator", "write 1234567"),
    ("1 000 000", "amount.thousands_separator", "write 1000000"),
    ("1.000.000", "amount.thousands_separator", "write 1000000"),
    ("1'000", "amount.thousands_separator", "write 1000"),
    ("1,000", "amount.thousands_separator", "write 1000 if the comma separates thousands, or 1.000"),
    ("$100", "amount.currency_symbol", "write 100"),
    ("100 USDC", "amount.currency_symbol", "write 100"),
    ("€1.000,50", "amount.currency_symbol", "write 1000.50"),
    ("USD 2,500.00", "amount.currency_symbol", "write 2500.00"),
    ("£7", "amount.currency_symbol", "write 7"),
    ("1e6", "amount.exponent", "write 1000000"),
    ("1.5E+3", "amount.exponent", "write 1500"),
    ("2.5e-7", "amount.exponent", "write 0.00000025"),
    ("1.000,50", "amount.locale_comma", "write 1000.50"),
    ("12,5", "amount.locale_comma", "write 12.5"),
    ("1 000,25", "amount.locale_comma", "write 1000.25"),
    ("abc", "amount.not_a_number", "like 1250"),
    ("N/A", "amount.not_a_number", "like 1250"),
    ("1.2.3,4", "amount.not_a_number", "like 1250"),
    ("+100", "amount.not_a_number", "write 100"),
    (".5", "amount.not_a_number", "write 0.5"),
    ("5.", "amount.not_a_number", "write 5"),
    ("1e", "amount.not_a_number", "like 1250"),
  ])
  func refusesWithSpecificCodeAndSuggestion(_ text: String, _ code: String, _ fragment: String) throws {
    let o = check(text)
    #expect(o.value == nil)
    let p = try #require(o.problems.first)
    #expect(o.problems.count == 1)
    #expect(p.severity == .error)
    #expect(p.code == code)
    #expect(p.message.contains(fragment), "\(p.message)")
  }

  @Test func tooManyDecimals() throws {
    let nineteen = "0.1234567890123456789"
    let p = try #require(check(nineteen).problems.first)
    #expect(p.code == "amount.too_many_decimals")
    #expect(p.message.contains("19 decimal places"))
    // Trailing zeros do not count.
    #expect(check("1.5000000000000000000000").value == "1.5")
    #expect(check("1.123", maxDecimals: 2).problems.first?.code == "amount.too_many_decimals")
    #expect(check("1.12", maxDecimals: 2).value == "1.12")
  }

  @Test func receivedOffMagnaUsesItsOwnCodes() throws {
    let o = AmountRule.check(.text("0"), field: .receivedOffMagna, maxDecimals: 18)
    let p = try #require(o.problems.first)
    #expect(p.code == "receivedOffMagna.not_positive")
    #expect(p.message.contains("Leave the cell empty"))
    #expect(
      AmountRule.check(.text("1,000.5"), field: .receivedOffMagna, maxDecimals: 18).problems.first?.code
        == "receivedOffMagna.thousands_separator")
  }

  @Test func numericCellWithFloatNoiseWarns() throws {
    let cell = Cell.number("0.3", raw: "0.30000000000000004")
    let o = AmountRule.check(cell, field: .amount, maxDecimals: 18)
    #expect(o.value == "0.3")
    let p = try #require(o.problems.first)
    #expect(p.severity == .warning)
    #expect(p.code == "amount.float_precision")
    #expect(p.message.contains("store amounts as text") || p.message.contains("Store amounts as text"))
  }

  @Test func numericCellWithSeventeenDigitsWarns() {
    let cell = Cell.number("123456789012346000", raw: "123456789012345678")
    #expect(
      AmountRule.check(cell, field: .amount, maxDecimals: 18).problems.first?.code == "amount.float_precision"
    )
  }

  @Test func numericCellsWithoutNoiseDoNotWarn() {
    #expect(AmountRule.check(.number("2750.25"), field: .amount, maxDecimals: 18).problems.isEmpty)
    #expect(
      AmountRule.check(.number("0.0000005", raw: "5E-07"), field: .amount, maxDecimals: 18).problems.isEmpty)
  }

  @Test func textWithSeventeenDigitsIsExactAndDoesNotWarn() {
    let o = check("0.30000000000000004")
    #expect(o.value == "0.30000000000000004")
    #expect(o.problems.isEmpty)
  }

  @Test func otherCellKinds() {
    #expect(
      AmountRule.check(Cell(kind: .error, text: "#N/A"), field: .amount, maxDecimals: 18).problems.first?.code
        == "cell.error")
    #expect(
      AmountRule.check(Cell(kind: .date, text: "2026-01-01"), field: .amount, maxDecimals: 18).problems.first?
        .code
        == "amount.not_a_number")
    #expect(
      AmountRule.check(Cell(kind: .boolean, text: "TRUE"), field: .amount, maxDecimals: 18).problems.first?
        .code
        == "amount.not_a_number")
  }
}
