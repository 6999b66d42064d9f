import AllotCore
import AllotHTTP
import AllotReaders
import AllotReports
import ArgumentParser
import Foundation

/// Reading the two sides of `allot reconcile`, with every problem reported as one sentence.
enum ReconcileInputs {
  struct Payouts {
    var payouts: [ExpectedPayout]
    var sha256: String
    var warnings: [String]
  }

  struct Transactions {
    var transactions: [MagmaTransaction]
    var name: String
    var sha256: String
    var warnings: [String]
  }

  static func readPayouts(_ path: String, mapping: [String: String], limits: ReaderLimits) async throws
    -> Payouts
  {
    var table = PayoutTable(mapping: mapping)
    async let digest = sha256(ofFile: path)
    let readerWarnings = try read(path, limits: limits, into: &table)
    let hash = try await digest
    table.finish()
    let warnings = try readerWarnings.map(\.message) + check(table.issues, file: path)
    return Payouts(payouts: table.payouts, sha256: hash, warnings: warnings)
  }

  static func readTransactions(_ path: String, mapping: [String: String], limits: ReaderLimits) async throws
    -> Transactions
  {
    var table = TransactionTable(mapping: mapping)
    async let digest = sha256(ofFile: path)
    let readerWarnings = try read(path, limits: limits, into: &table)
    let hash = try await digest
    table.finish()
    let warnings = try readerWarnings.map(\.message) + check(table.issues, file: path)
    return Transactions(transactions: table.transactions, name: path, sha256: hash, warnings: warnings)
  }

  /// `GET /v1/transactions`, every page; the rows go through the same checks as an export file.
  static func fetchTransactions() async throws -> Transactions {
    let configuration: MagmaClientConfiguration
    do {
      configuration = try MagmaClientConfiguration.fromEnvironment()
    } catch {
      Console.error("allot: \(error)")
      throw ExitStatus.configuration
    }
    let dtos: [MagmaTransactionDTO]
    do {
      dtos = try await withMagmaClient(configuration) { client in try await client.allTransactions() }
    } catch let error as MagmaError {
      Console.error("allot: Magma: \(error.description)")
      throw error.isAuthorization ? ExitStatus.configuration : ExitStatus.badInput
    }
    var table = TransactionTable(expectedRows: dtos.count)
    table.consume(SheetRow(rowNumber: 1, cells: MagmaTransactionDTO.csvColumns.map { Cell.text($0) }))
    var sha = SHA256()
    for (i, dto) in dtos.enumerated() {
      let values = dto.csvValues
      sha.update(Array((values.joined(separator: "\u{1F}") + "\n").utf8))
      table.consume(SheetRow(rowNumber: i + 2, cells: values.map { Cell.text($0) }))
    }
    table.finish()
    let name = "Magma API \(configuration.baseURL)/v1/transactions"
    let warnings = try check(table.issues, file: name)
    return Transactions(
      transactions: table.transactions, name: name, sha256: sha.finalizeHex(), warnings: warnings)
  }

  /// Streams the rows of the first visible sheet into `table`, which reserves room once it has seen
  /// a few. A CSV file's rows go as bytes (no `String` per cell before the table picks its columns),
  /// except those with Windows-1252 text.
  /// Returns what the reader noticed about the file (Windows-1252 text, …).
  static func read<Table: StreamedTable>(_ path: String, limits: ReaderLimits, into table: inout Table)
    throws -> [ReaderWarning]
  {
    var estimate = RowCountEstimate(path: path)
    return try read(path, limits: limits) { row in
      if let rows = estimate.sample(row) { table.reserveCapacity(rows) }
      table.consume(row)
    } records: { record in
      if let rows = estimate.sample(record.row) { table.reserveCapacity(rows) }
      if record.bytesAreText {
        table.consume(record.row, sheetRow: record.sheetRow)
      } else {
        table.consume(record.sheetRow())
      }
    }
  }

