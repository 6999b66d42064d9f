import AllotCore
import Testing

@Suite struct ExcelGeneralFormatTests {
  @Test(arguments: [
    ("0.30000000000000004", "0.3"), ("5E-07", "0.0000005"), ("5e-7", "0.0000005"),
    ("1.2345678901234567E+20", "123456789012346000000"), ("-0", "0"), ("-0.000", "0"), ("100", "100"),
    ("123456789012345678", "123456789012346000"), ("2750.25", "2750.25"), ("2750.2500", "2750.25"),
    ("1.", "1"), (".5", "0.5"), ("-.5", "-0.5"), ("+7", "7"), ("007", "7"), ("0", "0"),
    ("0.1", "0.1"), ("-12", "-12"), ("1E+21", "1000000000000000000000"), ("1.5E2", "150"),
    ("0.99999999999999999", "1"), ("9999999999999999", "10000000000000000"),
    ("-9.9999999999999999E-3", "-0.01"), ("1.23456789012345E-5", "0.0000123456789012345"),
    ("44927.999988425923", "44927.9999884259"), ("0.000", "0"), ("12345678901234.5", "12345678901234.5"),
    ("123456789012345.5", "123456789012346"), ("2.5E0", "2.5"),
  ])
  func displays(_ raw: String, _ shown: String) {
    #expect(ExcelGeneralFormat.display(raw) == shown)
  }

  @Test(arguments: ["", "-", ".", "abc", "1e", "1e+", "1.2.3", "1,000", " 1", "1 ", "NaN", "inf", "1E9999"])
  func rejectsNonNumbers(_ raw: String) {
    #expect(ExcelGeneralFormat.display(raw) == nil)
  }

  @Test func countsSignificantDigits() {
    #expect(ExcelGeneralFormat.significantDigits("0.30000000000000004") == 17)
    #expect(ExcelGeneralFormat.significantDigits("100") == 1)
    #expect(ExcelGeneralFormat.significantDigits("0.0012") == 2)
    #expect(ExcelGeneralFormat.significantDigits("123456789012345678") == 18)
    #expect(ExcelGeneralFormat.significantDigits("1.2345678901234567E+20") == 17)
    #expect(ExcelGeneralFormat.significantDigits("0") == 0)
    #expect(ExcelGeneralFormat.significantDigits("x") == 0)
  }
}
