import AllotCore
import Dispatch

/// One input of a reconciliation, as the run header shows it.
public struct ReportInput: Sendable, Hashable {
  /// `payouts` or `transactions`.
  public var role: String
  /// What the user named: a file path, `batch 12`, or `Magma API (…)`.
  public var name: String
  /// SHA-256 of the file's bytes (or of the canonical rows for non-file inputs), lower-case hex.
  public var sha256: String
  public var rows: Int

  public init(role: String, name: String, sha256: String, rows: Int) {
    self.role = role
    self.name = name
    self.sha256 = sha256
    self.rows = rows
  }
}

/// Writes the reconciliation reports into a folder: `reconciliation.html` (from the
/// `reconciliation.html.mustache` template), `reconciliation.csv`, `unmatched-transactions.csv`,
/// `summary.csv` and `reconciliation.json`. Deterministic: no clock, stable ordering.
public struct ReconciliationReport: Sendable {
  public static let files = [
    "reconciliation.html", "reconciliation.csv", "unmatched-transactions.csv", "summary.csv",
    "reconciliation.json",
  ]

  public let result: ReconciliationResult
  public let inputs: [ReportInput]
  /// Rows of each table in the HTML before "and N more" (the CSV always has everything).
  public var htmlRowLimit = 500

  public init(result: ReconciliationResult, inputs: [ReportInput]) {
    self.result = result
    self.inputs = inputs
  }

  /// Writes every report into `directory` (which must exist). `templatesDirectory` overrides the
  /// built-in templates file by file. Returns the paths written.
  @discardableResult
  public func write(to directory: String, templatesDirectory: String? = nil) throws -> [String] {
    let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    // The HTML renders on a thread of its own while the itemised files are written (their writer
    // spends much of its time waiting for the disk).
    let html = HTMLRendering(self, templatesDirectory: templatesDirectory)
    try writeItemised(
      csv: dir + "/reconciliation.csv", unmatchedCSV: dir + "/unmatched-transactions.csv",
      json: dir + "/reconciliation.json")
    try writeSummaryCSV(to: dir + "/summary.csv")
    try ReportFileWriter.write(try html.result(), to: dir + "/reconciliation.html")
    return Self.files.map { dir + "/" + $0 }
  }

  // MARK: CSV

  public static let itemisedColumns = [
    "expected_ref", "stakeholder", "wallet", "currency", "network", "due_date", "expected_amount",
    "paid_amount",
    "difference", "category", "rule", "transaction_ids", "reason",
  ]
  public static let unmatchedColumns = [
    "transaction_id", "type", "status", "currency", "network", "amount", "destination", "created_at",
    "category",
    "reason",
  ]

  func amount(_ d: ExactDecimal, like ref: ExactDecimal) -> String {
    ReconciliationResult.format(d, like: ref)
  }

  public static var summaryColumns: [String] {
    ["currency", "network", "expected_count", "expected_amount", "paid_amount", "difference"]
      + ReconciliationCategory.allCases.flatMap { ["\($0.rawValue)_count", "\($0.rawValue)_amount"] }
  }

  public func writeSummaryCSV(to path: String) throws {
    let w = try ReportFileWriter(path: path)
    try w.write(CSVField.line(Self.summaryColumns))
    for t in result.totals {
      var cells = [
        CSVField.text(t.currency), CSVField.text(t.network), String(t.expectedCount), t.expected.plainText,
        amount(t.paid, like: t.expected), amount(t.difference, like: t.expected),
      ]
      for c in ReconciliationCategory.allCases {
        let ct = t.total(c)
        cells.append(String(ct.count))
        cells.append(ct.amount.plainText)
      }
      try w.write(CSVField.line(cells))
    }
    try w.close()
  }

}
