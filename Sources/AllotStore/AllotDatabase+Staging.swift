import AllotCore
import Foundation
import GRDB

/// What `allot import` records about the file.
public struct NewBatch: Sendable, Hashable {
  public var fileName: String
  public var fileSHA256: String
  public var sheet: String?
  public var mappingJSON: String?
  public var optionsJSON: String?
  public init(fileName: String, fileSHA256: String, sheet: String?, mappingJSON: String?, optionsJSON: String?) {
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
  /// fingerprint, and a fresh reference. `issues` are its warnings, if any.
  public func addValid(
    sourceRow: Int, payload: [UInt8], fingerprint: String, tokenId: String, walletAddress: String?,
    warnings: [Issue] = []
  ) throws {
    let reference = RowReference.make(batch: batchId, row: sourceRow, random: random.next())
    try insertRow.execute(arguments: [
      batchId, sourceRow, fingerprint, Data(payload), tokenId, walletAddress, RowState.pending.rawValue, reference,
      now, now,
    ])
    rows += 1
    try addIssues(warnings, sourceRow: sourceRow)
  }

  /// An invalid row: staged `invalid` with the issues that block it.
  public func addInvalid(sourceRow: Int, issues rowIssues: [Issue]) throws {
    try insertRow.execute(arguments: [
      batchId, sourceRow, nil, nil, nil, nil, RowState.invalid.rawValue, nil, now, now,
    ])
    rows += 1
    invalid += 1
    try addIssues(rowIssues, sourceRow: sourceRow)
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
        try db.execute(sql: "PRAGMA cache_size = -65536")
        try db.execute(
          sql: """
            INSERT INTO batches (file_name, file_sha256, sheet, mapping_json, options_json, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
          arguments: [batch.fileName, batch.fileSHA256, batch.sheet, batch.mappingJSON, batch.optionsJSON, now])
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
