/// Validates a whole sheet, fed one row at a time (streaming: rows are not kept).
///
/// It finds the header row (below any title rows, or the row given in the options), then validates data
/// rows, skipping blank ones, warns about rows that repeat an earlier row, and sums up.
///
/// Sequential use: `feed(_:)` every row, then `finish()`.
/// Parallel use: `feed(_:)` rows until `validator` is non-nil (the header is resolved); then validate
/// chunks of the following rows with `validator.validate(row:)` on any threads and pass the results to
/// `accept(_:)` in row order; then `finish()`. Duplicate detection happens in `accept`.
public struct FileValidator: Sendable {
  public let options: ValidationOptions
  /// Keep every issue for the summary (turn off to stream issues from the returned `RowValidation`s
  /// and keep memory flat; file-level issues are always kept).
  public var collectIssues: Bool

  /// Available once the header row has been resolved.
  public private(set) var validator: AllocationValidator?

  private var nonBlankBeforeHeader = 0
  private var headerMissing = false
  private var rows = 0
  private var valid = 0
  private var invalid = 0
  private var errors = 0
  private var warnings = 0
  private var fileIssues: [Issue] = []
  private var rowIssues: [Issue] = []
  private var lastRow = Int.min
  private var outOfOrder = false
  private var firstRowOfBody = DuplicateTable()

  public init(options: ValidationOptions = ValidationOptions(), collectIssues: Bool = true) {
    self.options = options
    self.collectIssues = collectIssues
  }

  /// Makes room for the duplicate keys of about `rows` data rows in all (a hint: the file's size over
  /// the size of its first rows), so that the table need not grow as the rows come.
  public mutating func expectRows(_ rows: Int) {
    firstRowOfBody.reserve(rows)
  }

  /// The resolved columns, once the header is found.
  public var mapping: ColumnMapping? { validator?.mapping }

  /// Feeds the next row of the sheet. Returns the row's validation when it is a data row (with
  /// duplicate warnings added), nil for title, header and blank rows.
  @discardableResult
  public mutating func feed(_ row: SheetRow) -> RowValidation? {
    if let validator {
      if row.isBlank { return nil }
      return accept(validator.validate(row: row))
    }
    if headerMissing {
      if row.isBlank { return nil }
      return accept(RowValidation(rowNumber: row.rowNumber, allocation: nil, issues: []))
    }
    if let wanted = options.headerRow {
      if row.rowNumber < wanted { return nil }
      if row.rowNumber == wanted && !row.isBlank {
        resolveHeader(row)
        return nil
      }
      headerNotFound("Row \(wanted), given as the header row, is empty.")
      return feed(row)
    }
    if row.isBlank { return nil }
    if ColumnMapping.knownFieldCount(row, options: options) >= 2 {
      resolveHeader(row)
      return nil
    }
    nonBlankBeforeHeader += 1
    if nonBlankBeforeHeader >= options.headerSearchRows {
      headerNotFound(
        "No header row found in the first \(options.headerSearchRows) non-blank rows: a header row names at least two columns (amount, contractId, Email, Wallet, …). Give the row with --header-row or use a mapping file."
      )
    }
    return nil
  }

  /// Merges the result of `validator.validate(row:)` (parallel use). Blank results are ignored.
  @discardableResult
  public mutating func accept(_ result: RowValidation) -> RowValidation? {
    if result.isBlank { return nil }
    var result = result
    rows += 1
    if result.rowNumber < lastRow { outOfOrder = true }
    lastRow = result.rowNumber
    if let key = result.duplicateKey, let issue = duplicate(key, row: result.rowNumber) {
      result.issues.append(issue)
    }
    if result.isValid { valid += 1 } else { invalid += 1 }
    for issue in result.issues {
      if issue.severity == .error { errors += 1 } else { warnings += 1 }
    }
    if collectIssues { rowIssues += result.issues }
    return result
  }

