import AllotCore
import Testing

enum Sample {
  static let contract = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
  static let token = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
  static let schedule = "9b2d1c3e-1111-4a2b-8c3d-123456789abc"
  static let headers = [
    "amount", "contractId", "tokenId", "category", "Name", "Email", "X Handle", "Employee Number",
    "Description",
    "unlockScheduleId", "unlockStartAt", "vestingScheduleId", "vestingStartAt", "releaseMode",
    "receivedOffMagna",
    "cancellable", "Wallet",
  ]

  static func values(_ overrides: [String: String] = [:]) -> [String] {
    let base: [String: String] = [
      "amount": "1250.50", "contractId": contract, "tokenId": token, "category": "Team",
      "Name": "Alice Example",
      "Email": "alice@example.com", "X Handle": "@alice", "Employee Number": "00042",
      "Description": "Q1 grant",
      "unlockScheduleId": schedule, "unlockStartAt": "2026-03-01", "vestingScheduleId": "",
      "vestingStartAt": "",
      "releaseMode": "linear", "receivedOffMagna": "", "cancellable": "yes",
      "Wallet": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    ]
    return headers.map { overrides[$0] ?? base[$0] ?? "" }
  }

  static func validator(_ options: ValidationOptions = ValidationOptions(), headers: [String] = headers)
    -> AllocationValidator
  {
    AllocationValidator(
      mapping: ColumnMapping.resolve(header: textRow(1, headers), options: options), options: options)
  }
}

@Suite struct AllocationValidatorTests {
  @Test func typicalRowBecomesARequest() throws {
    let v = Sample.validator()
    let result = v.validate(row: textRow(2, Sample.values()))
    #expect(result.issues.isEmpty)
    let a = try #require(result.allocation)
    #expect(a.amount == "1250.5")
    #expect(a.contractId == Sample.contract)
    #expect(a.stakeholder.name == "Alice Example")
    #expect(a.stakeholder.xHandle == "alice")
    #expect(a.stakeholder.employeeNumber == "00042")
    #expect(a.unlockStartAt == "2026-03-01")
    #expect(a.releaseMode == "LINEAR")
    #expect(a.cancellable == true)
    #expect(a.vestingScheduleId == nil)
    #expect(a.walletAddress == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    #expect(result.duplicateKey != nil)
  }

  @Test func issuesCarryRowColumnFieldAndValueInColumnOrder() {
    let v = Sample.validator()
    let result = v.validate(
      row: textRow(7, Sample.values(["amount": "-10", "Email": "bad", "contractId": "{\(Sample.contract)}"])))
    #expect(result.allocation == nil)
    #expect(result.issues.map(\.code) == ["amount.not_positive", "uuid.invalid", "email.invalid"])
    let first = result.issues[0]
    #expect(first.row == 7)
    #expect(first.column == "amount")
    #expect(first.field == "amount")
    #expect(first.value == "-10")
    #expect(result.issues[1].field == "contractId")
    #expect(result.issues[2].column == "Email")
    #expect(result.issues[2].field == "stakeholder.email")
  }

  @Test func scheduleAndRecipientRowRules() {
    let v = Sample.validator()
    let r = v.validate(row: textRow(2, Sample.values(["unlockScheduleId": "", "Email": "", "Wallet": ""])))
    #expect(r.issues.map(\.code) == ["row.no_schedule", "row.no_recipient"])
    #expect(r.issues.allSatisfy { $0.field == "row" && $0.column == nil })
    // Vesting schedule alone is enough; a wallet alone is enough.
    let ok = v.validate(
      row: textRow(
        2, Sample.values(["unlockScheduleId": "", "vestingScheduleId": Sample.schedule, "Email": ""])))
    #expect(ok.isValid)
    // An invalid schedule id reports the id, not "no schedule".
    let bad = v.validate(row: textRow(2, Sample.values(["unlockScheduleId": "nope"])))
    #expect(bad.issues.map(\.code) == ["uuid.invalid"])
  }

