/// How much a validation issue matters: an `error` blocks the row; a `warning` does not.
public enum Severity: String, Sendable, Codable, Hashable {
  case error, warning
}

/// A problem found in an input file, named by row, column and reason.
///
/// `row` is the row number the user sees in the spreadsheet (0 for file-level issues such as a missing
/// column); `column` is the header text the user wrote (or the column letter when there is none);
/// `field` is the Magna field path (`amount`, `stakeholder.email`) or `row` for whole-row issues;
/// `code` is stable and dotted (`amount.not_positive`) and listed in the README.
public struct Issue: Sendable, Codable, Hashable {
  public var row: Int
  public var column: String?
  public var field: String
  public var severity: Severity
  public var code: String
  public var message: String
  public var value: String?

  public init(
    row: Int, column: String?, field: String, severity: Severity, code: String, message: String,
    value: String?
  ) {
    self.row = row
    self.column = column
    self.field = field
    self.severity = severity
    self.code = code
    self.message = message
    self.value = value
  }
}