  /// Streams the rows of the first visible sheet into `body`; a CSV file's rows go to `records` as bytes
  /// instead.
  static func read(
    _ path: String, limits: ReaderLimits, _ body: (SheetRow) -> Void, records: (CSVRecord) -> Void
  ) throws -> [ReaderWarning] {
    do {
      let reader = try Workbook.open(path: path, limits: limits)
      if let csv = reader as? CSVReader {
        return try csv.readRecords { records($0) }
      }
      let sheets = try reader.sheets()
      guard let chosen = sheets.first(where: { !$0.hidden }) ?? sheets.first else {
        Console.error("allot: \(path) has no sheet.")
        throw ExitStatus.badInput
      }
      return try reader.readRows(of: chosen) { body($0) }
    } catch let error as ReaderError {
      throw error.reportAndExit()
    }
  }

  /// The SHA-256 of a file, read in 1 MiB chunks (async so it runs beside the parsing).
  static func sha256(ofFile path: String) async throws -> String {
    // An unreadable file is reported by the reader, which opens it too.
    guard let f = fopen(path, "rb") else { throw ExitStatus.badInput }
    defer { fclose(f) }
    var sha = SHA256()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
      if n <= 0 { break }
      chunk.withUnsafeBytes { sha.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }
    return sha.finalizeHex()
  }

  /// Prints errors (at most 20) and exits 2 when there are any; returns the warnings as sentences.
  static func check(_ issues: IssueList, file: String) throws -> [String] {
    func sentence(_ i: Issue) -> String {
      var place = file
      if i.row > 0 { place += ", row \(i.row)" }
      if let c = i.column { place += ", column \(c)" }
      return "\(place): \(i.message)"
    }
    let errors = issues.items.filter { $0.severity == .error }
    if issues.hasErrors {
      for i in errors.prefix(20) { Console.error("allot: \(sentence(i))") }
      if issues.errorCount > 20 {
        Console.error("allot: … and \(issues.errorCount - 20) more errors in \(file).")
      }
      throw ExitStatus.badInput
    }
    return issues.items.filter { $0.severity == .warning }.map(sentence)
  }

  /// A mapping file: `{"Header": "field"}` (as for validate) or `{"field": "Header"}`, flat or split into
  /// `{"payouts": {...}, "transactions": {...}}`. Returns field → header for each side.
  static func loadMapping(_ path: String) throws -> (
    payouts: [String: String], transactions: [String: String]
  ) {
    guard let data = FileManager.default.contents(atPath: path),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else {
      Console.error(
        "allot: the mapping file \(path) is not a JSON object of header → field, e.g. {\"Payee\": \"stakeholder\"}."
      )
      throw ExitStatus.badInput
    }
    func side<F: ReconciliationField>(_ entries: [String: Any], _: F.Type) throws -> [String: String] {
      let fields = Dictionary(
        F.allCases.map { (ReconciliationColumns<F>.normalized($0.rawValue), $0.rawValue) },
        uniquingKeysWith: { a, _ in a })
      var out: [String: String] = [:]
      for (key, value) in entries {
        guard let text = value as? String else {
          if key == "payouts" || key == "transactions" { continue }
          Console.error(
            "allot: in the mapping file \(path), the value for \"\(key)\" must be text in quotes.")
          throw ExitStatus.badInput
        }
        if let field = fields[ReconciliationColumns<F>.normalized(text)] {
          out[field] = key
        } else if let field = fields[ReconciliationColumns<F>.normalized(key)] {
          out[field] = text
        }
      }
      return out
    }
    let payouts = (object["payouts"] as? [String: Any]) ?? object
    let transactions = (object["transactions"] as? [String: Any]) ?? object
    return (try side(payouts, PayoutField.self), try side(transactions, TransactionField.self))
  }

  static func todayUTC() -> CalendarDay {
    let days = Int((Date().timeIntervalSince1970 / 86_400).rounded(.down))
    return CalendarDay(dayNumber: days)
  }

  /// `reports/<as-of>-<8 hex digits of SHA-256 over the inputs' hashes and the settings>`.
  static func defaultFolder(asOf: CalendarDay, inputs: [ReportInput], settings: ReconciliationSettings)
    -> String
  {
    let text =
      inputs.map(\.sha256).joined(separator: ",")
      + "|\(settings.tolerance.argument)|\(settings.windowDays)|\(asOf)"
    let hex = SHA256.hex(Array(text.utf8))
    return "reports/\(asOf)-\(hex.prefix(8))"
  }
}

