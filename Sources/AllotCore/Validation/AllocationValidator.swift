/// Validates data rows against Magna's create-allocation rules once the columns are known.
///
/// A `Sendable` value with no mutable state: chunks of rows can be validated on several threads and the
/// results merged in row order by `FileValidator.accept(_:)` (which adds duplicate detection).
public struct AllocationValidator: Sendable {
  public let mapping: ColumnMapping
  public let options: ValidationOptions
  public let defaults: ValidationOptions.Defaults
  /// Problems with the options and the columns (unknown, duplicate, missing), in report order.
  public let fileIssues: [Issue]
  /// True when a file-level error means no row can be sent: every row is then invalid (its own cell
  /// issues are still reported, the file-level issue is reported once).
  public let isBlocked: Bool

  let iAmount: Int
  let iContract: Int
  let iToken: Int
  let iCategory: Int
  let iName: Int
  let iEmail: Int
  let iXHandle: Int
  let iEmployee: Int
  let iDescription: Int
  let iUnlockSchedule: Int
  let iUnlockStart: Int
  let iVestingSchedule: Int
  let iVestingStart: Int
  let iReleaseMode: Int
  let iReceived: Int
  let iCancellable: Int
  let iWallet: Int
  let attributes: [(key: String, index: Int)]
  /// For the byte form: the allowed release modes as bytes (empty when one is not ASCII), and the
  /// attribute columns sent and not sent (allot's own reference key).
  let releaseModeBytes: [[UInt8]]
  let sentAttributes: [(key: String, index: Int)]
  let unsentAttributeColumns: [Int]

  public init(mapping: ColumnMapping, options: ValidationOptions) {
    self.mapping = mapping
    self.options = options
    let (defaults, optionIssues) = options.resolvedDefaults()
    self.defaults = defaults
    self.fileIssues = optionIssues + mapping.issues
    self.isBlocked = fileIssues.contains { $0.severity == .error }
    func index(_ f: AllocationField) -> Int { mapping.column(of: f) ?? -1 }
    iAmount = index(.amount)
    iContract = index(.contractId)
    iToken = index(.tokenId)
    iCategory = index(.category)
    iName = index(.stakeholderName)
    iEmail = index(.stakeholderEmail)
    iXHandle = index(.stakeholderXHandle)
    iEmployee = index(.stakeholderEmployeeNumber)
    iDescription = index(.description)
    iUnlockSchedule = index(.unlockScheduleId)
    iUnlockStart = index(.unlockStartAt)
    iVestingSchedule = index(.vestingScheduleId)
    iVestingStart = index(.vestingStartAt)
    iReleaseMode = index(.releaseMode)
    iReceived = index(.receivedOffMagna)
    iCancellable = index(.cancellable)
    iWallet = index(.walletAddress)
    attributes = mapping.attributes
    let modes = defaults.allowedReleaseModes.map { Array($0.utf8) }
    releaseModeBytes = modes.allSatisfy { $0.allSatisfy { $0 < 0x80 } } ? modes : []
    sentAttributes = attributes.filter { $0.key != AllocationRequest.referenceAttributeKey }
    unsentAttributeColumns = attributes.filter { $0.key == AllocationRequest.referenceAttributeKey }.map(
      \.index)
  }

  /// Collects a row's issues with their column positions.
  private struct Collector {
    var issues: [Issue] = []
    var order: [Int] = []
    var hasError = false
    let row: Int
    let headerTexts: [String]

    mutating func add(_ p: FieldProblem, _ field: AllocationField, column: Int, value: String?) {
      add(p.severity, p.code, p.message, field: field.path, column: column, value: value)
    }

    mutating func add(
      _ severity: Severity, _ code: String, _ message: String, field: String, column: Int, value: String?
    ) {
      issues.append(
        Issue(
          row: row, column: column >= 0 ? header(column) : nil, field: field, severity: severity,
          code: code, message: message, value: value))
      order.append(column >= 0 ? column : Int.max)
      if severity == .error { hasError = true }
    }

    func header(_ index: Int) -> String {
      index < headerTexts.count ? headerTexts[index] : ColumnName.letters(index)
    }

    mutating func sorted() -> [Issue] {
      guard issues.count > 1 else { return issues }
      let idx = issues.indices.sorted { (order[$0], $0) < (order[$1], $1) }
      return idx.map { issues[$0] }
    }
  }

  /// Trimmed text of a column's cell; nil when the column is absent or the cell empty. Error cells are
  /// reported (`cell.error`) and give nil.
  private func text(_ row: SheetRow, _ column: Int, _ field: AllocationField, _ c: inout Collector) -> String?
  {
    guard column >= 0 else { return nil }
    let cell = row[column]
    switch cell.kind {
    case .empty: return nil
    case .error:
      c.add(
        .error, "cell.error",
        "\(field.label) shows the spreadsheet error \(cell.text); fix the formula or type the value.",
        field: field.path, column: column, value: cell.text)
      return nil
    default:
      let t = TextScan.trimmed(cell.text)
      return t.isEmpty ? nil : t
    }
  }

