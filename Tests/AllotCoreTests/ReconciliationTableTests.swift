import Testing

@testable import AllotCore

private func row(_ n: Int, _ cells: [String]) -> SheetRow {
  SheetRow(rowNumber: n, cells: cells.map { Cell.text($0) })
}

/// A table fed `rows` as rows 1, 2, 3, … and finished.
private func payoutTable(_ rows: [[String]]) -> PayoutTable {
  var table = PayoutTable()
  for (i, cells) in rows.enumerated() { table.consume(row(i + 1, cells)) }
  table.finish()
  return table
}

private func transactionTable(_ rows: [[String]]) -> TransactionTable {
  var table = TransactionTable()
  for (i, cells) in rows.enumerated() { table.consume(row(i + 1, cells)) }
  table.finish()
  return table
}

/// `body` of `cells` as a CSV record's bytes (`ByteRow`), as `allot reconcile` feeds a CSV file.
private func withByteRow<R>(_ n: Int, _ cells: [String], _ body: (ByteRow) -> R) -> R {
  let storage = cells.map { Array($0.utf8) }
  let pointers = UnsafeMutableBufferPointer<UnsafeMutablePointer<UInt8>>.allocate(capacity: cells.count)
  let views = UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: cells.count)
  defer {
    for k in 0..<cells.count { pointers[k].deallocate() }
    pointers.deallocate()
    views.deallocate()
  }
  for (k, bytes) in storage.enumerated() {
    pointers[k] = .allocate(capacity: max(1, bytes.count))
    pointers[k].initialize(from: bytes, count: bytes.count)
    views[k] = UnsafeBufferPointer(start: pointers[k], count: bytes.count)
  }
  return body(ByteRow(rowNumber: n, cells: UnsafeBufferPointer(views)))
}

private func byteTables(_ rows: [[String]]) -> (PayoutTable, TransactionTable) {
  var payouts = PayoutTable()
  var transactions = TransactionTable()
  for (i, cells) in rows.enumerated() {
    withByteRow(i + 1, cells) { r in
      payouts.consume(r) { row(i + 1, cells) }
      transactions.consume(r) { row(i + 1, cells) }
    }
  }
  payouts.finish()
  transactions.finish()
  return (payouts, transactions)
}

