import CAllotKernels

/// Finds the header row of a reconciliation input, shared by `PayoutTable` and `TransactionTable`:
/// title rows above it are allowed; with a mapping, the first non-blank row is the header.
struct HeaderLocator<Field: ReconciliationField>: Sendable {
  private(set) var columns: ReconciliationColumns<Field>?
  private let mapping: [String: String]
  private var firstRow: Int?

  init(mapping: [String: String]) { self.mapping = mapping }

  /// Looks at a non-blank row met before the header; resolves the columns when it is the header.
  mutating func offer(_ row: SheetRow, issues: inout IssueList) {
    if firstRow == nil { firstRow = row.rowNumber }
    guard
      ReconciliationColumns<Field>.looksLikeHeader(row) || (!mapping.isEmpty && row.rowNumber == firstRow)
    else { return }
    var found: [Issue] = []
    columns = ReconciliationColumns<Field>.resolve(header: row, mapping: mapping, issues: &found)
    found.forEach { issues.append($0) }
  }

  /// After the last row: the `header.not_found` error when no header was found.
  func finish(message: String, issues: inout IssueList) {
    guard columns == nil else { return }
    issues.append(
      Issue(
        row: firstRow ?? 0, column: nil, field: "row", severity: .error, code: "header.not_found",
        message: message, value: nil))
  }
}

/// Turns the rows of a payouts file into `ExpectedPayout`s, streaming: feed every row (header first,
/// title rows above it allowed) to `consume`, then call `finish`. Bad rows are skipped with an `Issue`
/// naming row and column; nothing crashes.
public struct PayoutTable: Sendable {
  public private(set) var payouts: [ExpectedPayout] = []
  public private(set) var issues = IssueList()
  private var header: HeaderLocator<PayoutField>
  /// The hash of each payout's reference, looked up by `finish()` (as `TransactionTable` looks up its
  /// ids).
  private var referenceHashes: [UInt64] = []
  /// Stakeholders have several payouts: their names share one string's storage.
  private var names = TextInterner(limit: 1 << 16)

  public init(mapping: [String: String] = [:]) { header = HeaderLocator(mapping: mapping) }

  public var headerFound: Bool { header.columns != nil }

  /// Room for `rows` payouts (an estimate; it only saves regrowing the array).
  public mutating func reserveCapacity(_ rows: Int) {
    payouts.reserveCapacity(rows)
    referenceHashes.reserveCapacity(rows)
  }

  public mutating func consume(_ row: SheetRow) {
    if row.isBlank { return }
    guard let columns = header.columns else {
      header.offer(row, issues: &issues)
      return
    }
    consumeData(row, columns)
  }

  /// A row given as bytes (a CSV record, never blank): read from its bytes once the header is known;
  /// before, `sheetRow` builds the row to look for the header in.
  public mutating func consume(_ row: ByteRow, sheetRow: () -> SheetRow) {
    guard let columns = header.columns else { return consume(sheetRow()) }
    consumeData(row, columns)
  }

