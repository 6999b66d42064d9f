import AllotCore
import Testing

func textRow(_ number: Int, _ values: [String]) -> SheetRow {
  SheetRow(rowNumber: number, cells: values.map { $0.isEmpty ? Cell.empty : Cell.text($0) })
}

@Suite struct HeaderMatcherTests {
  @Test(arguments: [
    ("amount", "amount"), ("Amount", "amount"), ("Allocation Amount", "amount"), ("contractId", "contractId"),
    ("Contract ID", "contractId"), ("contract_id", "contractId"), ("Token-ID", "tokenId"),
    ("Allocation Category", "category"), ("Name", "stakeholder.name"), ("Email", "stakeholder.email"),
    ("stakeholder.email", "stakeholder.email"), ("Stakeholder Email", "stakeholder.email"),
    ("stakeholder_email", "stakeholder.email"), ("E-mail", "stakeholder.email"), ("Wallet", "walletAddress"),
    ("Wallet Address", "walletAddress"), ("Unlock Start", "unlockStartAt"),
    ("Unlock Schedule", "unlockScheduleId"),
    ("unlockScheduleId", "unlockScheduleId"), ("Vesting Schedule ID", "vestingScheduleId"),
    ("vesting_start_at", "vestingStartAt"), ("Release Mode", "releaseMode"),
    ("Received Off Magna", "receivedOffMagna"), ("Cancellable", "cancellable"),
    ("X Handle", "stakeholder.xHandle"),
    ("Twitter", "stakeholder.xHandle"), ("Employee Number", "stakeholder.employeeNumber"),
    ("stakeholder.employeeNumber", "stakeholder.employeeNumber"), ("Description", "description"),
    ("Amount *", "amount"), ("attr:Department", "attr:Department"),
    ("ATTR: cost centre ", "attr:cost centre"),
  ])
  func matches(_ header: String, _ path: String) {
    #expect(HeaderMatcher.field(for: header)?.path == path)
  }

  @Test(arguments: ["Department", "Notes2", "attr:", "", "Total"])
  func unknown(_ header: String) {
    #expect(HeaderMatcher.field(for: header) == nil)
  }

  @Test func fieldPathsRoundTrip() {
    for field in AllocationField.standard {
      #expect(AllocationField(path: field.path) == field)
    }
    #expect(AllocationField(path: "attr:Team") == .attribute("Team"))
    #expect(AllocationField(path: "nope") == nil)
  }
}

@Suite struct ColumnMappingTests {
  let full = [
    "amount", "contractId", "tokenId", "category", "Name", "Email", "unlockScheduleId", "Wallet",
  ]

  @Test func resolvesColumnsAndReportsUnknownOnes() {
    let header = textRow(3, full + ["Department"])
    let m = ColumnMapping.resolve(header: header, options: ValidationOptions())
    #expect(m.headerRow == 3)
    #expect(m.column(of: .amount) == 0)
    #expect(m.column(of: .walletAddress) == 7)
    #expect(m.issues.map(\.code) == ["column.unknown"])
    #expect(m.issues.first?.severity == .warning)
    #expect(m.issues.first?.row == 3)
    #expect(m.issues.first?.column == "Department")
    #expect(m.issues.first?.message.contains("attr:Department") == true)
    #expect(!m.isBlocking)
  }

  @Test func duplicateColumnsAreAnError() {
    let m = ColumnMapping.resolve(header: textRow(1, full + ["E-mail"]), options: ValidationOptions())
    let dup = m.issues.first { $0.code == "column.duplicate" }
    #expect(dup?.severity == .error)
    #expect(dup?.field == "stakeholder.email")
    #expect(dup?.message.contains("F (Email) and I (E-mail)") == true)
    #expect(m.isBlocking)
  }

  @Test func missingRequiredColumnsUnlessDefaulted() {
    let header = textRow(1, ["Name", "Email", "Allocation Amount", "Unlock Schedule"])
    let bare = ColumnMapping.resolve(header: header, options: ValidationOptions())
    #expect(
      Set(bare.issues.filter { $0.code == "column.missing" }.map(\.field)) == [
        "contractId", "tokenId", "category",
      ])
    let withDefaults = ColumnMapping.resolve(
      header: header,
      options: ValidationOptions(
        contractId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", tokenId: "3f2504e0-4f89-41d3-9a0c-0305e82c3302",
        category: "Team"))
    #expect(withDefaults.issues.isEmpty)
  }

  @Test func missingScheduleAndRecipientColumns() {
    let m = ColumnMapping.resolve(
      header: textRow(1, ["amount", "contractId", "tokenId", "category", "Name"]),
      options: ValidationOptions())
    let messages = m.issues.filter { $0.code == "column.missing" }.map(\.message)
    #expect(messages.contains { $0.contains("schedule") })
    #expect(messages.contains { $0.contains("Email or Wallet") })
  }

  @Test func mappingOverridesWin() {
    let options = ValidationOptions(mapping: [
      "Qty": "amount", "Department": "attr:dept", "Email": "ignore", "Contact": "stakeholder.email",
      "Extra": "bogus.field", "Not there": "description",
    ])
    let header = textRow(
      1,
      [
        "Qty", "contractId", "tokenId", "category", "Email", "contact", "Department", "unlockScheduleId",
        "Extra",
      ])
    let m = ColumnMapping.resolve(header: header, options: options)
    #expect(m.column(of: .amount) == 0)
    #expect(m.column(of: .stakeholderEmail) == 5)
    #expect(m.column(of: .attribute("dept")) == 6)
    #expect(m.issues.contains { $0.code == "mapping.unknown_field" && $0.severity == .error })
    #expect(m.issues.contains { $0.code == "mapping.unused" && $0.column == "Not there" })
    #expect(!m.issues.contains { $0.code == "column.unknown" && $0.column == "Email" })
  }

  @Test func reservedAttributeKey() {
    let m = ColumnMapping.resolve(header: textRow(1, full + ["attr:allot_ref"]), options: ValidationOptions())
    #expect(m.issues.contains { $0.code == "column.reserved" })
  }

  @Test func knownFieldCountForHeaderDetection() {
    #expect(
      ColumnMapping.knownFieldCount(textRow(1, ["Allocations Q1 2026"]), options: ValidationOptions()) == 0)
    #expect(ColumnMapping.knownFieldCount(textRow(2, full), options: ValidationOptions()) == 8)
  }
}
