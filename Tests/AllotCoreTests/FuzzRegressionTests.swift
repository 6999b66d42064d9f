import AllotCore
import Testing

/// Inputs found by the libFuzzer targets in `fuzz/` (see docs/fuzzing.md), kept so the fixes stay.
@Suite struct FuzzRegressionTests {
  /// FuzzDecimal: a 45-digit amount passed the amount rule although no `ExactDecimal` can hold it,
  /// so totals and reconciliation would have failed on it later. It is now refused with `too_large`.
  @Test func amountTooLargeForAnExactDecimalIsRefused() {
    let bytes: [UInt8] = Array(repeating: 0x38, count: 45) + [0x0B]
    let text = String(decoding: bytes, as: UTF8.self)
    for field in [AllocationField.amount, .receivedOffMagna] {
      let outcome = AmountRule.check(.text(text), field: field, maxDecimals: 18)
      #expect(outcome.value == nil)
      #expect(outcome.problems.map(\.code) == ["\(field.path).too_large"])
    }
    // The largest amounts that still fit are accepted and parse back exactly.
    let fits = String(repeating: "9", count: 20) + "." + String(repeating: "9", count: 18)
    let outcome = AmountRule.check(.text(fits), field: .amount, maxDecimals: 18)
    #expect(outcome.value == fits)
    #expect(ExactDecimal(fits)?.canonical == fits)
  }
}