  private mutating func consumeData<Row: ReconciliationRow>(
    _ row: Row, _ columns: ReconciliationColumns<PayoutField>
  ) {
    let n = row.rowNumber
    var ok = true
    func fail(_ f: PayoutField, _ code: String, _ message: String, _ value: String?) {
      issues.append(
        Issue(
          row: n, column: columns.columnName(f), field: f.rawValue, severity: .error, code: code,
          message: message,
          value: value))
      ok = false
    }
    // The stakeholder's slot among the names is requested now and probed last (a cache miss each,
    // in a table of tens of thousands of names, hidden behind the rest of the row).
    let nameKey = columns.withBytes(.stakeholder, in: row) { names.prepare($0) }
    let reference = columns.text(.reference, in: row)
    let wallet = columns.text(.wallet, in: row)
    let currency = columns.text(.currency, in: row)
    let network = columns.text(.network, in: row)
    if reference.isEmpty { fail(.reference, "reference.missing", "The payout has no reference.", nil) }
    if wallet.isEmpty { fail(.wallet, "wallet.missing", "The payout has no wallet address.", nil) }
    if currency.isEmpty {
      fail(.currency, "currency.missing", "The payout has no currency (USDC, USDT, USD).", nil)
    }
    if network.isEmpty {
      fail(.network, "network.missing", "The payout has no network (ethereum, polygon, ...).", nil)
    }
    // Amounts and dates are read from the cell's bytes; their text is made only to explain a problem.
    var amount = ExactDecimal.zero
    if let v = columns.withBytes(.amount, in: row, { ExactDecimal(utf8: $0) }), v.isPositive {
      amount = v
    } else {
      let amountText = columns.text(.amount, in: row)
      switch AmountText.parse(amountText) {
      case .success:
        fail(
          .amount, "amount.not_positive", "Amount must be greater than zero (found \(amountText)).",
          amountText)
      case .failure(let problem):
        fail(.amount, problem.code, problem.message, amountText)
      }
    }
    var due: CalendarDay? = nil
    if let d = columns.withBytes(.dueDate, in: row, { $0.isEmpty ? nil : CalendarDay(isoBytes: $0) }) {
      due = d
    } else {
      let dueText = columns.text(.dueDate, in: row)
      if !dueText.isEmpty {
        fail(
          .dueDate, "due_date.invalid", "Due date \"\(dueText)\" is not a date; write it as YYYY-MM-DD.",
          dueText)
      }
    }
    guard ok else { return }
    referenceHashes.append(DuplicateFinder.key(of: reference))
    let key = columns.text(.magnaKey, in: row)
    let id = columns.text(.magnaId, in: row)
    payouts.append(
      ExpectedPayout(
        reference: reference,
        stakeholder: columns.withBytes(.stakeholder, in: row) { names.intern($0, key: nameKey) },
        wallet: wallet,
        amount: amount,
        currency: AsciiText.uppercased(currency), network: AsciiText.lowercased(network), dueDate: due,
        magnaKey: key.isEmpty ? nil : key, magnaId: id.isEmpty ? nil : id, sourceRow: n))
  }

  /// Call after the last row: warns of repeated references, reports a file without a header row.
  public mutating func finish() {
    warnOfRepeatedReferences()
    header.finish(
      message:
        "No header row found: the payouts file needs columns reference, wallet, amount, currency, network (and stakeholder, due_date).",
      issues: &issues)
  }

  /// A `reference.duplicate` warning on each payout whose reference an earlier row has, naming that row,
  /// placed among the other issues in row order (as if found while reading).
  private mutating func warnOfRepeatedReferences() {
    var finder = DuplicateFinder()
    let repeated = finder.earlierOccurrences(of: referenceHashes) { [payouts] in
      payouts[$0].reference == payouts[$1].reference
    }
    referenceHashes = []
    guard !repeated.isEmpty else { return }
    let column = header.columns?.columnName(.reference)
    issues.insertInRowOrder(
      repeated.map { k, first in
        let reference = payouts[k].reference
        return Issue(
          row: payouts[k].sourceRow ?? 0, column: column, field: "reference", severity: .warning,
          code: "reference.duplicate",
          message:
            "Reference \"\(reference)\" is also used on row \(payouts[first].sourceRow ?? 0); transactions naming it go to review.",
          value: reference)
      })
  }
}

/// Turns the rows of a Magma `export-csv` file into `MagmaTransaction`s (streaming, like
/// `PayoutTable`).
public struct TransactionTable: Sendable {
  /// The transactions read, complete once `finish()` has run (it removes those whose id an earlier row
  /// has).
  public private(set) var transactions: [MagmaTransaction] = []
  public private(set) var issues = IssueList()
  private var header: HeaderLocator<TransactionField>
  /// The hash of each transaction's id, looked up by `finish()`: all at once, each slot requested some
  /// lookups ahead, instead of a cache miss per row while reading.
  private var idHashes: [UInt64] = []