  @Test func defaultsFillEmptyCellsAndAbsentColumns() throws {
    let options = ValidationOptions(
      contractId: Sample.contract.uppercased(), tokenId: Sample.token, category: "Advisors",
      releaseMode: "cliff")
    let headers = [
      "Name", "Email", "Wallet", "Allocation Amount", "Allocation Category", "Unlock Start",
      "Unlock Schedule",
    ]
    let v = Sample.validator(options, headers: headers)
    #expect(v.fileIssues.isEmpty)
    let r = v.validate(
      row: textRow(2, ["Bob", "bob@example.com", "", "500", "", "2026-03-01 00:00", Sample.schedule]))
    let a = try #require(r.allocation, "\(r.issues)")
    #expect(a.contractId == Sample.contract)
    #expect(a.category == "Advisors")
    #expect(a.releaseMode == "CLIFF")
    #expect(a.unlockStartAt == "2026-03-01T00:00:00Z")
  }

  @Test func emptyRequiredCellsWithoutDefaults() {
    let v = Sample.validator()
    let r = v.validate(row: textRow(2, Sample.values(["amount": " ", "contractId": "", "category": ""])))
    #expect(r.issues.map(\.code) == ["amount.missing", "contractId.missing", "category.missing"])
  }

  @Test func badOptionsBlockEveryRow() {
    let v = Sample.validator(ValidationOptions(contractId: "not-a-uuid", releaseMode: "weekly"))
    #expect(v.isBlocked)
    #expect(v.fileIssues.map(\.code) == ["uuid.invalid", "releaseMode.invalid"])
    #expect(v.fileIssues.first?.column == "--contract-id")
    let r = v.validate(row: textRow(2, Sample.values()))
    #expect(r.allocation == nil)
    #expect(r.issues.isEmpty)
  }

  @Test func warningsDoNotBlock() throws {
    let v = Sample.validator()
    var cells = Sample.values(["receivedOffMagna": "2000"]).map(Cell.text)
    cells[0] = .number("0.3", raw: "0.30000000000000004")
    cells[7] = .number("42")
    cells[4] = .empty
    let r = v.validate(row: SheetRow(rowNumber: 4, cells: cells))
    #expect(r.isValid)
    #expect(
      r.issues.map(\.code) == [
        "amount.float_precision", "name.missing", "employeeNumber.numeric_cell",
        "receivedOffMagna.exceeds_amount",
      ])
    #expect(r.issues.allSatisfy { $0.severity == .warning })
    #expect(r.issues[0].value == "0.30000000000000004")
  }

  @Test func errorCellsAndWallets() {
    let v = Sample.validator()
    var cells = Sample.values(["Wallet": "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"]).map(Cell.text)
    cells[3] = Cell(kind: .error, text: "#REF!")
    let r = v.validate(row: SheetRow(rowNumber: 2, cells: cells))
    #expect(r.issues.map(\.code) == ["cell.error", "wallet.checksum"])
    #expect(r.issues[1].field == "walletAddress")
  }

  @Test func customAttributes() throws {
    let v = Sample.validator(headers: Sample.headers + ["attr:Department", "attr:Cost Centre"])
    let r = v.validate(row: textRow(2, Sample.values() + ["Finance", ""]))
    let a = try #require(r.allocation)
    #expect(a.customAttributes == [AllocationRequest.Attribute(key: "Department", value: "Finance")])
  }

  @Test func blankRowsAreSkipped() {
    let r = Sample.validator().validate(row: SheetRow(rowNumber: 9, cells: [.empty, .text("")]))
    #expect(r.isBlank)
  }

  @Test func bodyOverOneMegabyteIsARowError() {
    let v = Sample.validator()
    let huge = String(repeating: "x", count: 1_048_576)
    let r = v.validate(row: textRow(2, Sample.values(["Description": huge])))
    #expect(r.allocation == nil)
    #expect(r.issues.map(\.code) == ["row.body_too_large"])
  }
}

