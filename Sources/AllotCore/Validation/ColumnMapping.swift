/// Which column fills which field, resolved from the header row, the mapping overrides and the
/// whole-file defaults, with the problems found on the way (unknown, duplicate, missing columns).
public struct ColumnMapping: Sendable, Hashable {
  public struct Column: Sendable, Hashable {
    /// 0-based column index (A = 0).
    public var index: Int
    /// The header text as written (trimmed).
    public var header: String
    /// The field it fills; nil for an unknown, ignored or blank-headed column.
    public var field: AllocationField?
  }

  /// 1-based row number of the header row.
  public var headerRow: Int
  /// Every non-blank header cell, left to right.
  public var columns: [Column]
  /// Column-level issues (row = header row) and mapping problems.
  public var issues: [Issue]

  /// Column index of each standard field, by `AllocationField.standard` position (-1 when absent).
  var standardIndex: [Int]
  /// Custom attribute columns, left to right.
  var attributes: [(key: String, index: Int)]
  /// Header text of each column index (column letter when the header is blank).
  var headerTexts: [String]

  public static func == (a: ColumnMapping, b: ColumnMapping) -> Bool {
    a.headerRow == b.headerRow && a.columns == b.columns && a.issues == b.issues
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(headerRow)
    hasher.combine(columns)
  }

  /// The column filling `field`, if any.
  public func column(of field: AllocationField) -> Int? {
    if case .attribute(let key) = field { return attributes.first { $0.key == key }?.index }
    guard let position = AllocationField.standard.firstIndex(of: field) else { return nil }
    let index = standardIndex[position]
    return index < 0 ? nil : index
  }

  /// The header text the user wrote above column `index` (its letter when blank).
  public func headerText(_ index: Int) -> String {
    index < headerTexts.count ? headerTexts[index] : ColumnName.letters(index)
  }

  /// True when a column-level error means no row can be sent.
  public var isBlocking: Bool { issues.contains { $0.severity == .error } }

  /// The field a header cell maps to under `overrides` (already normalised by `Overrides`), or nil;
  /// `.some(nil)` when the override says `ignore`.
  static func lookup(_ header: String, _ overrides: Overrides) -> AllocationField?? {
    if let o = overrides.target(for: header) { return .some(o) }
    if let f = HeaderMatcher.field(for: header) { return .some(f) }
    return nil
  }

  /// How many cells of `row` name a field (for header-row detection).
  public static func knownFieldCount(_ row: SheetRow, options: ValidationOptions) -> Int {
    let overrides = Overrides(options.mapping)
    var n = 0
    for cell in row.cells where cell.kind == .text {
      let header = TextScan.trimmed(cell.text)
      if header.isEmpty { continue }
      if case .some(.some) = lookup(header, overrides) { n += 1 }
    }
    return n
  }

  /// Resolves `header` (the header row) under `options`.
  public static func resolve(header: SheetRow, options: ValidationOptions) -> ColumnMapping {
    let overrides = Overrides(options.mapping)
    let row = header.rowNumber
    var issues = overrides.problems.map { problem in
      Issue(
        row: 0, column: problem.header, field: "column", severity: .error, code: "mapping.unknown_field",
        message: problem.message, value: problem.target)
    }
    var columns: [Column] = []
    var headerTexts: [String] = []
    var standardIndex = [Int](repeating: -1, count: AllocationField.standard.count)
    var attributes: [(key: String, index: Int)] = []
    var firstColumnOf: [AllocationField: Int] = [:]
    for (index, cell) in header.cells.enumerated() {
      let text = TextScan.trimmed(cell.text)
      headerTexts.append(text.isEmpty ? ColumnName.letters(index) : text)
      if text.isEmpty || cell.kind == .empty { continue }
      let letter = ColumnName.letters(index)
      var field: AllocationField? = nil
      switch lookup(text, overrides) {
      case .some(.some(let f)): field = f
      case .some(.none): break  // ignored on purpose
      case .none:
        issues.append(
          Issue(
            row: row, column: text, field: "column", severity: .warning, code: "column.unknown",
            message:
              "Column \(letter) (\(text)) is not a Magna field and will not be sent. Rename it to attr:\(text) to send it as a custom attribute, or map or ignore it in the mapping file.",
            value: text))
      }
      if let f = field {
        if case .attribute(let key) = f, key == AllocationRequest.referenceAttributeKey {
          issues.append(
            Issue(
              row: row, column: text, field: f.path, severity: .error, code: "column.reserved",
              message:
                "Column \(letter) (\(text)) uses the attribute key \(key), which allot reserves for its own row reference; rename the column.",
              value: text))
          field = nil
        } else if let earlier = firstColumnOf[f] {
          issues.append(
            Issue(
              row: row, column: text, field: f.path, severity: .error, code: "column.duplicate",
              message:
                "Columns \(ColumnName.letters(earlier)) (\(headerTexts[earlier])) and \(letter) (\(text)) both fill \(f.path); remove one, or map one of them to ignore in the mapping file.",
              value: text))
          field = nil
        } else {
          firstColumnOf[f] = index
          if case .attribute(let key) = f {
            attributes.append((key, index))
          } else if let position = AllocationField.standard.firstIndex(of: f) {
            standardIndex[position] = index
          }
        }
      }
      columns.append(Column(index: index, header: text, field: field))
    }
    for unused in overrides.entries where !unused.used(in: columns.map(\.header)) {
      issues.append(
        Issue(
          row: 0, column: unused.header, field: "column", severity: .warning, code: "mapping.unused",
          message:
            "The mapping names the column \(unused.header), but the header row \(row) has no such column.",
          value: unused.header))
    }
    var mapping = ColumnMapping(
      headerRow: row, columns: columns, issues: issues, standardIndex: standardIndex, attributes: attributes,
      headerTexts: headerTexts)
    mapping.issues += mapping.missingColumns(options: options)
    return mapping
  }