  public init(mapping: [String: String] = [:], expectedRows: Int = 0) {
    header = HeaderLocator(mapping: mapping)
    reserveCapacity(expectedRows)
  }

  public var headerFound: Bool { header.columns != nil }

  /// Room for `rows` transactions (an estimate; it only saves regrowing the array).
  public mutating func reserveCapacity(_ rows: Int) {
    transactions.reserveCapacity(rows)
    idHashes.reserveCapacity(rows)
  }

  public mutating func consume(_ row: SheetRow) {
    if row.isBlank { return }
    guard let columns = header.columns else {
      header.offer(row, issues: &issues)
      return
    }
    consumeData(row, columns)
  }

  /// A row given as bytes (a CSV record, never blank): read from its bytes once the header is known;
  /// before, `sheetRow` builds the row to look for the header in.
  public mutating func consume(_ row: ByteRow, sheetRow: () -> SheetRow) {
    guard let columns = header.columns else { return consume(sheetRow()) }
    consumeData(row, columns)
  }

  /// Removes the transactions whose id an earlier row has, each with an `id.duplicate` error naming
  /// that row, placed among the other issues in row order (as if found while reading).
  private mutating func dropRepeatedIds() {
    var finder = DuplicateFinder()
    let repeated = finder.earlierOccurrences(of: idHashes) { [transactions] in
      transactions[$0].id == transactions[$1].id
    }
    idHashes = []
    guard !repeated.isEmpty else { return }
    let column = header.columns?.columnName(.id)
    issues.insertInRowOrder(
      repeated.map { k, first in
        let id = transactions[k].id
        return Issue(
          row: transactions[k].sourceRow ?? 0, column: column, field: TransactionField.id.rawValue,
          severity: .error, code: "id.duplicate",
          message:
            "Transaction id \(id) is also on row \(transactions[first].sourceRow ?? 0); each transaction must appear once.",
          value: id)
      })
    // Compacted in place, in order (moves, no copies of the records).
    var kept = 0
    var next = 0
    for k in transactions.indices {
      if next < repeated.count && repeated[next].index == k {
        next += 1
        continue
      }
      if kept != k { transactions.swapAt(kept, k) }
      kept += 1
    }
    transactions.removeLast(transactions.count - kept)
  }