/// A reconciliation input table that `ReconcileInputs.read` streams rows into.
protocol StreamedTable {
  mutating func reserveCapacity(_ rows: Int)
  mutating func consume(_ row: SheetRow)
  mutating func consume(_ row: ByteRow, sheetRow: () -> SheetRow)
}

extension PayoutTable: StreamedTable {}
extension TransactionTable: StreamedTable {}

/// Estimates the number of rows of a text file from its size and its first rows, so the tables can
/// reserve room once instead of regrowing (and briefly holding two copies of) a million records.
struct RowCountEstimate {
  private let fileSize: Int
  private var rows = 0
  private var bytes = 0
  private var done = false
  static let sampleRows = 256

  init(path: String) {
    var st = stat()
    fileSize = stat(path, &st) == 0 ? Int(st.st_size) : 0
    done = fileSize == 0
  }

  /// Once, after `sampleRows` rows: the estimated row count of the whole file (5 % over).
  mutating func sample(_ row: SheetRow) -> Int? {
    if done { return nil }
    var size = row.cells.count
    for c in row.cells { size += c.text.utf8.count }
    return sample(bytes: size)
  }

  /// The same for a row given as bytes.
  mutating func sample(_ row: ByteRow) -> Int? {
    if done { return nil }
    var size = row.cells.count
    for c in row.cells { size += c.count }
    return sample(bytes: size)
  }

  private mutating func sample(bytes size: Int) -> Int? {
    rows += 1
    bytes += size
    guard rows == Self.sampleRows else { return nil }
    done = true
    guard bytes > 0 else { return nil }
    return min(fileSize / max(1, bytes / rows) * 21 / 20, 20_000_000)
  }
}

/// The stdout summary of `allot reconcile`.
enum ReconcileSummary {
  static func text(_ r: ReconciliationResult, folder: String) -> String {
    var lines: [String] = []
    lines.append(
      "Reconciled \(r.expected.count) expected payouts with \(r.transactions.count) transactions as of \(r.settings.asOf) (tolerance \(r.settings.tolerance), window \(r.settings.windowDays) days)."
    )
    for t in r.totals {
      lines.append(
        "  \(t.currency) on \(t.network.isEmpty ? "(no network)" : t.network): expected \(t.expected.plainText) (\(t.expectedCount)), paid \(ReconciliationResult.format(t.paid, like: t.expected)), difference \(ReconciliationResult.format(t.difference, like: t.expected))"
      )
    }
    for c in ReconciliationCategory.allCases where r.count(c) > 0 {
      let pad = String(repeating: " ", count: max(1, 26 - c.rawValue.count))
      lines.append("  \(c.rawValue)\(pad)\(r.count(c))\(c.isException ? "  !" : "")")
    }
    lines.append(
      r.hasExceptions
        ? "\(r.exceptionCount) need attention (marked !). Reports in \(folder)/ (open reconciliation.html)."
        : "Nothing needs attention. Reports in \(folder)/.")
    return lines.joined(separator: "\n")
  }

  static func json(_ r: ReconciliationResult, folder: String, inputs: [ReportInput]) -> String {
    let q = JSONString.quoted
    var s =
      "{\"asOf\":\(q(r.settings.asOf.description)),\"out\":\(q(folder)),\"expected\":\(r.expected.count)"
    s += ",\"transactions\":\(r.transactions.count),\"exceptions\":\(r.exceptionCount),\"inputs\":["
    s += inputs.map { "{\"role\":\(q($0.role)),\"name\":\(q($0.name)),\"sha256\":\(q($0.sha256))}" }.joined(
      separator: ",")
    s += "],\"counts\":{"
    s += ReconciliationCategory.allCases.map { "\(q($0.rawValue)):\(r.count($0))" }.joined(separator: ",")
    s += "},\"totals\":["
    s += r.totals.map {
      "{\"currency\":\(q($0.currency)),\"network\":\(q($0.network)),\"expected\":\(q($0.expected.plainText)),\"paid\":\(q(ReconciliationResult.format($0.paid, like: $0.expected))),\"difference\":\(q(ReconciliationResult.format($0.difference, like: $0.expected)))}"
    }.joined(separator: ",")
    s += "],\"files\":["
    s += ReconciliationReport.files.map { q(folder + "/" + $0) }.joined(separator: ",")
    return s + "]}"
  }
}