  /// `accept(_:)` for a valid row with no issue of its own, known by its number and duplicate key (a
  /// row checked by `AllocationValidator.validateWithoutRequest`). Returns its `row.duplicate`
  /// warning, if any.
  @discardableResult
  public mutating func acceptValid(rowNumber: Int, duplicateKey key: UInt64) -> Issue? {
    rows += 1
    if rowNumber < lastRow { outOfOrder = true }
    lastRow = rowNumber
    valid += 1
    guard let issue = duplicate(key, row: rowNumber) else { return nil }
    warnings += 1
    if collectIssues { rowIssues.append(issue) }
    return issue
  }

  /// Starts loading what `acceptValid(rowNumber:duplicateKey:)` for `key` will touch (call it some
  /// rows ahead: the duplicate table is probed at random). Mutating only so that a call on an `inout`
  /// validator does not copy it.
  public mutating func prefetchDuplicate(_ key: UInt64) { firstRowOfBody.prefetch(key) }

  /// The `row.duplicate` warning when an earlier row had the same key; else records the key.
  private mutating func duplicate(_ key: UInt64, row: Int) -> Issue? {
    guard let earlier = firstRowOfBody.firstRow(of: key, else: Int32(clamping: row)) else { return nil }
    return Issue(
      row: row, column: nil, field: "row", severity: .warning, code: "row.duplicate",
      message:
        "Row \(row) repeats row \(earlier) exactly; sending both creates two allocations. Delete it if it is a copy.",
      value: nil)
  }

  /// The summary: counts and every issue, file-level ones first, then by row and column order.
  public mutating func finish() -> ValidationSummary {
    if validator == nil && !headerMissing {
      if let wanted = options.headerRow {
        headerNotFound("The file ends before row \(wanted), given as the header row.")
      } else {
        headerNotFound(
          "No header row found: a header row names at least two columns (amount, contractId, Email, Wallet, …). Give the row with --header-row or use a mapping file."
        )
      }
    }
    if outOfOrder {
      rowIssues = rowIssues.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }
        .map(\.element)
    }
    let fileErrors = fileIssues.filter { $0.severity == .error }.count
    return ValidationSummary(
      headerRow: validator?.mapping.headerRow, rows: rows, valid: valid, invalid: invalid,
      errorCount: errors + fileErrors, warningCount: warnings + fileIssues.count - fileErrors,
      issues: fileIssues.isEmpty ? rowIssues : fileIssues + rowIssues)  // no copy of many row issues
  }

  private mutating func resolveHeader(_ row: SheetRow) {
    let mapping = ColumnMapping.resolve(header: row, options: options)
    let v = AllocationValidator(mapping: mapping, options: options)
    fileIssues += v.fileIssues
    validator = v
  }

  private mutating func headerNotFound(_ message: String) {
    headerMissing = true
    let (_, optionIssues) = options.resolvedDefaults()
    fileIssues += optionIssues
    fileIssues.append(
      Issue(
        row: 0, column: nil, field: "row", severity: .error, code: "header.not_found", message: message,
        value: nil))
    // Rows searched for a header may have been data: they cannot be sent.
    rows += nonBlankBeforeHeader
    invalid += nonBlankBeforeHeader
    nonBlankBeforeHeader = 0
  }
}

/// What `allot validate` reports for a file.
public struct ValidationSummary: Sendable, Hashable {
  /// 1-based header row, nil when none was found.
  public var headerRow: Int?
  /// Data rows seen (blank rows, title rows and the header excluded).
  public var rows: Int
  public var valid: Int
  public var invalid: Int
  public var errorCount: Int
  public var warningCount: Int
  /// File-level issues first (options, mapping, columns), then row issues by row and column order.
  public var issues: [Issue]

  /// True when any row or the file has an error (exit status 1).
  public var hasErrors: Bool { errorCount > 0 || invalid > 0 }
}