  private mutating func consumeData<Row: ReconciliationRow>(
    _ row: Row, _ columns: ReconciliationColumns<TransactionField>
  ) {
    let n = row.rowNumber
    var ok = true
    func fail(_ f: TransactionField, _ code: String, _ message: String, _ value: String?) {
      issues.append(
        Issue(
          row: n, column: columns.columnName(f), field: f.rawValue, severity: .error, code: code,
          message: message,
          value: value))
      ok = false
    }
    let id = columns.text(.id, in: row)
    if id.isEmpty { fail(.id, "id.missing", "The transaction has no id.", nil) }
    let status = columns.text(.status, in: row)
    if status.isEmpty { fail(.status, "status.missing", "The transaction has no status.", nil) }
    let currency = columns.text(.currency, in: row)
    if currency.isEmpty { fail(.currency, "currency.missing", "The transaction has no currency.", nil) }
    // Amounts are read from the cell's bytes; their text is made only to explain a problem.
    var amount = ExactDecimal.zero
    if let v = columns.withBytes(.amount, in: row, { ExactDecimal(utf8: $0) }) {
      amount = v
    } else {
      let amountText = columns.text(.amount, in: row)
      switch AmountText.parse(amountText) {
      case .success(let v): amount = v
      case .failure(let problem): fail(.amount, problem.code, problem.message, amountText)
      }
    }
    var fee: ExactDecimal? = nil
    if let v = columns.withBytes(.fee, in: row, { $0.isEmpty ? nil : ExactDecimal(utf8: $0) }) {
      fee = v
    } else {
      let feeText = columns.text(.fee, in: row)
      if !feeText.isEmpty {
        switch AmountText.parse(feeText) {
        case .success(let v): fee = v
        case .failure(let problem):
          fail(.fee, problem.code.replacing("amount.", with: "fee."), problem.message, feeText)
        }
      }
    }
    let created = columns.text(.createdAt, in: row)
    // Most exports repeat the creation time as the completion (and update) time: such a time is
    // parsed once, and the texts share one string's storage (compared as bytes, before any is made).
    let completedIsCreated = columns.sameText(.completedAt, .createdAt, in: row)
    let completed = completedIsCreated ? created : columns.text(.completedAt, in: row)
    let createdIsTime = created.isEmpty || Timestamp.seconds(created) != nil
    if !createdIsTime {
      fail(
        .createdAt, "timestamp.invalid", "\"\(created)\" is not an ISO 8601 time (2026-03-31T10:00:00Z).",
        created)
    }
    if !completed.isEmpty && !(completedIsCreated ? createdIsTime : Timestamp.seconds(completed) != nil) {
      fail(
        .completedAt, "timestamp.invalid",
        "\"\(completed)\" is not an ISO 8601 time (2026-03-31T10:00:00Z).", completed)
    }
    guard ok else { return }
    idHashes.append(DuplicateFinder.key(of: id))
    let updated =
      columns.sameText(.updatedAt, .createdAt, in: row) ? created : columns.text(.updatedAt, in: row)
    transactions.append(
      MagmaTransaction(
        id: id, type: columns.text(.type, in: row), status: AsciiText.lowercased(status), amount: amount,
        currency: AsciiText.uppercased(currency),
        network: AsciiText.lowercased(columns.text(.network, in: row)),
        organizationId: columns.text(.organizationId, in: row),
        recipientId: columns.text(.recipientId, in: row),
        destinationAddress: columns.text(.destinationAddress, in: row),
        txHash: columns.text(.txHash, in: row),
        fee: fee, memo: columns.text(.memo, in: row), invoiceNumber: columns.text(.invoiceNumber, in: row),
        createdAt: created, updatedAt: updated, completedAt: completed, sourceRow: n
      ))
  }

  public mutating func finish() {
    dropRepeatedIds()
    header.finish(
      message:
        "No header row found: a Magma export needs columns id, type, status, amount, currency, network, destinationAddress, memo, createdAt.",
      issues: &issues)
  }
}

/// Issues, keeping at most `limit` of them (a million bad rows must not fill memory) and counting all.
public struct IssueList: Sendable {
  public private(set) var items: [Issue] = []
  public private(set) var errorCount = 0
  public private(set) var warningCount = 0
  public let limit: Int

  public init(limit: Int = 1000) { self.limit = limit }

  public mutating func append(_ issue: Issue) {
    if issue.severity == .error { errorCount += 1 } else { warningCount += 1 }
    if items.count < limit { items.append(issue) }
  }

  /// Adds `more` (issues in row order) as if each had been appended when its row was read: after the
  /// issues of its own row and the rows before, keeping the first `limit` of them all.
  public mutating func insertInRowOrder(_ more: [Issue]) {
    var merged: [Issue] = []
    merged.reserveCapacity(min(limit, items.count + more.count))
    var i = 0
    var j = 0
    while merged.count < limit && (i < items.count || j < more.count) {
      if j == more.count || (i < items.count && items[i].row <= more[j].row) {
        merged.append(items[i])
        i += 1
      } else {
        merged.append(more[j])
        j += 1
      }
    }
    for issue in more {
      if issue.severity == .error { errorCount += 1 } else { warningCount += 1 }
    }
    items = merged
  }

  public var hasErrors: Bool { errorCount > 0 }
  public var totalCount: Int { errorCount + warningCount }
}

/// Strict amount parsing with a helpful message for what finance sheets really contain.
public enum AmountText {
  public struct Problem: Error, Sendable, Hashable {
    public var code: String
    public var message: String
  }

