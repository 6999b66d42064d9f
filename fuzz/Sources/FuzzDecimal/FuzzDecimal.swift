import AllotCore
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  // First byte: the maximum number of decimals for the amount rule (0...40); the rest is the text.
  let maxDecimals = Int(data[0]) % 41
  let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)

  if let d = ExactDecimal(text) {
    // Printing and re-parsing gives the same value; canonical form is stable.
    guard let back = ExactDecimal(d.description), back == d else {
      fatalError("ExactDecimal(\(d.description)) does not round-trip \(text.debugDescription)")
    }
    guard let canon = ExactDecimal(d.canonical), canon == d, canon.canonical == d.canonical else {
      fatalError("canonical form of \(text.debugDescription) is not stable: \(d.canonical)")
    }
    _ = d.significantDigits
    _ = d.fractionalDigits
    _ = d.magnitude
    for places in [0, 2, maxDecimals, ExactDecimal.maxScale] {
      _ = d.rounded(places: places)
      _ = d.formatted(places: places)
      _ = d.rescaled(to: places)
    }
    _ = d.adding(d)
    _ = d.subtracting(d)
    _ = d.multiplied(by: d)
    _ = d < ExactDecimal.zero
    var h = Hasher()
    d.hash(into: &h)
  }

  for field in [AllocationField.amount, .receivedOffMagna] {
    for kind in [Cell.Kind.text, .number] {
      let outcome = AmountRule.check(
        Cell(kind: kind, text: text, raw: text), field: field, maxDecimals: maxDecimals)
      if let value = outcome.value, ExactDecimal(value) == nil {
        fatalError("AmountRule accepted \(text.debugDescription) as \(value), which is not a decimal")
      }
    }
  }
  return 0
}

/// Entry point (see `runFuzzer`).
@_cdecl("FuzzDecimal_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