@Suite struct FileValidatorTests {
  @Test func findsHeaderBelowTitleRowsAndSummarises() {
    var f = FileValidator()
    f.feed(textRow(1, ["Token grants Q1 2026"]))
    f.feed(SheetRow(rowNumber: 2, cells: []))
    f.feed(textRow(3, Sample.headers + ["Department"]))
    f.feed(textRow(4, Sample.values()))
    f.feed(SheetRow(rowNumber: 5, cells: [.empty]))
    f.feed(textRow(6, Sample.values(["amount": "1,000"])))
    f.feed(textRow(7, Sample.values()))
    let s = f.finish()
    #expect(s.headerRow == 3)
    #expect(s.rows == 3)
    #expect(s.valid == 2)
    #expect(s.invalid == 1)
    #expect(s.issues.map(\.code) == ["column.unknown", "amount.thousands_separator", "row.duplicate"])
    #expect(s.issues.map(\.row) == [3, 6, 7])
    #expect(s.issues[2].message.contains("repeats row 4"))
    #expect(s.hasErrors)
  }

  @Test func explicitHeaderRow() {
    var f = FileValidator(options: ValidationOptions(headerRow: 2))
    f.feed(textRow(1, ["amount", "Email"]))
    f.feed(textRow(2, Sample.headers))
    f.feed(textRow(3, Sample.values()))
    let s = f.finish()
    #expect(s.headerRow == 2)
    #expect(s.rows == 1)
    #expect(s.valid == 1)
    #expect(!s.hasErrors)
  }

  @Test func noHeaderMakesEveryRowInvalid() {
    var f = FileValidator(options: ValidationOptions(headerSearchRows: 3))
    for n in 1...5 { f.feed(textRow(n, ["foo", "bar"])) }
    let s = f.finish()
    #expect(s.issues.map(\.code) == ["header.not_found"])
    #expect(s.rows == 5)
    #expect(s.invalid == 5)
    var g = FileValidator()
    g.feed(textRow(1, ["hello"]))
    #expect(g.finish().issues.map(\.code) == ["header.not_found"])
  }

  @Test func missingColumnBlocksEveryRowButReportsItOnce() {
    var f = FileValidator()
    f.feed(textRow(1, ["amount", "Email", "unlockScheduleId", "category"]))
    f.feed(textRow(2, ["10", "a@example.com", Sample.schedule, "Team"]))
    f.feed(textRow(3, ["-1", "a@example.com", Sample.schedule, "Team"]))
    let s = f.finish()
    #expect(s.rows == 2)
    #expect(s.valid == 0)
    #expect(s.invalid == 2)
    #expect(s.issues.map(\.code) == ["column.missing", "column.missing", "amount.not_positive"])
  }

  @Test func parallelChunksMergeToTheSameSummary() async {
    var rows: [SheetRow] = [textRow(1, Sample.headers)]
    for n in 2...200 {
      let amount = n % 10 == 0 ? "bad" : String(n % 50 + 1)
      rows.append(textRow(n, Sample.values(["amount": amount])))
    }
    var sequential = FileValidator()
    for row in rows { sequential.feed(row) }
    let expected = sequential.finish()

    var merged = FileValidator()
    var rest = rows[...]
    while let row = rest.first, merged.validator == nil {
      merged.feed(row)
      rest = rest.dropFirst()
    }
    guard let validator = merged.validator else {
      Issue.record("header not resolved")
      return
    }
    let dataRows = Array(rest)
    let half = dataRows.count / 2
    let chunks = [Array(dataRows[..<half]), Array(dataRows[half...])]
    let results = await withTaskGroup(of: (Int, [RowValidation]).self) { group in
      for (i, chunk) in chunks.enumerated() {
        group.addTask { (i, chunk.map { validator.validate(row: $0) }) }
      }
      var out: [[RowValidation]] = [[], []]
      for await (i, r) in group { out[i] = r }
      return out
    }
    for chunk in results { for r in chunk { merged.accept(r) } }
    let actual = merged.finish()
    #expect(actual == expected)
    #expect(actual.issues.contains { $0.code == "row.duplicate" })
  }
}