  public static func parse(_ text: String) -> Result<ExactDecimal, Problem> {
    if text.isEmpty { return .failure(Problem(code: "amount.missing", message: "The amount is empty.")) }
    if let v = ExactDecimal(text) { return .success(v) }
    var digits = ""
    var hasComma = false
    var hasOther = false
    var hasExponent = false
    for c in text {
      if c.isNumber || c == "." || c == "-" {
        digits.append(c)
      } else if c == "," {
        hasComma = true
      } else if c == "e" || c == "E" {
        hasExponent = true
      } else if c != " " && c != "\u{A0}" && c != "'" && c != "_" {
        hasOther = true
      }
    }
    if hasExponent {
      return .failure(
        Problem(
          code: "amount.exponent", message: "Amount \"\(text)\" uses an exponent; write the full number."))
    }
    if hasComma && !hasOther {
      let guess = text.contains(".") ? digits : text.replacing(",", with: ".").filter { $0 != " " }
      return .failure(
        Problem(
          code: "amount.separators",
          message:
            "Amount \"\(text)\" has a thousands separator or a decimal comma; write it with a dot and no separators (did you mean \(guess)?)."
        ))
    }
    if hasOther && ExactDecimal(digits) != nil {
      return .failure(
        Problem(
          code: "amount.symbols",
          message:
            "Amount \"\(text)\" contains a currency symbol or text; write the number only (did you mean \(digits)?)."
        ))
    }
    return .failure(Problem(code: "amount.invalid", message: "Amount \"\(text)\" is not a number."))
  }
}

/// Shares the storage of texts that repeat (a stakeholder's name on each of their payouts), remembering
/// at most `limit` distinct texts. Texts are found by a 64-bit hash of their bytes and compared in full
/// (a `Set<String>` hashed each with `Hasher` and took a third of the payouts' reading time).
///
/// Once `limit` distinct texts are remembered, no text is looked up any more: a file with that many
/// distinct names is mostly names that do not repeat, and probing a table of tens of thousands of names
/// for each of them (a cache miss each) cost 6 % of reading a million payouts with unique names.
struct TextInterner: Sendable {
  private struct Slot: Sendable {
    /// The text's hash with the low bit set; 0 marks a free slot.
    var key: UInt64
    var index: Int32
  }
  private var texts: [String] = []
  private var slots = [Slot](repeating: Slot(key: 0, index: 0), count: 64)
  let limit: Int

  init(limit: Int) { self.limit = limit }

  mutating func intern(_ text: String) -> String {
    TextScan.withBytes(text) { u in
      let key = prepare(u)
      return key == nil ? text : intern(u, key: key)
    }
  }

  /// The key `intern(_:key:)` looks `u` up by, its slot requested from memory now; nil when `u` is not
  /// looked up (15 bytes or fewer, stored inline in a `String`, or the interner is full).
  func prepare(_ u: UnsafeBufferPointer<UInt8>) -> UInt64? {
    if u.count <= 15 || texts.count >= limit { return nil }
    let key = DuplicateFinder.key(of: u) | 1
    let i = Int(truncatingIfNeeded: key) & (slots.count - 1)
    slots.withUnsafeBufferPointer { allot_prefetch_for_write($0.baseAddress! + i) }
    return key
  }

  /// The text of `u` (UTF-8), sharing the storage of an earlier equal text; `key` from `prepare(u)`.
  mutating func intern(_ u: UnsafeBufferPointer<UInt8>, key: UInt64?) -> String {
    guard let key, texts.count < limit else { return String(decoding: u, as: UTF8.self) }
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: key) & mask
    while slots[i].key != 0 {
      if slots[i].key == key {
        let earlier = texts[Int(slots[i].index)]
        if TextScan.withBytes(earlier, { AsciiText.sameBytes($0, u) }) { return earlier }
      }
      i = (i + 1) & mask
    }
    let text = String(decoding: u, as: UTF8.self)
    slots[i] = Slot(key: key, index: Int32(texts.count))
    texts.append(text)
    if texts.count * 2 > slots.count { grow() }
    return text
  }

  private mutating func grow() {
    let old = slots
    slots = [Slot](repeating: Slot(key: 0, index: 0), count: old.count * 2)
    let mask = slots.count - 1
    for slot in old where slot.key != 0 {
      var i = Int(truncatingIfNeeded: slot.key) & mask
      while slots[i].key != 0 { i = (i + 1) & mask }
      slots[i] = slot
    }
  }
}

