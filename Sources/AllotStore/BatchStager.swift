import AllotCore
import GRDB
import GRDBSQLite

/// Adds rows to a batch inside the import transaction, through reused prepared statements.
/// Only valid inside the closure given to `AllotDatabase.importBatch`, on the thread that runs it.
///
/// The hot path binds raw values straight to the prepared statements (no per-row GRDB arguments, no
/// copies of the body: values are bound `SQLITE_STATIC` and the statement is stepped while they live).
public final class BatchStager {
  public let batchId: Int64
  let now: Double
  let db: Database
  let insertRow: Statement
  let insertIssue: Statement
  /// How a valid row already created by an earlier batch is found (nil with `allowDuplicates`).
  let earlier: EarlierRows?
  var random = SystemRandomNumberGenerator()
  /// Reused for every insert (its buffers keep their capacity).
  private var texts = TextBindings()
  public private(set) var rows = 0
  public private(set) var invalid = 0
  public private(set) var issues = 0
  /// Valid rows staged `skipped` so far (the rest of them are found by `finish` when the fingerprints
  /// of earlier batches are too many to keep in memory).
  public private(set) var skipped = 0

  init(db: Database, batchId: Int64, now: Double, allowDuplicates: Bool, earlierRowsInMemory: Int) throws {
    self.batchId = batchId
    self.now = now
    self.db = db
    insertRow = try db.makeStatement(
      sql: """
        INSERT INTO rows (batch_id, source_row, fingerprint, payload, token_id, wallet_address, state, reference,
          skipped_from, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    insertIssue = try db.makeStatement(
      sql: """
        INSERT INTO row_issues (batch_id, source_row, column_name, field, severity, code, message, value)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """)
    earlier =
      allowDuplicates ? nil : try EarlierRows(db: db, batchId: batchId, memoryLimit: earlierRowsInMemory)
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
    let skippedFrom = try earlier?.createdBy(fingerprint: fingerprint)
    try insert(
      sourceRow: sourceRow, fingerprint: fingerprint, payload: payload, tokenId: tokenId,
      wallet: walletAddress, state: skippedFrom == nil ? RowState.pending : .skipped, reference: reference,
      skippedFrom: skippedFrom)
    rows += 1
    if skippedFrom != nil { skipped += 1 }
    if !warnings.isEmpty { try addIssues(warnings, sourceRow: sourceRow) }
  }

  /// An invalid row: staged `invalid` with the issues that block it.
  public func addInvalid(sourceRow: Int, issues rowIssues: [Issue]) throws {
    try insert(
      sourceRow: sourceRow, fingerprint: nil, payload: nil, tokenId: nil, wallet: nil, state: .invalid,
      reference: nil, skippedFrom: nil)
    rows += 1
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

  /// Rows of earlier batches that `succeeded` with a fingerprint of this batch, when `EarlierRows` did
  /// not look them up row by row: marks this batch's pending rows `skipped`. Called once, at the end.
  func finish() throws {
    guard let earlier, !earlier.inMemory else { return }
    try db.execute(
      sql: """
        UPDATE rows SET state = 'skipped', updated_at = ?,
          skipped_from = (SELECT earlier.batch_id || ':' || earlier.source_row FROM rows AS earlier
                          WHERE earlier.fingerprint = rows.fingerprint AND earlier.state = 'succeeded'
                            AND earlier.batch_id <> rows.batch_id
                          ORDER BY earlier.id LIMIT 1)
        WHERE batch_id = ? AND state = 'pending' AND fingerprint IN
          (SELECT fingerprint FROM rows AS earlier WHERE earlier.state = 'succeeded' AND earlier.batch_id <> ?)
        """,
      arguments: [now, batchId, batchId])
    skipped += db.changesCount
  }

  private func insert(
    sourceRow: Int, fingerprint: String?, payload: [UInt8]?, tokenId: String?, wallet: String?,
    state: RowState, reference: String?, skippedFrom: String?
  ) throws {
    let stmt = insertRow.sqliteStatement
    texts.removeAll()
    texts.append(fingerprint)
    texts.append(tokenId)
    texts.append(wallet)
    texts.append(state.rawValue)
    texts.append(reference)
    texts.append(skippedFrom)
    let rc = texts.withBound(to: stmt, indexes: Self.rowTextIndexes) {
      sqlite3_bind_int64(stmt, 1, batchId)
      sqlite3_bind_int64(stmt, 2, Int64(sourceRow))
      sqlite3_bind_double(stmt, 10, now)
      sqlite3_bind_double(stmt, 11, now)
      guard let payload else {
        sqlite3_bind_null(stmt, 4)
        return sqlite3_step(stmt)
      }
      return payload.withUnsafeBytes { raw in
        // A zero-length blob needs a non-null pointer to stay a blob (a null one binds NULL).
        _ = sqlite3_bind_blob(
          stmt, 4, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count), nil)
        return sqlite3_step(stmt)
      }
    }
    sqlite3_reset(stmt)
    guard rc == SQLITE_DONE else {
      let message = Self.message(stmt)
      if rc == SQLITE_CONSTRAINT {
        throw StoreError("Row \(sourceRow) appears twice in batch \(batchId) (\(message)).")
      }
      throw StoreError("Cannot stage row \(sourceRow): \(message).")
    }
  }

  /// The parameters of `insertRow` that take texts: fingerprint, token_id, wallet_address, state,
  /// reference, skipped_from.
  private static let rowTextIndexes: [Int32] = [3, 5, 6, 7, 8, 9]
  /// The parameters of `insertIssue` that take texts: column_name … value.
  private static let issueTextIndexes: [Int32] = [3, 4, 5, 6, 7, 8]

  private static func message(_ stmt: OpaquePointer?) -> String {
    String(cString: sqlite3_errmsg(sqlite3_db_handle(stmt)))
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
