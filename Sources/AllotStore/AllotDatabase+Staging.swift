import AllotCore
import Foundation
import GRDB
import GRDBSQLite

/// What `allot import` records about the file.
public struct NewBatch: Sendable, Hashable {
  public var fileName: String
  public var fileSHA256: String
  public var sheet: String?
  public var mappingJSON: String?
  public var optionsJSON: String?
  public init(
    fileName: String, fileSHA256: String, sheet: String?, mappingJSON: String?, optionsJSON: String?
  ) {
    self.fileName = fileName
    self.fileSHA256 = fileSHA256
    self.sheet = sheet
    self.mappingJSON = mappingJSON
    self.optionsJSON = optionsJSON
  }
}

/// The outcome of staging one batch.
public struct ImportSummary: Sendable, Hashable {
  public var batchId: Int64
  public var rows: Int
  public var pending: Int
  public var invalid: Int
  public var skipped: Int
  public var issues: Int
}

/// Adds rows to a batch inside the import transaction, through reused prepared statements.
/// Only valid inside the closure given to `AllotDatabase.importBatch`.
public final class BatchStager {
  public let batchId: Int64
  let now: Double
  let insertRow: Statement
  let insertIssue: Statement
  var random = SystemRandomNumberGenerator()
  public private(set) var rows = 0
  public private(set) var invalid = 0
  public private(set) var issues = 0

  init(db: Database, batchId: Int64, now: Double) throws {
    self.batchId = batchId
    self.now = now
    insertRow = try db.makeStatement(
      sql: """
        INSERT INTO rows (batch_id, source_row, fingerprint, payload, token_id, wallet_address, state, reference,
          created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    insertIssue = try db.makeStatement(
      sql: """
        INSERT INTO row_issues (batch_id, source_row, column_name, field, severity, code, message, value)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """)
  }

  /// A valid row: staged `pending` with its canonical body (without the reference attribute), its
  /// fingerprint, and a fresh reference. `warnings` are its non-blocking issues, if any.
  public func addValid(
    sourceRow: Int, payload: [UInt8], fingerprint: String, tokenId: String, walletAddress: String?,
    warnings: [Issue] = []
  ) throws {
    let reference = RowReference.make(batch: batchId, row: sourceRow, random: random.next())
    try insert(
      sourceRow: sourceRow, fingerprint: fingerprint, payload: payload, tokenId: tokenId,
      wallet: walletAddress,
      state: RowState.pending.rawValue, reference: reference)
    rows += 1
    if !warnings.isEmpty { try addIssues(warnings, sourceRow: sourceRow) }
  }

  /// An invalid row: staged `invalid` with the issues that block it.
  public func addInvalid(sourceRow: Int, issues rowIssues: [Issue]) throws {
    try insert(
      sourceRow: sourceRow, fingerprint: nil, payload: nil, tokenId: nil, wallet: nil,
      state: RowState.invalid.rawValue, reference: nil)
    rows += 1
    invalid += 1
    try addIssues(rowIssues, sourceRow: sourceRow)
  }

  /// The hot path of an import: binds straight to the prepared statement (no per-row allocations of
  /// GRDB argument values), steps and resets it.
  private func insert(
    sourceRow: Int, fingerprint: String?, payload: [UInt8]?, tokenId: String?, wallet: String?, state: String,
    reference: String?
  ) throws {
    let stmt = insertRow.sqliteStatement
    sqlite3_reset(stmt)
    sqlite3_bind_int64(stmt, 1, batchId)
    sqlite3_bind_int64(stmt, 2, Int64(sourceRow))
    Self.bind(stmt, 3, fingerprint)
    if let payload {
      payload.withUnsafeBytes { raw in
        _ = sqlite3_bind_blob(stmt, 4, raw.baseAddress, Int32(raw.count), Self.transient)
      }
    } else {
      sqlite3_bind_null(stmt, 4)
    }
    Self.bind(stmt, 5, tokenId)
    Self.bind(stmt, 6, wallet)
    Self.bind(stmt, 7, state)
    Self.bind(stmt, 8, reference)
    sqlite3_bind_double(stmt, 9, now)
    sqlite3_bind_double(stmt, 10, now)
    let rc = sqlite3_step(stmt)
    guard rc == SQLITE_DONE else {
      let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(stmt)))
      sqlite3_reset(stmt)
      if rc == SQLITE_CONSTRAINT {
        throw StoreError("Row \(sourceRow) appears twice in batch \(batchId) (\(message)).")
      }
      throw StoreError("Cannot stage row \(sourceRow): \(message).")
    }
  }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  private static func bind(_ stmt: OpaquePointer?, _ index: Int32, _ text: String?) {
    guard var text else {
      sqlite3_bind_null(stmt, index)
      return
    }
    text.withUTF8 { buffer in
      _ = sqlite3_bind_text(
        stmt, index, UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self),
        Int32(buffer.count),
        transient)
    }
  }

  /// File-level issues (row 0) or issues of a row already added.
  public func addIssues(_ list: [Issue], sourceRow: Int) throws {
    for i in list {
      try insertIssue.execute(arguments: [
        batchId, sourceRow, i.column, i.field, i.severity.rawValue, i.code, i.message, i.value,
      ])
      issues += 1
    }
  }
}

extension AllotDatabase {
  /// Creates a batch and stages its rows in ONE transaction: `produce` adds rows through the stager.
  /// Afterwards, a valid row whose fingerprint already `succeeded` in an earlier batch becomes `skipped`
  /// (pointing at that row) unless `allowDuplicates`. Nothing is staged if `produce` throws (its error is rethrown as is;
  /// database errors become `StoreError`).
  public func importBatch(
    _ batch: NewBatch, allowDuplicates: Bool = false, now: Double = AllotDatabase.now(),
    _ produce: (BatchStager) throws -> Void
  ) throws -> ImportSummary {
    do {
      return try queue.write { db in
        try db.execute(sql: "PRAGMA cache_size = -262144")
        try db.execute(
          sql: """
            INSERT INTO batches (file_name, file_sha256, sheet, mapping_json, options_json, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            batch.fileName, batch.fileSHA256, batch.sheet, batch.mappingJSON, batch.optionsJSON, now,
          ])
        let batchId = db.lastInsertedRowID
        let stager = try BatchStager(db: db, batchId: batchId, now: now)
        try produce(stager)
        var skipped = 0
        if !allowDuplicates {
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
          skipped = db.changesCount
        }
        try db.execute(sql: "PRAGMA cache_size = -2000")
        return ImportSummary(
          batchId: batchId, rows: stager.rows, pending: stager.rows - stager.invalid - skipped,
          invalid: stager.invalid, skipped: skipped, issues: stager.issues)
      }
    } catch let e as DatabaseError {
      throw Self.wrap(e, "Cannot stage the batch", path: path)
    }
  }
}
