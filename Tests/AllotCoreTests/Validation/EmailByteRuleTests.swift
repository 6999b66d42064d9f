import Testing

@testable import AllotCore

/// `EmailRule.isValid` classifies bytes through a table; it must answer as the loop of comparisons it
/// replaced (kept here as the reference).
@Suite struct EmailByteRuleTests {
  static func reference<C: Collection<UInt8>>(_ bytes: C) -> Bool {
    guard bytes.count <= 254 else { return false }
    var at = -1
    var index = 0
    var prev: UInt8 = 0
    var labelLength = 0
    var labelStartsHyphen = false
    var dotsInDomain = 0
    var lastLabelAlpha = true
    for u in bytes {
      defer {
        prev = u
        index += 1
      }
      if at < 0 {
        if u == UInt8(ascii: "@") {
          guard index > 0, index <= 64, prev != UInt8(ascii: ".") else { return false }
          at = index
          continue
        }
        if u == UInt8(ascii: ".") {
          if index == 0 || prev == UInt8(ascii: ".") { return false }
          continue
        }
        if u >= 0x80 || Self.isAtext(u) { continue }
        return false
      }
      // Domain.
      if u == UInt8(ascii: ".") {
        guard labelLength > 0, prev != UInt8(ascii: "-") else { return false }
        dotsInDomain += 1
        labelLength = 0
        lastLabelAlpha = true
        continue
      }
      if u == UInt8(ascii: "-") {
        if labelLength == 0 { labelStartsHyphen = true }
      } else if !(TextScan.isDigit(u) || TextScan.isASCIILetter(u) || u >= 0x80) {
        return false
      }
      if !(TextScan.isASCIILetter(u) || u >= 0x80) { lastLabelAlpha = false }
      labelLength += 1
      if labelLength > 63 { return false }
    }
    return at > 0 && dotsInDomain > 0 && labelLength >= 2 && prev != UInt8(ascii: "-") && !labelStartsHyphen
      && lastLabelAlpha
  }

  static func isAtext(_ u: UInt8) -> Bool {
    if TextScan.isDigit(u) || TextScan.isASCIILetter(u) { return true }
    return Array("!#$%&'*+/=?^_`{|}~-".utf8).contains(u)
  }

  @Test(arguments: [
    "ada@example.com", "a.b-c+d@mail.example.co", ".a@example.com", "a.@example.com", "a..b@example.com",
    "a@b.c", "a@b.co", "a@-b.co", "a@b-.co", "a@b.c-o", "a@b.1o", "a@b..co", "a@.b.co", "a@b.co.",
    "@example.com", "a@", "a", "a@b", "a@@b.co", "a@b@c.co", "é@exämple.com", "a@exämple.cöm",
    "\(String(repeating: "a", count: 64))@b.co", "\(String(repeating: "a", count: 65))@b.co",
    "a@\(String(repeating: "b", count: 63)).co", "a@\(String(repeating: "b", count: 64)).co",
    "a@b.co\(String(repeating: "m", count: 250))", "a b@c.co", "a@b c.co", "", "a@b.c0",
  ])
  func answersAsTheLoop(_ text: String) {
    #expect(EmailRule.isValid(text.utf8) == Self.reference(text.utf8), "\(text)")
    #expect(EmailRule.isValid(Array(text.utf8)) == Self.reference(text.utf8), "\(text)")
  }

  /// Random texts from letters, digits, dots, hyphens, `@`, specials and non-ASCII bytes.
  @Test func randomTexts() {
    let alphabet = Array("ab.-@Z9_+ .!~".utf8) + [0xC3, 0xA9, 0x7F, 0x00]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<50_000 {
      let n = Int.random(in: 0..<14, using: &generator)
      let bytes = (0..<n).map { _ in alphabet.randomElement(using: &generator)! }
      #expect(EmailRule.isValid(bytes) == Self.reference(bytes), "\(bytes)")
    }
  }
}
