/// A field of a reconciliation input table and the header spellings that name it.
public protocol ReconciliationField: RawRepresentable, CaseIterable, Hashable, Sendable
where RawValue == String {
  /// Header spellings (compared ignoring case, spaces, underscores, hyphens and dots).
  var aliases: [String] { get }
  var isRequired: Bool { get }
  /// Position in `allCases` (per-row lookups index by it instead of walking `allCases`).
  var ordinal: Int { get }
}

/// Which column holds which field, resolved from a header row and an optional mapping override
/// (`field name → header text`).
public struct ReconciliationColumns<Field: ReconciliationField>: Sendable {
  public private(set) var columns: [Field: Int] = [:] {
    didSet {
      slots = Field.allCases.map { columns[$0] ?? -1 }
    }
  }
  /// Column index per field in `allCases` order (-1 absent): the per-row lookups avoid hashing.
  private var slots: [Int] = []
  public private(set) var headers: [String] = []
  public let headerRow: Int

  /// Resolves the header row. Issues: a required column missing (error), a column named twice (error),
  /// a mapping naming a header that is not there (error), columns allot does not use (warning).
  public static func resolve(
    header: SheetRow, mapping: [String: String], issues: inout [Issue]
  ) -> ReconciliationColumns {
    var r = ReconciliationColumns(headerRow: header.rowNumber)
    r.headers = header.cells.map { AsciiText.trimmed($0.text) }
    var byName: [String: Int] = [:]
    for (i, h) in r.headers.enumerated() where !h.isEmpty {
      let key = normalized(h)
      if byName[key] == nil { byName[key] = i }
    }
    // Overrides first.
    var overridden = Set<Int>()
    for f in Field.allCases {
      guard let wanted = mapping[f.rawValue] ?? mapping[normalized(f.rawValue)] else { continue }
      if let i = byName[normalized(wanted)] {
        r.columns[f] = i
        overridden.insert(i)
      } else {
        issues.append(
          Issue(
            row: header.rowNumber, column: wanted, field: f.rawValue, severity: .error,
            code: "mapping.column_not_found",
            message:
              "The mapping names column \"\(wanted)\" for \(f.rawValue), but the header row has no such column.",
            value: wanted))
      }
    }
    for (i, h) in r.headers.enumerated() where !h.isEmpty && !overridden.contains(i) {
      let key = normalized(h)
      guard let f = Field.allCases.first(where: { f in f.aliases.contains { normalized($0) == key } }) else {
        issues.append(
          Issue(
            row: header.rowNumber, column: h, field: "column", severity: .warning, code: "column.unknown",
            message:
              "Column \"\(h)\" (\(ColumnName.letters(i))) is not used by reconciliation and was ignored.",
            value: h))
        continue
      }
      if let other = r.columns[f] {
        if overridden.contains(other) { continue }
        issues.append(
          Issue(
            row: header.rowNumber, column: h, field: f.rawValue, severity: .error, code: "column.duplicate",
            message:
              "Columns \"\(r.headers[other])\" (\(ColumnName.letters(other))) and \"\(h)\" (\(ColumnName.letters(i))) both name \(f.rawValue); keep one or map it with --mapping.",
            value: h))
        continue
      }
      r.columns[f] = i
    }
    for f in Field.allCases where f.isRequired && r.columns[f] == nil {
      issues.append(
        Issue(
          row: header.rowNumber, column: nil, field: f.rawValue, severity: .error, code: "column.missing",
          message:
            "No column for \(f.rawValue) (accepted headers: \(f.aliases.joined(separator: ", "))); add it or map it with --mapping.",
          value: nil))
    }
    return r
  }

  /// True when the row looks like this table's header: it names at least half of the required fields.
  public static func looksLikeHeader(_ row: SheetRow) -> Bool {
    let keys = Set(row.cells.map { normalized($0.text) })
    let required = Field.allCases.filter(\.isRequired)
    let hits = required.filter { f in f.aliases.contains { keys.contains(normalized($0)) } }.count
    return hits * 2 >= required.count && hits > 0
  }

  /// The cell of `field` in `row`, trimmed; "" when the column is absent or the cell is empty.
  public func text<Row: ReconciliationRow>(_ field: Field, in row: Row) -> String {
    let k = field.ordinal
    guard k < slots.count else { return "" }
    let i = slots[k]
    return i < 0 ? "" : row.trimmedText(i)
  }