  /// A UUID field's value; `present` when the cell held something (even if wrong or an error cell).
  private func uuid(
    _ row: SheetRow, _ column: Int, _ field: AllocationField, _ c: inout Collector
  ) -> (value: String?, present: Bool) {
    guard let t = text(row, column, field, &c) else {
      return (nil, column >= 0 && row[column].kind == .error)
    }
    switch UUIDRule.check(t, label: field.label) {
    case .success(let v): return (v, true)
    case .failure(let p):
      c.add(p, field, column: column, value: row[column].text)
      return (nil, true)
    }
  }

  private func required(_ field: AllocationField, _ column: Int, _ c: inout Collector, hint: String) {
    c.add(
      .error, "\(field.path).missing", "\(field.label) is empty\(hint).", field: field.path, column: column,
      value: nil)
  }

  public func validate(row: SheetRow) -> RowValidation {
    if row.isBlank {
      return RowValidation(rowNumber: row.rowNumber, allocation: nil, issues: [], isBlank: true)
    }
    var c = Collector(row: row.rowNumber, headerTexts: mapping.headerTexts)

    // amount
    var amount: String? = nil
    if iAmount >= 0 {
      let cell = row[iAmount]
      let o = AmountRule.check(cell, field: .amount, maxDecimals: options.maxDecimals)
      for p in o.problems { c.add(p, .amount, column: iAmount, value: problemValue(p, cell)) }
      amount = o.value
      if o.value == nil && o.problems.isEmpty {
        required(.amount, iAmount, &c, hint: "; every row needs an amount")
      }
    }

    // contractId, tokenId (cell, else whole-file default)
    var (contractId, contractPresent) = uuid(row, iContract, .contractId, &c)
    if contractId == nil && !contractPresent {
      contractId = defaults.contractId
      if contractId == nil && iContract >= 0 {
        required(.contractId, iContract, &c, hint: " and no --contract-id was given")
      }
    }
    var (tokenId, tokenPresent) = uuid(row, iToken, .tokenId, &c)
    if tokenId == nil && !tokenPresent {
      tokenId = defaults.tokenId
      if tokenId == nil && iToken >= 0 {
        required(.tokenId, iToken, &c, hint: " and no --token-id was given")
      }
    }

    // category
    var category = text(row, iCategory, .category, &c)
    if category == nil && !(iCategory >= 0 && row[iCategory].kind == .error) {
      category = defaults.category
      if category == nil && iCategory >= 0 {
        required(.category, iCategory, &c, hint: " and no --category was given")
      }
    }

    // stakeholder
    let name = text(row, iName, .stakeholderName, &c)
    var email: String? = nil
    var emailPresent = false
    if let t = text(row, iEmail, .stakeholderEmail, &c) {
      emailPresent = true
      switch EmailRule.check(t) {
      case .success(let v): email = v
      case .failure(let p): c.add(p, .stakeholderEmail, column: iEmail, value: row[iEmail].text)
      }
    } else if iEmail >= 0 && row[iEmail].kind == .error {
      emailPresent = true
    }
    var xHandle: String? = nil
    if let t = text(row, iXHandle, .stakeholderXHandle, &c) {
      let o = XHandleRule.check(t)
      for p in o.problems { c.add(p, .stakeholderXHandle, column: iXHandle, value: row[iXHandle].text) }
      xHandle = o.value
    }
    var employeeNumber: String? = nil
    if let t = text(row, iEmployee, .stakeholderEmployeeNumber, &c) {
      let o = EmployeeNumberRule.check(row[iEmployee], trimmed: t)
      for p in o.problems {
        c.add(p, .stakeholderEmployeeNumber, column: iEmployee, value: row[iEmployee].text)
      }
      employeeNumber = o.value
    }
    let description = text(row, iDescription, .description, &c)

    // schedules and dates
    let (unlockScheduleId, unlockPresent) = uuid(row, iUnlockSchedule, .unlockScheduleId, &c)
    let (vestingScheduleId, vestingPresent) = uuid(row, iVestingSchedule, .vestingScheduleId, &c)
    let unlockStartAt = date(row, iUnlockStart, .unlockStartAt, &c)
    let vestingStartAt = date(row, iVestingStart, .vestingStartAt, &c)

    // release mode, received off Magna, cancellable
    var releaseMode = defaults.releaseMode
    if let t = text(row, iReleaseMode, .releaseMode, &c) {
      switch ReleaseModeRule.check(t, allowed: defaults.allowedReleaseModes) {
      case .success(let v): releaseMode = v
      case .failure(let p):
        releaseMode = nil
        c.add(p, .releaseMode, column: iReleaseMode, value: row[iReleaseMode].text)
      }
    }
    var receivedOffMagna: String? = nil
    if iReceived >= 0 {
      let cell = row[iReceived]
      let o = AmountRule.check(cell, field: .receivedOffMagna, maxDecimals: options.maxDecimals)
      for p in o.problems { c.add(p, .receivedOffMagna, column: iReceived, value: problemValue(p, cell)) }
      receivedOffMagna = o.value
      if let r = o.value, let a = amount, AmountRule.compareCanonical(r, a) > 0 {
        c.add(
          .warning, "receivedOffMagna.exceeds_amount",
          "Received off Magna (\(r)) is more than the amount (\(a)); check both values.",
          field: AllocationField.receivedOffMagna.path, column: iReceived, value: cell.text)
      }
    }
    var cancellable: Bool? = nil
    if let t = text(row, iCancellable, .cancellable, &c) {
      switch CancellableRule.check(t) {
      case .success(let v): cancellable = v
      case .failure(let p): c.add(p, .cancellable, column: iCancellable, value: row[iCancellable].text)
      }
    }

    // wallet
    var walletAddress: String? = nil
    var walletPresent = false
    if let t = text(row, iWallet, .walletAddress, &c) {
      walletPresent = true
      switch WalletAddress.check(t) {
      case .success: walletAddress = t
      case .failure(let p):
        c.add(
          .error, p.code, p.message, field: AllocationField.walletAddress.path, column: iWallet,
          value: row[iWallet].text)
      }
    } else if iWallet >= 0 && row[iWallet].kind == .error {
      walletPresent = true
    }

    // custom attributes
    var customAttributes: [AllocationRequest.Attribute]? = nil
    for (key, index) in attributes {
      guard let t = text(row, index, .attribute(key), &c) else { continue }
      if customAttributes == nil { customAttributes = [] }
      customAttributes?.append(AllocationRequest.Attribute(key: key, value: t))
    }

    // whole-row rules
    if (iUnlockSchedule >= 0 || iVestingSchedule >= 0) && !unlockPresent && !vestingPresent {
      c.add(
        .error, "row.no_schedule",
        "The row has neither an unlock schedule ID nor a vesting schedule ID; Magna needs one of them.",
        field: "row", column: -1, value: nil)
    }
    if (iEmail >= 0 || iWallet >= 0) && !emailPresent && !walletPresent {
      c.add(
        .error, "row.no_recipient",
        "The row has neither an email nor a wallet address; give at least one so the tokens can reach the stakeholder.",
        field: "row", column: -1, value: nil)
    }
    if iName >= 0 && name == nil && !(row[iName].kind == .error) {
      c.add(
        .warning, "name.missing", "Name is empty; Magna will show this stakeholder without a name.",
        field: AllocationField.stakeholderName.path, column: iName, value: nil)
    }

    var allocation: AllocationRequest? = nil
    var duplicateKey: UInt64? = nil
    if !c.hasError && !isBlocked, let amount, let contractId, let tokenId, let category {
      let request = AllocationRequest(
        amount: amount, contractId: contractId, tokenId: tokenId, category: category,
        stakeholder: .init(name: name, email: email, xHandle: xHandle, employeeNumber: employeeNumber),
        description: description, unlockScheduleId: unlockScheduleId, unlockStartAt: unlockStartAt,
        vestingScheduleId: vestingScheduleId, vestingStartAt: vestingStartAt, releaseMode: releaseMode,
        receivedOffMagna: receivedOffMagna, cancellable: cancellable, customAttributes: customAttributes,
        walletAddress: walletAddress)
      let limit = AllocationRequest.maxBodyBytes - AllocationRequest.referenceAllowance
      let (key, bound) = BodyHash.key(request)
      // The body is built and measured only when its upper bound could pass the limit.
      let size = bound > limit ? request.jsonBody(includingReference: false).count : 0
      if size > limit {
        c.add(
          .error, "row.body_too_large",
          "The row's request would be \(size) bytes; Magna accepts at most \(AllocationRequest.maxBodyBytes) (allot keeps \(AllocationRequest.referenceAllowance) for its reference). Shorten the longest texts.",
          field: "row", column: -1, value: nil)
      } else {
        allocation = request
        duplicateKey = key
      }
    }
    return RowValidation(
      rowNumber: row.rowNumber, allocation: allocation, issues: c.sorted(), duplicateKey: duplicateKey)
  }

  private func date(_ row: SheetRow, _ column: Int, _ field: AllocationField, _ c: inout Collector) -> String?
  {
    guard column >= 0 else { return nil }
    let cell = row[column]
    let o = DateRule.check(cell, field: field, system: options.dateSystem)
    for p in o.problems { c.add(p, field, column: column, value: cell.text) }
    return o.value
  }

  /// The value shown with an amount issue: the stored number for a precision warning, else the text.
  private func problemValue(_ p: FieldProblem, _ cell: Cell) -> String {
    p.code.hasSuffix(".float_precision") ? (cell.raw ?? cell.text) : cell.text
  }
}
