import Testing

@testable import AllotCore

/// `UUIDRule.shape`, eight bytes at a time, against a byte-by-byte reading of the same rule.
@Suite struct UUIDShapeTests {
  static func reference(_ b: [UInt8]) -> UUIDRule.Shape {
    guard b.count == 36 else { return .invalid }
    var upper = false
    for (i, u) in b.enumerated() {
      if i == 8 || i == 13 || i == 18 || i == 23 {
        if u != UInt8(ascii: "-") { return .invalid }
        continue
      }
      switch u {
      case 48...57, 97...102: break
      case 65...70: upper = true
      default: return .invalid
      }
    }
    return upper ? .mixed : .lower
  }

  static func shape(_ b: [UInt8]) -> UUIDRule.Shape { b.withUnsafeBufferPointer { UUIDRule.shape($0) } }

  @Test func everyByteValueAtEveryPosition() {
    let base = Array("3f2504e0-4f89-41d3-9a0c-0305e82c3301".utf8)
    #expect(Self.shape(base) == .lower)
    for i in 0..<36 {
      for v in 0...255 {
        var b = base
        b[i] = UInt8(v)
        #expect(Self.shape(b) == Self.reference(b), "byte \(v) at \(i)")
      }
    }
  }

  @Test func randomTexts() {
    let alphabet =
      Array("0123456789abcdefABCDEFgG-{} \u{7F}".utf8) + [
        0x80, 0xC3, 0xFF, 0x2F, 0x3A, 0x40, 0x47, 0x60, 0x67,
      ]
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      var b = Array("3F2504E0-4f89-41d3-9a0c-0305e82c3301".utf8)
      for _ in 0..<Int.random(in: 0...3, using: &rng) {
        b[Int.random(in: 0..<36, using: &rng)] = alphabet.randomElement(using: &rng)!
      }
      if Int.random(in: 0..<10, using: &rng) == 0 { b.removeLast() }
      #expect(Self.shape(b) == Self.reference(b), "\(b)")
    }
  }
}
