import AllotCore

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
public struct ReconciliationReport {
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
    try writeItemisedCSV(to: dir + "/reconciliation.csv")
    try writeUnmatchedCSV(to: dir + "/unmatched-transactions.csv")
    try writeSummaryCSV(to: dir + "/summary.csv")
    try writeJSON(to: dir + "/reconciliation.json")
    let html = try renderHTML(templatesDirectory: templatesDirectory)
    try ReportFileWriter.write(html, to: dir + "/reconciliation.html")
    return Self.files.map { dir + "/" + $0 }
  }

  // MARK: CSV

  public static let itemisedColumns = [
    "expected_ref", "stakeholder", "wallet", "currency", "network", "due_date", "expected_amount", "paid_amount",
    "difference", "category", "rule", "transaction_ids", "reason",
  ]
  public static let unmatchedColumns = [
    "transaction_id", "type", "status", "currency", "network", "amount", "destination", "created_at", "category",
    "reason",
  ]

  func amount(_ d: ExactDecimal, like ref: ExactDecimal) -> String {
    ReconciliationResult.format(d, like: ref)
  }

  public func writeItemisedCSV(to path: String) throws {
    let w = try ReportFileWriter(path: path)
    try w.write(CSVField.line(Self.itemisedColumns))
    for (e, p) in result.expected.enumerated() {
      let o = result.outcomes[e]
      let ids = result.linkedTransactions(e).map { result.transactions[Int($0)].id }.joined(separator: " ")
      try w.write(
        CSVField.line([
          CSVField.text(p.reference), CSVField.text(p.stakeholder), CSVField.text(p.wallet), CSVField.text(p.currency),
          CSVField.text(p.network), CSVField.text(p.dueDate?.description ?? ""), CSVField.number(p.amount.description),
          CSVField.number(amount(o.paid, like: p.amount)), CSVField.number(amount(o.difference, like: p.amount)),
          o.category.rawValue, o.rule?.rawValue ?? "", CSVField.text(ids),
          CSVField.text(result.reason(forExpected: e)),
        ]))
    }
    try w.close()
  }

  public func writeUnmatchedCSV(to path: String) throws {
    let w = try ReportFileWriter(path: path)
    try w.write(CSVField.line(Self.unmatchedColumns))
    for u in result.unmatched {
      let t = result.transactions[u.transactionIndex]
      try w.write(
        CSVField.line([
          CSVField.text(t.id), CSVField.text(t.type), CSVField.text(t.status), CSVField.text(t.currency),
          CSVField.text(t.network), CSVField.number(t.amount.description), CSVField.text(t.destinationAddress),
          CSVField.text(t.createdAt), u.category.rawValue, CSVField.text(result.reason(for: u)),
        ]))
    }
    try w.close()
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
        CSVField.text(t.currency), CSVField.text(t.network), String(t.expectedCount), t.expected.description,
        t.paid.description, t.difference.description,
      ]
      for c in ReconciliationCategory.allCases {
        let ct = t.total(c)
        cells.append(String(ct.count))
        cells.append(ct.amount.description)
      }
      try w.write(CSVField.line(cells))
    }
    try w.close()
  }

  // MARK: JSON

  public func writeJSON(to path: String) throws {
    let w = try ReportFileWriter(path: path)
    let q = JSONString.quoted
    let s = result.settings
    try w.write("{\"asOf\":\(q(s.asOf.description)),\"settings\":{\"tolerance\":\(q(s.tolerance.argument))")
    try w.write(",\"windowDays\":\(s.windowDays),\"maxSplitCandidates\":\(s.maxSplitCandidates)")
    try w.write(",\"maxSplitParts\":\(s.maxSplitParts)},\"inputs\":[")
    for (i, input) in inputs.enumerated() {
      try w.write(i == 0 ? "" : ",")
      try w.write(
        "{\"role\":\(q(input.role)),\"name\":\(q(input.name)),\"sha256\":\(q(input.sha256)),\"rows\":\(input.rows)}")
    }
    try w.write("],\"exceptions\":\(result.exceptionCount),\"counts\":{")
    for (i, c) in ReconciliationCategory.allCases.enumerated() {
      try w.write("\(i == 0 ? "" : ",")\(q(c.rawValue)):\(result.count(c))")
    }
    try w.write("},\"totals\":[")
    for (i, t) in result.totals.enumerated() {
      try w.write(i == 0 ? "\n" : ",\n")
      try w.write("{\"currency\":\(q(t.currency)),\"network\":\(q(t.network)),\"expectedCount\":\(t.expectedCount)")
      try w.write(",\"expected\":\(q(t.expected.description)),\"paid\":\(q(t.paid.description))")
      try w.write(",\"difference\":\(q(t.difference.description)),\"overflow\":\(t.overflow),\"categories\":{")
      for (k, c) in ReconciliationCategory.allCases.enumerated() {
        let ct = t.total(c)
        try w.write("\(k == 0 ? "" : ",")\(q(c.rawValue)):{\"count\":\(ct.count),\"amount\":\(q(ct.amount.description))}")
      }
      try w.write("}}")
    }
    try w.write("],\"expected\":[")
    for (e, p) in result.expected.enumerated() {
      let o = result.outcomes[e]
      try w.write(e == 0 ? "\n" : ",\n")
      try w.write("{\"reference\":\(q(p.reference)),\"stakeholder\":\(q(p.stakeholder)),\"wallet\":\(q(p.wallet))")
      try w.write(",\"currency\":\(q(p.currency)),\"network\":\(q(p.network))")
      try w.write(",\"dueDate\":\(p.dueDate.map { q($0.description) } ?? "null")")
      try w.write(",\"expectedAmount\":\(q(p.amount.description)),\"paidAmount\":\(q(amount(o.paid, like: p.amount)))")
      try w.write(",\"difference\":\(q(amount(o.difference, like: p.amount))),\"category\":\(q(o.category.rawValue))")
      try w.write(",\"rule\":\(o.rule.map { q($0.rawValue) } ?? "null"),\"review\":\(o.review.map { q($0.rawValue) } ?? "null")")
      try w.write(",\"transactionIds\":[")
      try w.write(result.linkedTransactions(e).map { q(result.transactions[Int($0)].id) }.joined(separator: ","))
      try w.write("],\"reason\":\(q(result.reason(forExpected: e))),\"row\":\(p.sourceRow.map(String.init) ?? "null")}")
    }
    try w.write("],\"unmatched\":[")
    for (i, u) in result.unmatched.enumerated() {
      let t = result.transactions[u.transactionIndex]
      try w.write(i == 0 ? "\n" : ",\n")
      try w.write("{\"id\":\(q(t.id)),\"type\":\(q(t.type)),\"status\":\(q(t.status)),\"currency\":\(q(t.currency))")
      try w.write(",\"network\":\(q(t.network)),\"amount\":\(q(t.amount.description))")
      try w.write(",\"destination\":\(q(t.destinationAddress)),\"createdAt\":\(q(t.createdAt))")
      try w.write(",\"category\":\(q(u.category.rawValue)),\"reason\":\(q(result.reason(for: u)))")
      try w.write(",\"row\":\(t.sourceRow.map(String.init) ?? "null")}")
    }
    try w.write("]}\n")
    try w.close()
  }
}