  /// `column.missing` errors for required fields that no column and no whole-file default supply.
  private func missingColumns(options: ValidationOptions) -> [Issue] {
    var issues: [Issue] = []
    func has(_ f: AllocationField) -> Bool { column(of: f) != nil }
    func missing(_ field: String, _ message: String) {
      issues.append(
        Issue(
          row: headerRow, column: nil, field: field, severity: .error, code: "column.missing",
          message: message,
          value: nil))
    }
    if !has(.amount) {
      missing("amount", "No amount column: add a column named amount (or Allocation Amount).")
    }
    let defaults: [(AllocationField, String?, String)] = [
      (.contractId, options.contractId, "--contract-id"), (.tokenId, options.tokenId, "--token-id"),
      (.category, options.category, "--category"),
    ]
    for (field, value, option) in defaults
    where !has(field) && (value.map { TextScan.trimmed($0).isEmpty } ?? true) {
      missing(field.path, "No \(field.path) column: add one, or give \(option) for the whole file.")
    }
    if !has(.unlockScheduleId) && !has(.vestingScheduleId) {
      missing(
        "unlockScheduleId",
        "No schedule column: add unlockScheduleId (Unlock Schedule) or vestingScheduleId; Magna needs one of them per row."
      )
    }
    if !has(.stakeholderEmail) && !has(.walletAddress) {
      missing(
        "stakeholder.email",
        "No Email or Wallet column: every row needs the stakeholder's email or wallet address (Magna's dashboard rule)."
      )
    }
    return issues
  }
}

/// The mapping file's entries: header text → field (nil = ignore).
struct Overrides {
  struct Entry {
    var header: String
    var normalised: String
    var target: AllocationField?
    func used(in headers: [String]) -> Bool {
      headers.contains { $0 == header || HeaderMatcher.normalise($0) == normalised }
    }
  }

  struct Problem {
    var header: String
    var target: String
    var message: String
  }

  var entries: [Entry] = []
  var problems: [Problem] = []
  private var exact: [String: AllocationField?] = [:]
  private var loose: [String: AllocationField?] = [:]

  init(_ mapping: [String: String]) {
    for (header, target) in mapping.sorted(by: { $0.key < $1.key }) {
      let h = TextScan.trimmed(header)
      let t = TextScan.trimmed(target)
      let field: AllocationField?
      if TextScan.equalsLowercased(t, "ignore") {
        field = nil
      } else if let f = AllocationField(path: t) {
        field = f
      } else {
        problems.append(
          Problem(
            header: h, target: t,
            message:
              "The mapping sends column \(h) to \(t), which is not a field. Use a Magna path (amount, contractId, stakeholder.email, …), attr:<key>, or ignore."
          ))
        continue
      }
      let n = HeaderMatcher.normalise(h)
      entries.append(Entry(header: h, normalised: n, target: field))
      exact[h] = .some(field)
      if loose[n] == nil { loose[n] = .some(field) }
    }
  }

  /// `.some(field)` or `.some(nil)` (ignore) when the mapping names `header`; nil otherwise.
  func target(for header: String) -> AllocationField?? {
    if entries.isEmpty { return nil }
    if let f = exact[header] { return .some(f) }
    if let f = loose[HeaderMatcher.normalise(header)] { return .some(f) }
    return nil
  }
}
