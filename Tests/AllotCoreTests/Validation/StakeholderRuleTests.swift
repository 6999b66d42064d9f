import AllotCore
import Testing

@Suite struct EmailRuleTests {
  @Test(arguments: [
    "alice@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "x_y-z@ex-ample.io",
    "ALICE@EXAMPLE.COM", "josé@exämple.de",
  ])
  func acceptsAddresses(_ text: String) {
    #expect(EmailRule.check(text) == .success(text))
  }

  @Test(arguments: [
    ("alice", "no @"), ("alice@", "expected"), ("@example.com", "expected"), ("alice@example", "expected"),
    ("alice@@example.com", "one address"), ("alice@example..com", "expected"),
    (".alice@example.com", "expected"),
    ("alice.@example.com", "expected"), ("alice@-example.com", "expected"), ("alice@example.c", "expected"),
    ("alice smith@example.com", "a space"), ("a@example.com; b@example.com", "one address per cell"),
    ("mailto:alice@example.com", "remove mailto:, write alice@example.com"),
    ("Alice <alice@example.com>", "write only the address, alice@example.com"),
    ("alice@example.com.", "ends with a dot"), ("alice@example.123", "expected"),
  ])
  func refusesMalformed(_ text: String, _ fragment: String) {
    guard case .failure(let p) = EmailRule.check(text) else {
      Issue.record("expected failure for \(text)")
      return
    }
    #expect(p.code == "email.invalid")
    #expect(p.message.contains(fragment), "\(p.message)")
  }
}

@Suite struct XHandleRuleTests {
  @Test(arguments: [("@alice", "alice"), ("alice_01", "alice_01"), ("@A", "A")])
  func stripsTheAt(_ text: String, _ expected: String) {
    let o = XHandleRule.check(text)
    #expect(o.value == expected)
    #expect(o.problems.isEmpty)
  }

  @Test func longHandleIsAWarning() {
    let o = XHandleRule.check("@averyveryverylonghandle")
    #expect(o.value == "averyveryverylonghandle")
    #expect(o.problems.first?.code == "xHandle.too_long")
    #expect(o.problems.first?.severity == .warning)
  }

  @Test(arguments: [
    ("@alice smith", "a space"), ("alice.eth", "'.'"), ("@", "only an @"),
    ("https://x.com/alice", "write alice"), ("twitter.com/bob?lang=en", "write bob"),
  ])
  func refusesOtherCharacters(_ text: String, _ fragment: String) {
    let o = XHandleRule.check(text)
    #expect(o.value == nil)
    #expect(o.problems.first?.code == "xHandle.invalid")
    #expect(o.problems.first?.message.contains(fragment) == true, "\(o.problems)")
  }
}

@Suite struct OtherFieldRuleTests {
  @Test func employeeNumbers() {
    let text = EmployeeNumberRule.check(.text("00123"), trimmed: "00123")
    #expect(text.value == "00123")
    #expect(text.problems.isEmpty)
    let number = EmployeeNumberRule.check(.number("123"), trimmed: "123")
    #expect(number.value == "123")
    #expect(number.problems.first?.code == "employeeNumber.numeric_cell")
    #expect(number.problems.first?.severity == .warning)
  }

  @Test(arguments: [
    ("true", true), ("TRUE", true), ("Yes", true), ("y", true), ("1", true),
    ("false", false), ("FALSE", false), ("no", false), ("N", false), ("0", false),
  ])
  func cancellableValues(_ text: String, _ expected: Bool) {
    #expect(CancellableRule.check(text) == .success(expected))
  }

  @Test(arguments: ["maybe", "2", "yes please", "tru"])
  func cancellableRefuses(_ text: String) {
    guard case .failure(let p) = CancellableRule.check(text) else {
      Issue.record("expected failure")
      return
    }
    #expect(p.code == "cancellable.invalid")
  }

  @Test func releaseModes() {
    #expect(ReleaseModeRule.check("linear", allowed: ["LINEAR", "CLIFF"]) == .success("LINEAR"))
    #expect(ReleaseModeRule.check("Cliff", allowed: ["LINEAR", "CLIFF"]) == .success("CLIFF"))
    #expect(ReleaseModeRule.check("STEP", allowed: ["LINEAR", "CLIFF", "STEP"]) == .success("STEP"))
    guard case .failure(let p) = ReleaseModeRule.check("monthly", allowed: ["LINEAR", "CLIFF"]) else {
      Issue.record("expected failure")
      return
    }
    #expect(p.code == "releaseMode.invalid")
    #expect(p.message.contains("LINEAR, CLIFF"))
  }
}
