import AllotReaders
import ArgumentParser

/// `allot template`: the input template as CSV and XLSX.
struct TemplateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "template",
    abstract: "Write the allocation input template (allocations-template.csv and .xlsx).",
    discussion: "The XLSX has a Notes sheet that explains every column. The same files live in templates/."
  )

  @Option(help: ArgumentHelp("Folder to write into (created if missing).", valueName: "DIR"))
  var out: String = "."

  func run() throws {
    do {
      try FileSystem.makeDirectory(out)
      let csvPath = out + "/allocations-template.csv"
      let xlsxPath = out + "/allocations-template.xlsx"
      let csv = try CSVWriter(path: csvPath)
      try csv.writeRow(AllocationTemplate.columns.map(\.header))
      try csv.writeRow(AllocationTemplate.columns.map(\.example))
      try csv.finish()

      let x = try XLSXWriter(path: xlsxPath)
      try x.startSheet(
        name: "Allocations",
        columnWidths: AllocationTemplate.columns.map { Double(max(12, $0.example.count + 2)) },
        freezeHeader: true)
      try x.writeRow(
        AllocationTemplate.columns.map { XLSXWriter.Cell($0.header, style: .bold, comment: $0.note) })
      try x.writeRow(AllocationTemplate.columns.map { XLSXWriter.Cell(.text($0.example)) })
      try x.startSheet(name: "Notes", columnWidths: [24, 22, 12, 90])
      try x.writeRow(
        ["Column", "Magna field", "Required", "What to write"].map { XLSXWriter.Cell($0, style: .bold) })
      for c in AllocationTemplate.columns {
        try x.writeRow([
          XLSXWriter.Cell(c.header), XLSXWriter.Cell(c.field), XLSXWriter.Cell(c.required),
          XLSXWriter.Cell(c.note, style: .wrap),
        ])
      }
      try x.writeRow([])
      for line in AllocationTemplate.generalNotes {
        try x.writeRow([XLSXWriter.Cell(line, style: .wrap)])
      }
      try x.finish()
      Console.out("Wrote \(csvPath) and \(xlsxPath).")
    } catch {
      throw error.reportAndExit()
    }
  }
}

/// The template's columns: header, Magna field, whether it is required, an example and a note.
enum AllocationTemplate {
  struct Column {
    var header: String
    var field: String
    var required: String
    var example: String
    var note: String
  }

  static let columns: [Column] = [
    Column(
      header: "Stakeholder Name", field: "stakeholder.name", required: "yes", example: "Ada Lovelace",
      note: "The person or entity receiving the tokens."),
    Column(
      header: "Stakeholder Email", field: "stakeholder.email", required: "no", example: "ada@example.org",
      note: "A well-formed email address, if known."),
    Column(
      header: "X Handle", field: "stakeholder.xHandle", required: "no", example: "ada_lovelace",
      note: "The X (Twitter) handle, with or without a leading @ (it is removed)."),
    Column(
      header: "Employee Number", field: "stakeholder.employeeNumber", required: "no", example: "00042",
      note: "Kept exactly as written, leading zeros included: format the column as Text."),
    Column(
      header: "Wallet Address", field: "walletAddress", required: "no",
      example: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
      note:
        "EVM 0x + 40 hex (EIP-55 checksum when mixed case), Solana base58 or Tron T… address. Checked before sending."
    ),
    Column(
      header: "Amount", field: "amount", required: "yes", example: "12500.5",
      note:
        "A positive exact decimal: digits, optional . and fraction. No thousands separators, currency signs or exponents. Format the column as Text for more than 15 digits."
    ),
    Column(
      header: "Category", field: "category", required: "yes", example: "Team",
      note:
        "Allocation category; created in Magna if it does not exist. --category sets it for the whole file."),
    Column(
      header: "Contract ID", field: "contractId", required: "yes",
      example: "f4d2525e-0392-4f4a-b5b7-540943339dfc",
      note: "UUID of the Magna contract. --contract-id sets it for the whole file."),
    Column(
      header: "Token ID", field: "tokenId", required: "yes", example: "c506e90f-4839-438b-89e1-761aa227dd7e",
      note: "UUID of the token; it must belong to your Magna project. --token-id sets it for the whole file."),
    Column(
      header: "Unlock Schedule ID", field: "unlockScheduleId", required: "one schedule",
      example: "cf91b257-e45e-4fc4-af25-34bc03f83e8c",
      note: "UUID of the unlock schedule. Every row needs an unlock or a vesting schedule."),
    Column(
      header: "Unlock Start", field: "unlockStartAt", required: "no", example: "2027-01-01",
      note:
        "ISO 8601 date (YYYY-MM-DD) or date-time; a date cell works too. Never 03/04/2027: it is ambiguous."),
    Column(
      header: "Vesting Schedule ID", field: "vestingScheduleId", required: "one schedule", example: "",
      note: "UUID of the vesting schedule."),
    Column(
      header: "Vesting Start", field: "vestingStartAt", required: "no", example: "",
      note: "ISO 8601 date or date-time."),
    Column(
      header: "Release Mode", field: "releaseMode", required: "no", example: "LINEAR",
      note: "LINEAR or CLIFF."),
    Column(
      header: "Cancellable", field: "cancellable", required: "no", example: "yes",
      note: "true/false, yes/no or 1/0; Magna's default is true."),
    Column(
      header: "Received Off Magna", field: "receivedOffMagna", required: "no", example: "",
      note: "Amount already received outside Magna: a positive exact decimal."),
    Column(
      header: "Description", field: "description", required: "no", example: "Founding engineer grant",
      note: "Free text."),
    Column(
      header: "attr:department", field: "customAttributes", required: "no", example: "Engineering",
      note: "Any column named attr:<key> becomes a custom attribute <key> on the allocation."),
  ]

  static let generalNotes = [
    "One row per allocation. Keep the header row; extra title rows above it are fine.",
    "Run `allot validate FILE` to check the sheet, and `allot validate FILE --errors-out fixes.xlsx` for a copy with every problem marked.",
    "Magna's own dashboard template (Name, Email, Wallet, Allocation Amount, Allocation Category, Unlock Start, Unlock Schedule) is accepted as it is.",
  ]
}
