import Testing

@testable import AllotCore

/// The explanations of a bad email, UUID or date scan ASCII text as bytes; they must say exactly what
/// the scans of the text's characters say, for every text.
@Suite struct ExplanationScanTests {
  /// Texts built from the pieces those explanations look for, plus random ones.
  static let corpus: [String] = {
    let pieces = [
      "a", "Z", "0", "9", "f", "F", "g", "@", ".", ",", ";", " ", "-", "/", ":", "<", ">", "{", "}",
      "mailto:",
      "MAILTO:", "urn:uuid:", "URN:UUID:", "x.com", "03", "2026", "Mar", "\r\n", "\t", "_", "'",
    ]
    var texts = [
      "", "Alan Liskov", "alan@example.com", "a@b", "a@b.", "a@@b.com", "a,b@c.com", "<a@b.com>",
      "Ada <ada@example.com>", "mailto:ada@example.com", "MailTo:ada@example.com",
      "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
      "urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301", "3f2504e04f8941d39a0c0305e82c3301", "234.50",
      "0000021",
      "2026-09-02", "03/04/2026", "31.12.2026", "2026/03/01", "1 March 2026", "Mar 1, 2026", "1-Mar-2026",
      "03/04/2026 10:00", "17fc695a-07a0-4a6e-8822-e8f36c031199", "12/13/2026", "32/01/2026", "1/2/26",
      "LINEAR", "true", "3f25\r\n04e0", "1,Mar,2026", "03,04,2026", "2026.03.01", "1 Mar, 2026 10:00",
    ]
    var rng = SplitMix64(seed: 20_261_130)
    for _ in 0..<4000 {
      let n = Int.random(in: 1...8, using: &rng)
      texts.append((0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined())
    }
    return texts
  }()

  @Test func emailExplanationsAgree() {
    for text in Self.corpus where TextScan.isASCII(text) {
      #expect(EmailRule.explainASCII(text) == EmailRule.explainCharacters(text), "\(text.debugDescription)")
    }
  }

  @Test func uuidExplanationsAgree() {
    for text in Self.corpus where TextScan.isASCII(text) {
      #expect(
        UUIDRule.explain(text, bytewise: true) == UUIDRule.explain(text, bytewise: false),
        "\(text.debugDescription)")
    }
  }

  @Test func dateDiagnosesAgree() {
    for text in Self.corpus where TextScan.isASCII(text) {
      #expect(
        DateRule.OtherSpellings.diagnose(text, label: "Unlock start", shortcut: true)
          == DateRule.OtherSpellings.diagnose(text, label: "Unlock start", shortcut: false),
        "\(text.debugDescription)")
    }
  }
}