  /// `body` of the bytes of `text(field, in: row)` (empty when the column is absent).
  public func withBytes<Row: ReconciliationRow, R>(
    _ field: Field, in row: Row, _ body: (UnsafeBufferPointer<UInt8>) -> R
  ) -> R {
    let k = field.ordinal
    let i = k < slots.count ? slots[k] : -1
    return i < 0 ? body(UnsafeBufferPointer(start: nil, count: 0)) : row.withTrimmedBytes(i, body)
  }

  /// True when the cells of `a` and `b` hold the same bytes (both absent or empty counts).
  public func sameText<Row: ReconciliationRow>(_ a: Field, _ b: Field, in row: Row) -> Bool {
    withBytes(a, in: row) { x in withBytes(b, in: row) { y in AsciiText.sameBytes(x, y) } }
  }

  /// The header text (or column letter) of `field`, for messages.
  public func columnName(_ field: Field) -> String? {
    guard let i = columns[field] else { return nil }
    return headers[i].isEmpty ? ColumnName.letters(i) : headers[i]
  }

  /// Lower case without spaces, underscores, hyphens and dots: `Due Date` → `duedate`.
  public static func normalized(_ s: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count)
    for u in s.utf8 {
      switch u {
      case 32, 95, 45, 46, 9: continue
      case 65...90: out.append(u + 32)
      default: out.append(u)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// Columns of a payouts file.
public enum PayoutField: String, ReconciliationField {
  case reference, stakeholder, wallet, amount, currency, network
  case dueDate = "due_date"
  case magnaKey = "magna_key"
  case magnaId = "magna_id"

  public var aliases: [String] {
    switch self {
    case .reference:
      return ["reference", "ref", "payout reference", "payout ref", "payout id", "external id"]
    case .stakeholder:
      return ["stakeholder", "stakeholder name", "name", "payee", "recipient", "beneficiary"]
    case .wallet:
      return ["wallet", "wallet address", "walletAddress", "address", "destination", "destination address"]
    case .amount: return ["amount", "payout amount", "expected amount", "allocation amount"]
    case .currency: return ["currency", "token", "asset", "symbol"]
    case .network: return ["network", "chain", "blockchain"]
    case .dueDate: return ["due date", "due", "due on", "payout date", "date"]
    case .magnaKey: return ["magna key", "allocation key", "key"]
    case .magnaId: return ["magna id", "allocation id", "allocationId"]
    }
  }

  public var isRequired: Bool {
    switch self {
    case .reference, .wallet, .amount, .currency, .network: return true
    default: return false
    }
  }

  public var ordinal: Int {
    switch self {
    case .reference: return 0
    case .stakeholder: return 1
    case .wallet: return 2
    case .amount: return 3
    case .currency: return 4
    case .network: return 5
    case .dueDate: return 6
    case .magnaKey: return 7
    case .magnaId: return 8
    }
  }
}

/// Columns of a Magma `export-csv` file (the field names of the transaction object).
public enum TransactionField: String, ReconciliationField {
  case id, type, status, amount, currency, network, organizationId, recipientId, destinationAddress, txHash
  case fee, memo, invoiceNumber, createdAt, updatedAt, completedAt

  public var aliases: [String] {
    switch self {
    case .id: return ["id", "transaction id", "transactionId"]
    case .destinationAddress:
      return ["destinationAddress", "destination", "wallet", "wallet address", "to address", "address"]
    case .txHash: return ["txHash", "transaction hash", "hash"]
    case .invoiceNumber: return ["invoiceNumber", "invoice", "invoice no"]
    case .createdAt: return ["createdAt", "created", "date"]
    case .completedAt: return ["completedAt", "completed"]
    case .updatedAt: return ["updatedAt", "updated"]
    case .organizationId: return ["organizationId", "organization", "org id"]
    case .recipientId: return ["recipientId", "recipient"]
    case .currency: return ["currency", "token", "asset"]
    case .network: return ["network", "chain"]
    default: return [rawValue]
    }
  }

  public var isRequired: Bool {
    switch self {
    case .id, .status, .amount, .currency: return true
    default: return false
    }
  }

  public var ordinal: Int {
    switch self {
    case .id: return 0
    case .type: return 1
    case .status: return 2
    case .amount: return 3
    case .currency: return 4
    case .network: return 5
    case .organizationId: return 6
    case .recipientId: return 7
    case .destinationAddress: return 8
    case .txHash: return 9
    case .fee: return 10
    case .memo: return 11
    case .invoiceNumber: return 12
    case .createdAt: return 13
    case .updatedAt: return 14
    case .completedAt: return 15
    }
  }
}
