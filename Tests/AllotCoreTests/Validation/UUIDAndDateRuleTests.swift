import AllotCore
import Testing

@Suite struct UUIDRuleTests {
  @Test(arguments: [
    ("3f2504e0-4f89-41d3-9a0c-0305e82c3301", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
    ("3F2504E0-4F89-41D3-9A0C-0305E82C3301", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
    ("00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000"),
    ("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
  ])
  func acceptsAnyCaseAndVersion(_ text: String, _ expected: String) {
    #expect(UUIDRule.check(text, label: "Contract ID") == .success(expected))
  }

  @Test(arguments: [
    (
      "{3F2504E0-4F89-41D3-9A0C-0305E82C3301}",
      "remove the braces: write 3f2504e0-4f89-41d3-9a0c-0305e82c3301"
    ),
    (
      "3f2504e04f8941d39a0c0305e82c3301", "the dashes are missing: write 3f2504e0-4f89-41d3-9a0c-0305e82c3301"
    ),
    ("urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301", "remove the urn:uuid: prefix"),
    ("3f2504e0-4f89-41d3-9a0c-0305e82c330", "it has 31 hex digits"),
    ("3f2504e0-4f89-41d3-9a0c-0305e82c33011", "it has 33 hex digits"),
    ("3f2504e0-4f89-41d3-9a0c-0305e82c330z", "'z'"),
    ("3f2504e04-f89-41d3-9a0c-0305e82c3301", "dashes are in the wrong places"),
    ("3f2504e0 4f89 41d3 9a0c 0305e82c3301", "a space"),
  ])
  func refusesWithSpecificMessage(_ text: String, _ fragment: String) {
    guard case .failure(let p) = UUIDRule.check(text, label: "Contract ID") else {
      Issue.record("expected failure")
      return
    }
    #expect(p.code == "uuid.invalid")
    #expect(p.message.hasPrefix("Contract ID is not a valid UUID"))
    #expect(p.message.contains(fragment), "\(p.message)")
  }
}

@Suite struct DateRuleTests {
  func check(_ cell: Cell, _ system: DateSystem = .excel1900) -> FieldOutcome<String> {
    DateRule.check(cell, field: .unlockStartAt, system: system)
  }

  @Test(arguments: [
    ("2026-03-01", "2026-03-01"),
    (" 2026-03-01 ", "2026-03-01"),
    ("2024-02-29", "2024-02-29"),
    ("2026-03-01 00:00", "2026-03-01T00:00:00Z"),
    ("2026-03-01T09:30", "2026-03-01T09:30:00Z"),
    ("2026-03-01T09:30:15Z", "2026-03-01T09:30:15Z"),
    ("2026-03-01T09:30:15.250Z", "2026-03-01T09:30:15.250Z"),
    ("2026-03-01T09:30:15+02:00", "2026-03-01T09:30:15+02:00"),
    ("2026-03-01T09:30:15-0530", "2026-03-01T09:30:15-05:30"),
    ("2026-03-01t09:30:15z", "2026-03-01T09:30:15Z"),
  ])
  func acceptsISO(_ text: String, _ expected: String) {
    let o = check(.text(text))
    #expect(o.value == expected)
    #expect(o.problems.isEmpty)
  }

  @Test func dateCellsAndSerials() {
    #expect(check(Cell(kind: .date, text: "2026-03-01", raw: "46082")).value == "2026-03-01")
    #expect(check(Cell(kind: .date, text: "2026-03-01T12:00:00")).value == "2026-03-01T12:00:00Z")
    #expect(check(.number("46082")).value == "2026-03-01")
    #expect(check(.number("46082.5")).value == "2026-03-01T12:00:00Z")
    #expect(check(.number("44620"), .excel1904).value == "2026-03-01")
    #expect(check(.text("46082")).value == "2026-03-01")
    #expect(check(.number("60")).problems.first?.code == "date.invalid")
    #expect(check(.number("0.5")).problems.first?.code == "date.invalid")
    #expect(check(.number("99999999")).problems.first?.code == "date.invalid")
  }

  @Test(arguments: [
    ("2026-02-30", "date.invalid", "February 2026 has 28 days"),
    ("2025-13-01", "date.invalid", "no month 13"),
    ("2026-03-01T24:00", "date.invalid", "impossible time"),
    ("2026-03-01T10:00+25:00", "date.invalid", "impossible UTC offset"),
    ("03/04/2026", "date.ambiguous", "3 April 2026 (write 2026-04-03) or 4 March 2026 (write 2026-03-04)"),
    ("3.4.2026", "date.ambiguous", "3 April 2026"),
    ("31/12/2026", "date.not_iso", "write 2026-12-31 (31 December 2026)"),
    ("12/31/2026", "date.not_iso", "write 2026-12-31"),
    ("05/05/2026", "date.not_iso", "write 2026-05-05"),
    ("2026/03/01", "date.not_iso", "write 2026-03-01"),
    ("2026-3-1", "date.not_iso", "write 2026-03-01"),
    ("20260301", "date.not_iso", "write 2026-03-01"),
    ("1 March 2026", "date.not_iso", "write 2026-03-01"),
    ("Mar 1, 2026", "date.not_iso", "write 2026-03-01"),
    ("1-Sep-2026", "date.not_iso", "write 2026-09-01"),
    ("31/12/2026 10:30", "date.not_iso", "write 2026-12-31T10:30:00Z"),
    ("03/04/26", "date.not_iso", "four-digit year"),
    ("31/31/2026", "date.invalid", "either day/month order"),
    ("next tuesday", "date.not_iso", "ISO 8601"),
    ("30 February 2026", "date.invalid", "not a real date"),
  ])
  func refusesWithReadings(_ text: String, _ code: String, _ fragment: String) throws {
    let o = check(.text(text))
    #expect(o.value == nil)
    let p = try #require(o.problems.first)
    #expect(p.code == code)
    #expect(p.message.contains(fragment), "\(p.message)")
  }

  @Test func errorAndBooleanCells() {
    #expect(check(Cell(kind: .error, text: "#VALUE!")).problems.first?.code == "cell.error")
    #expect(check(Cell(kind: .boolean, text: "TRUE")).problems.first?.code == "date.not_iso")
    #expect(check(.empty).value == nil)
    #expect(check(.empty).problems.isEmpty)
  }
}
