import AllotCore
import GRDB
import GRDBSQLite

/// Adds rows to a batch inside the import transaction, through reused prepared statements.
/// Only valid inside the closure given to `AllotDatabase.importBatch`, on the thread that runs it.
///
/// The hot path binds raw values straight to the prepared statements (no per-row GRDB arguments, no
/// copies of the body: values are bound `SQLITE_STATIC` and the statement is stepped while they live).
/// Rows are inserted `groupRows` at a time by one multi-row INSERT: what SQLite spends per statement
/// run (opening cursors, the statement transaction, resetting) is then paid once per group. Rows keep
/// their order (ids follow the file), and a group that fails is inserted again row by row to name the
/// row at fault.
public final class BatchStager {
  /// Rows per multi-row INSERT.
  static let groupRows = 32

  public let batchId: Int64
  let now: Double
  let db: Database
  let insertRow: Statement
  let insertGroup: Statement
  let insertIssue: Statement
  /// How a valid row already created by an earlier batch is found (nil with `allowDuplicates`).
  let earlier: EarlierRows?
  var random = SystemRandomNumberGenerator()
  /// Reused for every issue insert (its buffers keep their capacity).
  private var texts = TextBindings()
  /// Rows added but not inserted yet (fewer than `groupRows`).
  private var pending: [Entry] = []
  /// The id of the last row inserted (a group that fails removes the rows it inserted after it).
  private var lastRowId: Int64 = 0
  public private(set) var rows = 0
  public private(set) var invalid = 0
  public private(set) var issues = 0
  /// Valid rows staged `skipped` so far (the rest of them are found by `finish` when the fingerprints
  /// of earlier batches are too many to keep in memory).
  public private(set) var skipped = 0

  /// One row waiting for its group.
  private struct Entry {
    var sourceRow: Int
    var state: RowState
    /// Nil for an invalid row.
    var prepared: PreparedRow?
    var skippedFrom: String?
  }

  private static let columns =
    "(batch_id, source_row, fingerprint, payload, token_id, wallet_address, state, reference, skipped_from, created_at, updated_at)"
  private static let parametersPerRow: Int32 = 11

