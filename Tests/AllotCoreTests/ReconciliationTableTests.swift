import AllotCore
import Testing

private func row(_ n: Int, _ cells: [String]) -> SheetRow {
  SheetRow(rowNumber: n, cells: cells.map { Cell.text($0) })
}

@Suite struct ReconciliationTableTests {
  @Test func naturalHeadersTitleRowsAndBadRows() {
    var t = PayoutTable()
    t.consume(row(1, ["March payouts"]))
    t.consume(
      row(
        2,
        ["Payout Ref", "Stakeholder_Name", "Wallet Address", "Amount", "TOKEN", "Chain", "Due Date", "Notes"])
    )
    t.consume(row(3, ["P-1", "Ada", "0xabc", "2750.250000", "usdc", "Ethereum", "2026-03-15", ""]))
    t.consume(row(4, ["P-2", "Bob", "0xdef", "1,000.00", "USDC", "polygon", "15/03/2026", ""]))
    t.consume(row(5, ["P-3", "Cy", "", "$20", "USDC", "polygon", "", ""]))
    t.finish()
    #expect(t.payouts.count == 1)
    #expect(t.payouts[0].currency == "USDC" && t.payouts[0].network == "ethereum")
    #expect(t.payouts[0].amount == ExactDecimal("2750.25")!)
    let issues = t.issues.items
    #expect(
      issues.contains { $0.code == "column.unknown" && $0.column == "Notes" && $0.severity == .warning })
    #expect(
      issues.contains {
        $0.row == 4 && $0.column == "Amount" && $0.code == "amount.separators"
          && $0.message.contains("1000.00")
      })
    #expect(issues.contains { $0.row == 4 && $0.column == "Due Date" && $0.code == "due_date.invalid" })
    #expect(issues.contains { $0.row == 5 && $0.code == "wallet.missing" })
    #expect(issues.contains { $0.row == 5 && $0.code == "amount.symbols" })
  }

  @Test func missingColumnsAndMappingOverride() {
    var t = PayoutTable()
    t.consume(row(1, ["reference", "wallet", "amount"]))
    t.finish()
    #expect(
      t.issues.items.filter { $0.code == "column.missing" }.map(\.field).sorted() == ["currency", "network"])
    var m = TransactionTable(mapping: ["id": "Tx", "destinationAddress": "To"])
    m.consume(row(1, ["Tx", "status", "amount", "currency", "network", "To", "createdAt"]))
    m.consume(row(2, ["t1", "Completed", "5", "usdc", "base", "0xabc", "2026-03-01T10:00:00+02:00"]))
    m.consume(row(3, ["t1", "completed", "5", "usdc", "base", "0xabc", "yesterday"]))
    m.finish()
    #expect(m.transactions.count == 1)
    #expect(m.transactions[0].status == "completed" && m.transactions[0].destinationAddress == "0xabc")
    #expect(
      m.issues.items.contains { $0.row == 3 && $0.code == "timestamp.invalid" && $0.column == "createdAt" })
  }

  @Test func fieldOrdinalsFollowAllCases() {
    for (i, f) in PayoutField.allCases.enumerated() { #expect(f.ordinal == i) }
    for (i, f) in TransactionField.allCases.enumerated() { #expect(f.ordinal == i) }
  }

  @Test func duplicateReferencesAndIdsNameTheFirstRow() {
    var p = PayoutTable()
    p.consume(row(1, ["reference", "stakeholder", "wallet", "amount", "currency", "network"]))
    p.consume(row(2, ["P-1", "A long stakeholder name", "0xabc", "5", "USDC", "base"]))
    p.consume(row(3, ["P-2", "A long stakeholder name", "0xdef", "6", "USDC", "base"]))
    p.consume(row(4, ["P-1", "Someone", "0x123", "7", "USDC", "base"]))
    p.finish()
    #expect(p.payouts.count == 3)
    #expect(p.payouts[1].stakeholder == "A long stakeholder name")
    #expect(
      p.issues.items.map { "\($0.row) \($0.code) \($0.severity)" } == ["4 reference.duplicate warning"])
    #expect(p.issues.items.first?.message.contains("row 2") == true)
    var t = TransactionTable()
    t.consume(row(1, ["id", "status", "amount", "currency", "createdAt", "updatedAt", "completedAt"]))
    t.consume(row(2, ["t1", "completed", "5", "usdc", "2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", ""]))
    t.consume(row(3, ["t2", "completed", "5", "usdc", "2026-03-01T10:00:00Z", "", "2026-03-01T10:00:00Z"]))
    t.consume(row(4, ["t1", "completed", "6", "usdc", "", "", ""]))
    t.finish()
    #expect(t.transactions.map(\.id) == ["t1", "t2"])
    #expect(t.transactions[0].updatedAt == "2026-03-01T10:00:00Z" && t.transactions[0].completedAt == "")
    #expect(t.transactions[1].updatedAt == "" && t.transactions[1].completedAt == "2026-03-01T10:00:00Z")
    #expect(t.issues.items.map { "\($0.row) \($0.code)" } == ["4 id.duplicate"])
    #expect(t.issues.items.first?.message.contains("row 2") == true)
  }

  @Test func calendarDaysKeepTheirValueAndText() {
    let d = CalendarDay(year: 2026, month: 3, day: 9)!
    #expect(d.year == 2026 && d.month == 3 && d.day == 9 && d.description == "2026-03-09")
    #expect(CalendarDay(year: 12, month: 11, day: 30)!.description == "0012-11-30")
    #expect(d.adding(days: 25).description == "2026-04-03" && d < d.adding(days: 1))
    #expect(CalendarDay(dayNumber: d.dayNumber) == d)
  }

  @Test func toleranceAndWindowParsing() {
    #expect(ReconciliationSettings.Tolerance("0.5%") == .percent(ExactDecimal("0.5")!))
    #expect(ReconciliationSettings.Tolerance("0.01") == .absolute(ExactDecimal("0.01")!))
    #expect(ReconciliationSettings.Tolerance("-1") == nil)
    #expect(ReconciliationSettings.windowDays("7d") == 7)
    #expect(ReconciliationSettings.windowDays("2w") == 14)
    #expect(ReconciliationSettings.windowDays("x") == nil)
    #expect(Timestamp.seconds("2026-03-01T10:00:00+02:00") == Timestamp.seconds("2026-03-01T08:00:00Z"))
    #expect(CalendarDay(iso: "2026-02-30") == nil)
    #expect(CalendarDay(dayNumber: CalendarDay(iso: "2024-02-29")!.dayNumber).description == "2024-02-29")
    #expect(ExactDecimal("-0.05")!.plainText == "-0.05" && ExactDecimal("120")!.plainText == "120")
  }
}