/// Finds repeated texts (references, transaction ids) by a 64-bit hash: an open-addressing table of
/// hashes and item numbers (16 bytes a slot, no copy of the text); the caller checks the text itself.
struct DuplicateFinder: Sendable {
  /// A key and its item side by side, so a probe touches one cache line.
  private struct Slot: Sendable {
    var key: UInt64
    var item: Int32
  }
  private var slots: [Slot] = []
  private var count = 0

  mutating func reserveCapacity(_ n: Int) {
    if n * 2 > slots.count { rehash(capacity: n * 2) }
  }

  /// The item remembered under `text`'s hash (the caller checks that it holds the same text: a
  /// different text with the same hash is no duplicate); nil when there is none, and then `item` is
  /// remembered for `text`.
  mutating func candidate(for text: String, item: Int) -> Int? {
    candidate(forKey: Self.key(of: text), item: item)
  }

  /// The hash `candidate(for:item:)` files `text` under: its bytes hashed eight at a time
  /// (`BodyHash.Streaming`, as duplicate rows are found).
  static func key(of text: String) -> UInt64 {
    TextScan.withBytes(text) { key(of: $0) }
  }

  static func key(of u: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h = BodyHash.Streaming()
    h.add(0, u)
    return h.finish()
  }

  /// For each of `hashes` in order, the index of the first earlier one with the same text, when there is
  /// one (`sameText(earlier, index)` confirms it: a hash is not the text). The slots are requested 16
  /// lookups ahead: the table is larger than the cache and probed at random.
  mutating func earlierOccurrences(of hashes: [UInt64], sameText: (Int, Int) -> Bool)
    -> [(index: Int, earlier: Int)]
  {
    reserveCapacity(hashes.count)
    let ahead = 16
    var found: [(index: Int, earlier: Int)] = []
    for k in hashes.indices {
      if k + ahead < hashes.count { prefetch(hashes[k + ahead]) }
      if let first = candidate(forKey: hashes[k], item: k), sameText(first, k) { found.append((k, first)) }
    }
    return found
  }

  /// Starts loading the slot `candidate(forKey:item:)` for `hash` probes first.
  @inline(__always)
  func prefetch(_ hash: UInt64) {
    guard !slots.isEmpty else { return }
    let i = Int(truncatingIfNeeded: hash | 1) & (slots.count - 1)
    slots.withUnsafeBufferPointer { allot_prefetch_for_write($0.baseAddress! + i) }
  }

  /// The same for a hash the caller made (of several texts, say).
  mutating func candidate(forKey hash: UInt64, item: Int) -> Int? {
    let key = hash | 1  // 0 marks an empty slot
    if (count + 1) * 2 > slots.count { rehash(capacity: max(64, slots.count * 2)) }
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: key) & mask
    while slots[i].key != 0 {
      if slots[i].key == key { return Int(slots[i].item) }
      i = (i + 1) & mask
    }
    slots[i] = Slot(key: key, item: Int32(truncatingIfNeeded: item))
    count += 1
    return nil
  }

  private mutating func rehash(capacity: Int) {
    var cap = 64
    while cap < capacity { cap <<= 1 }
    let old = slots
    slots = [Slot](repeating: Slot(key: 0, item: 0), count: cap)
    let mask = cap - 1
    for slot in old where slot.key != 0 {
      var i = Int(truncatingIfNeeded: slot.key) & mask
      while slots[i].key != 0 { i = (i + 1) & mask }
      slots[i] = slot
    }
  }
}