  init(db: Database, batchId: Int64, now: Double, allowDuplicates: Bool, earlierRowsInMemory: Int) throws {
    self.batchId = batchId
    self.now = now
    self.db = db
    let one = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    insertRow = try db.makeStatement(sql: "INSERT INTO rows \(Self.columns) VALUES \(one)")
    // OR FAIL: a statement that writes several rows and may abort halfway needs a statement journal
    // (SQLite copies each page it changes there first, so the statement alone can be undone). For the
    // group insert that was a temporary file taking twice the batch's bytes in writes. FAIL keeps the
    // rows a failing statement inserted before the failure; `add` removes them before naming the row.
    insertGroup = try db.makeStatement(
      sql: "INSERT OR FAIL INTO rows \(Self.columns) VALUES "
        + Array(repeating: one, count: Self.groupRows).joined(separator: ", "))
    insertIssue = try db.makeStatement(
      sql: """
        INSERT INTO row_issues (batch_id, source_row, column_name, field, severity, code, message, value)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """)
    earlier =
      allowDuplicates ? nil : try EarlierRows(db: db, memoryLimit: earlierRowsInMemory)
    lastRowId = try Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(id), 0) FROM rows") ?? 0
    pending.reserveCapacity(Self.groupRows)
  }

  /// A valid row: staged `pending` with its canonical body (without the reference attribute), its
  /// fingerprint, and a fresh reference — or `skipped`, pointing at the first row of an earlier batch
  /// that created the same allocation. `warnings` are its non-blocking issues, if any.
  public func addValid(
    sourceRow: Int, payload: [UInt8], fingerprint: String, tokenId: String, walletAddress: String?,
    warnings: [Issue] = []
  ) throws {
    try addValid(
      sourceRow: sourceRow, payload: payload, fingerprint: fingerprint,
      reference: RowReference.make(batch: batchId, row: sourceRow, random: random.next()), tokenId: tokenId,
      walletAddress: walletAddress, warnings: warnings)
  }

  /// `addValid` with the row's reference already made (`RowReference.make(batch: batchId, row:)`), e.g.
  /// on another thread.
  public func addValid(
    sourceRow: Int, payload: [UInt8], fingerprint: String, reference: String, tokenId: String,
    walletAddress: String?, warnings: [Issue] = []
  ) throws {
    try addValid(
      sourceRow: sourceRow,
      PreparedRow(
        body: payload, fingerprint: fingerprint, reference: reference, tokenId: tokenId,
        walletAddress: walletAddress),
      warnings: warnings)
  }

  /// `addValid` for a row prepared on another thread (its reference made with
  /// `RowReference.make(batch: batchId, row:)`).
  public func addValid(sourceRow: Int, _ prepared: PreparedRow, warnings: [Issue] = []) throws {
    let skippedFrom = try earlier.flatMap { earlier in
      try prepared.storage.withUnsafeBytes { raw in
        try earlier.createdBy(fingerprint: UnsafeRawBufferPointer(rebasing: raw[prepared.fingerprint]))
      }
    }
    try add(
      Entry(
        sourceRow: sourceRow, state: skippedFrom == nil ? .pending : .skipped, prepared: prepared,
        skippedFrom: skippedFrom))
    if skippedFrom != nil { skipped += 1 }
    if !warnings.isEmpty { try addIssues(warnings, sourceRow: sourceRow) }
  }

  /// An invalid row: staged `invalid` with the issues that block it.
  public func addInvalid(sourceRow: Int, issues rowIssues: [Issue]) throws {
    try add(Entry(sourceRow: sourceRow, state: .invalid, prepared: nil, skippedFrom: nil))
    invalid += 1
    try addIssues(rowIssues, sourceRow: sourceRow)
  }

  /// File-level issues (row 0) or issues of a row already added.
  public func addIssues(_ list: [Issue], sourceRow: Int) throws {
    let stmt = insertIssue.sqliteStatement
    for i in list {
      texts.removeAll()
      texts.append(i.column)
      texts.append(i.field)
      texts.append(i.severity.rawValue)
      texts.append(i.code)
      texts.append(i.message)
      texts.append(i.value)
      let rc = texts.withBound(to: stmt, indexes: Self.issueTextIndexes) {
        sqlite3_bind_int64(stmt, 1, batchId)
        sqlite3_bind_int64(stmt, 2, Int64(sourceRow))
        return sqlite3_step(stmt)
      }
      sqlite3_reset(stmt)
      guard rc == SQLITE_DONE else {
        throw StoreError("Cannot record the issues of row \(sourceRow): \(Self.message(stmt)).")
      }
      issues += 1
    }
  }

  /// Records the SHA-256 of the batch's file, when it was computed while the rows were staged.
  public func setFileSHA256(_ digest: String) throws {
    try db.execute(sql: "UPDATE batches SET file_sha256 = ? WHERE id = ?", arguments: [digest, batchId])
  }

  /// Inserts the rows still waiting, then finds the rows of earlier batches that `succeeded` with a
  /// fingerprint of this batch, when `EarlierRows` did not look them up row by row: marks this batch's
  /// pending rows `skipped`. Called once, at the end.
  func finish() throws {
    for entry in pending { try insert([entry], with: insertRow) }
    pending.removeAll()
    guard let earlier, !earlier.inMemory else { return }
    // Every created row is of an earlier batch (this one's rows are all new). The first created row of
    // each fingerprint, in a temporary table keyed by it, so each of this batch's rows is one look-up.
    try db.execute(
      sql: """
        CREATE TEMP TABLE earlier_created (fingerprint TEXT PRIMARY KEY, row_id INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO earlier_created SELECT fingerprint, MIN(row_id) FROM created_rows GROUP BY fingerprint;
        """)
    try db.execute(
      sql: """
        UPDATE rows SET state = 'skipped', updated_at = ?,
          skipped_from = (SELECT earlier.batch_id || ':' || earlier.source_row
                          FROM earlier_created JOIN rows AS earlier ON earlier.id = earlier_created.row_id
                          WHERE earlier_created.fingerprint = rows.fingerprint)
        WHERE batch_id = ? AND state = 'pending' AND fingerprint IN (SELECT fingerprint FROM earlier_created)
        """,
      arguments: [now, batchId])
    let changes = db.changesCount
    try db.execute(sql: "DROP TABLE temp.earlier_created")
    skipped += changes
  }

  private func add(_ entry: Entry) throws {
    pending.append(entry)
    rows += 1
    guard pending.count == Self.groupRows else { return }
    do {
      try insert(pending, with: insertGroup)
    } catch {
      // Name the row at fault: the rows the failed statement did insert (those after the last row
      // inserted before it) are removed, then the group is inserted again one row at a time.
      try db.execute(sql: "DELETE FROM rows WHERE id > ?", arguments: [lastRowId])
      for entry in pending { try insert([entry], with: insertRow) }
      throw error
    }
    pending.removeAll(keepingCapacity: true)
  }

  /// Binds `entries` (as many as the statement has rows) and runs the statement once. The rows' buffers
  /// are bound in place: each is pinned by a nested `withUnsafeBytes` until the statement has run.
  private func insert(_ entries: [Entry], with statement: Statement) throws {
    let stmt = statement.sqliteStatement
    func bindFrom(_ i: Int) -> Int32 {
      guard i < entries.count else { return sqlite3_step(stmt) }
      let e = entries[i]
      let base = Int32(i) * Self.parametersPerRow
      sqlite3_bind_int64(stmt, base + 1, batchId)
      sqlite3_bind_int64(stmt, base + 2, Int64(e.sourceRow))
      if let name = e.state.stagedName {
        _ = sqlite3_bind_text(
          stmt, base + 7, UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self),
          Int32(name.utf8CodeUnitCount), nil)
      } else {
        _ = sqlite3_bind_text(stmt, base + 7, e.state.rawValue, -1, RawBinding.transient)
      }
      if let skippedFrom = e.skippedFrom {
        _ = sqlite3_bind_text(stmt, base + 9, skippedFrom, -1, RawBinding.transient)
      } else {
        sqlite3_bind_null(stmt, base + 9)
      }
      sqlite3_bind_double(stmt, base + 10, now)
      sqlite3_bind_double(stmt, base + 11, now)
      guard let p = e.prepared else {
        for k: Int32 in [3, 4, 5, 6, 8] { sqlite3_bind_null(stmt, base + k) }
        return bindFrom(i + 1)
      }
      return p.storage.withUnsafeBytes { raw in
        // A zero-length text or blob needs a non-null pointer to stay one (a null one binds NULL).
        let start = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        func text(_ index: Int32, _ range: Range<Int>) {
          _ = sqlite3_bind_text(
            stmt, base + index, (start + range.lowerBound).assumingMemoryBound(to: CChar.self),
            Int32(range.count), nil)
        }
        text(3, p.fingerprint)
        _ = sqlite3_bind_blob(stmt, base + 4, start, Int32(p.body.count), nil)
        text(5, p.tokenId)
        if let wallet = p.walletAddress { text(6, wallet) } else { sqlite3_bind_null(stmt, base + 6) }
        text(8, p.reference)
        return bindFrom(i + 1)
      }
    }
    let rc = bindFrom(0)
    sqlite3_reset(stmt)
    if rc == SQLITE_DONE { lastRowId = sqlite3_last_insert_rowid(sqlite3_db_handle(stmt)) }
    guard rc == SQLITE_DONE else {
      let message = Self.message(stmt)
      let row =
        entries.count == 1
        ? "row \(entries[0].sourceRow)"
        : "rows \(entries[0].sourceRow)–\(entries[entries.count - 1].sourceRow)"
      if rc & 0xFF == SQLITE_CONSTRAINT && entries.count == 1 {
        throw StoreError("Row \(entries[0].sourceRow) appears twice in batch \(batchId) (\(message)).")
      }
      throw StoreError("Cannot stage \(row): \(message).")
    }
  }

  /// The parameters of `insertIssue` that take texts: column_name … value.
  private static let issueTextIndexes: [Int32] = [3, 4, 5, 6, 7, 8]

  private static func message(_ stmt: OpaquePointer?) -> String {
    String(cString: sqlite3_errmsg(sqlite3_db_handle(stmt)))
  }
}