@Suite struct ReconciliationTableTests {
  /// A CSV record's cells are read from their bytes (amounts, dates, times compared before any text is
  /// made): the tables come out exactly as from the same rows given as text, problems included.
  @Test func byteRowsReadLikeSheetRows() {
    let name = "A stakeholder with a long name"
    let payoutRows = [
      ["reference", "stakeholder", "wallet", "amount", "currency", "network", "due_date"],
      ["P-1", name, "0xabc", " 2750.250000 ", "usdc", "Ethereum", "2026-03-01"],
      ["P-2", name, "0xabc", "0", "USDC", "ethereum", "2026-03-02"],
      ["P-3", "Short", "0xabc", "-5", "USDC", "ethereum", ""],
      ["P-4", name, "0xabc", "1,000.00", "USDC", "ethereum", "2026-02-30"],
      ["P-5", name, "0xabc", "", "USDC", "ethereum", "31/03/2026"],
      ["P-6", name, "0xabc", "$12", "USDC", "ethereum", "2026-03-31T10:00:00Z"],
      ["P-7", name, "0xabc", "123456789012345678901234.5", "USDC", "ethereum", "2026-03-31"],
      ["P-8", name, "0xdef", "1", "USDC", "ethereum", ""],
    ]
    let transactionRows = [
      [
        "id", "type", "status", "amount", "currency", "network", "fee", "createdAt", "updatedAt",
        "completedAt",
      ],
      [
        "t1", "payout", "Completed", "5.10", "usdc", "Base", "0.10", "2026-03-01T10:00:00Z",
        "2026-03-01T10:00:00Z",
        "2026-03-01T10:00:00Z",
      ],
      [
        "t2", "payout", "completed", "5", "USDC", "base", "", "2026-03-01T10:00:00Z", "2026-03-02T10:00:00Z",
        "",
      ],
      ["t3", "payout", "completed", "five", "USDC", "base", "1e2", "soon", "soon", "soon"],
      [
        "t4", "payout", "completed", "-5", "USDC", "base", "0,10", "2026-03-01T10:00:00Z", "",
        "2026-03-01 10:00:00",
      ],
      ["t5", "payout", "completed", "", "USDC", "base", "", "", "", "later"],
    ]
    let (bytePayouts, _) = byteTables(payoutRows)
    let (_, byteTransactions) = byteTables(transactionRows)
    let textPayouts = payoutTable(payoutRows)
    let textTransactions = transactionTable(transactionRows)
    #expect(bytePayouts.payouts == textPayouts.payouts)
    #expect(bytePayouts.issues.items == textPayouts.issues.items)
    #expect(!bytePayouts.issues.items.isEmpty)
    #expect(byteTransactions.transactions == textTransactions.transactions)
    #expect(byteTransactions.issues.items == textTransactions.issues.items)
    #expect(!byteTransactions.issues.items.isEmpty)
    #expect(byteTransactions.transactions.map(\.id) == ["t1", "t2"])
    // The long name, read from bytes, is one string's storage on every payout that has it.
    func storage(_ s: String) -> UInt64 {
      var copy = s
      return copy.withUTF8 { UInt64(UInt(bitPattern: $0.baseAddress)) }
    }
    let named = bytePayouts.payouts.filter { $0.stakeholder == name }
    #expect(named.map(\.reference) == ["P-1", "P-7", "P-8"])
    #expect(Set(named.map { storage($0.stakeholder) }).count == 1)
  }

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
    let p = payoutTable([
      ["reference", "stakeholder", "wallet", "amount", "currency", "network"],
      ["P-1", "A long stakeholder name", "0xabc", "5", "USDC", "base"],
      ["P-2", "A long stakeholder name", "0xdef", "6", "USDC", "base"],
      ["P-1", "Someone", "0x123", "7", "USDC", "base"],
    ])
    #expect(p.payouts.count == 3)
    #expect(p.payouts[1].stakeholder == "A long stakeholder name")
    #expect(
      p.issues.items.map { "\($0.row) \($0.code) \($0.severity)" } == ["4 reference.duplicate warning"])
    #expect(p.issues.items.first?.message.contains("row 2") == true)
    let t = transactionTable([
      ["id", "status", "amount", "currency", "createdAt", "updatedAt", "completedAt"],
      ["t1", "completed", "5", "usdc", "2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", ""],
      ["t2", "completed", "5", "usdc", "2026-03-01T10:00:00Z", "", "2026-03-01T10:00:00Z"],
      ["t1", "completed", "6", "usdc", "", "", ""],
    ])
    #expect(t.transactions.map(\.id) == ["t1", "t2"])
    #expect(t.transactions[0].updatedAt == "2026-03-01T10:00:00Z" && t.transactions[0].completedAt == "")
    #expect(t.transactions[1].updatedAt == "" && t.transactions[1].completedAt == "2026-03-01T10:00:00Z")
    #expect(t.issues.items.map { "\($0.row) \($0.code)" } == ["4 id.duplicate"])
    #expect(t.issues.items.first?.message.contains("row 2") == true)
  }

  /// Issues found after reading (repeated ids) go among the others in row order, and the list keeps the
  /// first `limit` of all of them in row order, counting every one.
  @Test func issuesAddedAfterReadingTakeTheirRowsPlace() {
    func issue(_ row: Int, _ code: String, _ severity: AllotCore.Severity = .error) -> AllotCore.Issue {
      AllotCore.Issue(
        row: row, column: nil, field: "row", severity: severity, code: code, message: code, value: nil)
    }
    var list = IssueList(limit: 4)
    for (row, code) in [(2, "a"), (2, "b"), (5, "c"), (9, "d"), (12, "e")] { list.append(issue(row, code)) }
    list.insertInRowOrder([issue(2, "x", .warning), issue(6, "y"), issue(20, "z")])
    #expect(list.items.map { "\($0.row)\($0.code)" } == ["2a", "2b", "2x", "5c"])
    #expect(list.errorCount == 7 && list.warningCount == 1 && list.totalCount == 8)
    var roomy = IssueList()
    roomy.append(issue(3, "a"))
    roomy.insertInRowOrder([issue(1, "x"), issue(3, "y"), issue(4, "z")])
    #expect(roomy.items.map { "\($0.row)\($0.code)" } == ["1x", "3a", "3y", "4z"])
  }

  /// A repeated id is dropped with its error however far apart the rows are, and a row whose fields are
  /// bad is not a first occurrence.
  @Test func repeatedIdsAreFoundAcrossTheWholeFile() {
    var t = TransactionTable()
    t.consume(row(1, ["id", "status", "amount", "currency"]))
    for r in 2..<300 { t.consume(row(r, ["t\(r % 100)", "completed", "1", "USDC"])) }
    t.consume(row(300, ["bad", "completed", "x", "USDC"]))
    t.consume(row(301, ["bad", "completed", "2", "USDC"]))
    t.finish()
    #expect(t.transactions.map(\.id) == (2..<102).map { "t\($0 % 100)" } + ["bad"])
    #expect(t.transactions.last?.sourceRow == 301)
    #expect(t.issues.errorCount == 198 + 1)
    let repeated = t.issues.items.filter { $0.code == "id.duplicate" }
    #expect(repeated.count == 198)
    #expect(repeated.first?.row == 102 && repeated.first?.message.contains("also on row 2;") == true)
    #expect(t.issues.items.map(\.row) == t.issues.items.map(\.row).sorted())
  }

  /// A completion time that repeats the creation time is checked as that time was: both bad, or both
  /// good; a different one on its own.
  @Test func repeatedTimesAreCheckedLikeTheFirst() {
    let t = transactionTable([
      ["id", "status", "amount", "currency", "createdAt", "completedAt"],
      ["t1", "completed", "5", "USDC", "2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z"],
      ["t2", "completed", "5", "USDC", "soon", "soon"],
      ["t3", "completed", "5", "USDC", "2026-03-01T10:00:00Z", "later"],
      ["t4", "completed", "5", "USDC", "", "2026-03-02T10:00:00Z"],
    ])
    #expect(t.transactions.map(\.id) == ["t1", "t4"])
    #expect(
      t.issues.items.map { "\($0.row) \($0.column ?? "")" } == [
        "3 createdAt", "3 completedAt", "4 completedAt",
      ])
  }

  /// Long names repeated on many payouts share one string's storage; short ones are inline anyway; once
  /// the limit is reached, texts are kept as they are (and still equal), even those seen before.
  @Test func internedTextsShareStorage() {
    func storage(_ s: String) -> UInt64 {
      var copy = s
      return copy.withUTF8 { UInt64(UInt(bitPattern: $0.baseAddress)) }
    }
    var interner = TextInterner(limit: 100)
    let first = interner.intern(String(repeating: "Stakeholder ", count: 2) + "1")
    for _ in 0..<3 {
      let again = interner.intern(String(repeating: "Stakeholder ", count: 2) + "1")
      #expect(again == first && storage(again) == storage(first))
    }
    // Enough distinct texts to grow the table several times, each found again afterwards.
    let names = (0..<98).map { "A rather long stakeholder name \($0)" }
    let kept = names.map { interner.intern($0) }
    for (name, k) in zip(names, kept) { #expect(storage(interner.intern(name)) == storage(k)) }
    let last = interner.intern("The hundredth distinct long name")
    let past = "Beyond the limit of distinct names"
    #expect(interner.intern(past) == past)
    let seenBefore = String(repeating: "Stakeholder ", count: 2) + "1"
    let unshared = interner.intern(seenBefore)
    #expect(unshared == first && storage(unshared) != storage(first))
    #expect(last == "The hundredth distinct long name")
    #expect(interner.intern("short") == "short")
  }

  @Test func calendarDaysKeepTheirValueAndText() {
    let d = CalendarDay(year: 2026, month: 3, day: 9)!
    #expect(d.year == 2026 && d.month == 3 && d.day == 9 && d.description == "2026-03-09")
    #expect(CalendarDay(year: 12, month: 11, day: 30)!.description == "0012-11-30")
    #expect(d.adding(days: 25).description == "2026-04-03" && d < d.adding(days: 1))
    #expect(CalendarDay(dayNumber: d.dayNumber) == d)
    for day in [d, CalendarDay(year: 1, month: 1, day: 1)!, CalendarDay(year: 9999, month: 12, day: 31)!] {
      #expect(day.withISOBytes { String(decoding: $0, as: UTF8.self) } == day.description)
      #expect(day.withISOBytes { CalendarDay(isoBytes: $0) } == day)
    }
    // Beyond year 9999 the ten bytes do not hold the date: `writeISO` declines, `withISOBytes` falls back.
    let far = CalendarDay(year: 9999, month: 12, day: 31)!.adding(days: 1)
    var bytes = [UInt8](repeating: 0, count: 10)
    #expect(!bytes.withUnsafeMutableBufferPointer { far.writeISO(into: $0.baseAddress!) })
    #expect(bytes == [UInt8](repeating: 0, count: 10))
    #expect(far.withISOBytes { String(decoding: $0, as: UTF8.self) } == far.description)
    #expect(bytes.withUnsafeMutableBufferPointer { d.writeISO(into: $0.baseAddress!) })
    #expect(String(decoding: bytes, as: UTF8.self) == "2026-03-09")
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
