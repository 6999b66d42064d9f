/// Settings for validating one file: whole-file defaults (Magna's dashboard template has no contract or
/// token column), limits, the workbook's date system and how columns are found.
public struct ValidationOptions: Sendable, Hashable {
  /// Used for rows whose contract cell is empty or when there is no such column.
  public var contractId: String?
  public var tokenId: String?
  public var category: String?
  public var releaseMode: String?
  /// Most fractional digits an amount may have (default 18, the usual token precision).
  public var maxDecimals: Int
  /// Release modes accepted (upper case), default `LINEAR`, `CLIFF`.
  public var allowedReleaseModes: [String]
  /// How numeric date serials are read (the workbook's `date1904` flag; CSV files use 1900).
  public var dateSystem: DateSystem
  /// Header text → field path (`amount`, `stakeholder.email`, `attr:Department`) or `ignore`. Wins over
  /// the automatic match. Header text is compared exactly first, then without regard to case, spaces,
  /// underscores, dashes and dots.
  public var mapping: [String: String]
  /// The 1-based row number of the header row; nil to find it among the first `headerSearchRows`
  /// non-blank rows.
  public var headerRow: Int?
  public var headerSearchRows: Int

  public init(
    contractId: String? = nil, tokenId: String? = nil, category: String? = nil, releaseMode: String? = nil,
    maxDecimals: Int = 18, allowedReleaseModes: [String] = ReleaseModeRule.defaultModes,
    dateSystem: DateSystem = .excel1900, mapping: [String: String] = [:], headerRow: Int? = nil,
    headerSearchRows: Int = 20
  ) {
    self.contractId = contractId
    self.tokenId = tokenId
    self.category = category
    self.releaseMode = releaseMode
    self.maxDecimals = maxDecimals
    self.allowedReleaseModes = allowedReleaseModes
    self.dateSystem = dateSystem
    self.mapping = mapping
    self.headerRow = headerRow
    self.headerSearchRows = headerSearchRows
  }

  /// The defaults after validation, normalised as they will be sent.
  public struct Defaults: Sendable, Hashable {
    public var contractId: String?
    public var tokenId: String?
    public var category: String?
    public var releaseMode: String?
    public var allowedReleaseModes: [String]
  }

  /// Normalised defaults and the problems with the options themselves (row 0, `column` naming the
  /// command-line option). Any error here makes every row invalid.
  public func resolvedDefaults() -> (Defaults, [Issue]) {
    var issues: [Issue] = []
    func issue(_ option: String, _ field: AllocationField, _ problem: FieldProblem, _ value: String?) {
      issues.append(
        Issue(
          row: 0, column: option, field: field.path, severity: problem.severity, code: problem.code,
          message: problem.message, value: value))
    }
    var modes: [String] = []
    for mode in allowedReleaseModes {
      let m = TextScan.asciiUppercased(TextScan.trimmed(mode))
      if !m.isEmpty && !modes.contains(m) { modes.append(m) }
    }
    if modes.isEmpty {
      modes = ReleaseModeRule.defaultModes
    }
    var d = Defaults(allowedReleaseModes: modes)
    func uuid(_ text: String?, _ option: String, _ field: AllocationField) -> String? {
      guard let text else { return nil }
      let t = TextScan.trimmed(text)
      if t.isEmpty { return nil }
      switch UUIDRule.check(t, label: field.label) {
      case .success(let v): return v
      case .failure(let p):
        issue(option, field, p, text)
        return nil
      }
    }
    d.contractId = uuid(contractId, "--contract-id", .contractId)
    d.tokenId = uuid(tokenId, "--token-id", .tokenId)
    if let category {
      let t = TextScan.trimmed(category)
      d.category = t.isEmpty ? nil : t
    }
    if let releaseMode {
      let t = TextScan.trimmed(releaseMode)
      if !t.isEmpty {
        switch ReleaseModeRule.check(t, allowed: modes) {
        case .success(let v): d.releaseMode = v
        case .failure(let p): issue("--release-mode", .releaseMode, p, releaseMode)
        }
      }
    }
    if maxDecimals < 0 || maxDecimals > 38 {
      issues.append(
        Issue(
          row: 0, column: "--max-decimals", field: AllocationField.amount.path, severity: .error,
          code: "option.invalid", message: "--max-decimals must be between 0 and 38 (found \(maxDecimals)).",
          value: String(maxDecimals)))
    }
    return (d, issues)
  }
}