extension RowState {
  /// The name of a state rows are staged in, as a static string (bound `SQLITE_STATIC`).
  fileprivate var stagedName: StaticString? {
    switch self {
    case .invalid: return "invalid"
    case .pending: return "pending"
    case .skipped: return "skipped"
    default: return nil
    }
  }
}

/// Up to six optional texts bound to one statement without copies: their UTF-8 bytes are gathered in
/// one buffer, bound `SQLITE_STATIC`, and only used while `withBound` runs (the statement is stepped and
/// reset inside or right after it, before the next bind).
struct TextBindings {
  private var bytes: [UInt8] = []
  private var ranges: [(start: Int, count: Int)?] = []

  init() {
    bytes.reserveCapacity(256)
    ranges.reserveCapacity(6)
  }

  mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    ranges.removeAll(keepingCapacity: true)
  }

  mutating func append(_ text: String?) {
    guard var text else {
      ranges.append(nil)
      return
    }
    let start = bytes.count
    text.withUTF8 { bytes.append(contentsOf: $0) }
    ranges.append((start, bytes.count - start))
  }

  /// Binds text `i` to parameter `indexes[i]`, then runs `body`.
  func withBound(to stmt: OpaquePointer?, indexes: [Int32], _ body: () -> Int32) -> Int32 {
    bytes.withUnsafeBufferPointer { buffer in
      let base = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!)
      for (i, range) in ranges.enumerated() {
        if let range {
          _ = sqlite3_bind_text(
            stmt, indexes[i], (base + range.start).assumingMemoryBound(to: CChar.self), Int32(range.count),
            nil)
        } else {
          sqlite3_bind_null(stmt, indexes[i])
        }
      }
      return body()
    }
  }
}
