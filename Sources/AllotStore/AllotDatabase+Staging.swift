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

extension AllotDatabase {
  /// Creates a batch and stages its rows in ONE transaction: `produce` adds rows through the stager.
  /// A valid row whose fingerprint already `succeeded` in an earlier batch is staged `skipped`
  /// (pointing at that row) unless `allowDuplicates`. Nothing is staged if `produce` throws (its error is rethrown as is;
  /// database errors become `StoreError`).
  public func importBatch(
    _ batch: NewBatch, allowDuplicates: Bool = false, now: Double = AllotDatabase.now(),
    _ produce: (BatchStager) throws -> Void
  ) throws -> ImportSummary {
    try importBatch(
      batch, allowDuplicates: allowDuplicates, now: now, earlierRowsInMemory: EarlierRows.memoryLimit, produce
    )
  }

  /// `importBatch` keeping the fingerprints of at most `earlierRowsInMemory` earlier rows in memory
  /// (tests of both ways of finding skipped rows).
  func importBatch(
    _ batch: NewBatch, allowDuplicates: Bool, now: Double, earlierRowsInMemory: Int,
    _ produce: (BatchStager) throws -> Void
  ) throws -> ImportSummary {
    let settings = ImportConnectionSettings(queue)
    defer { settings.restore() }
    do {
      return try queue.write { db in
        try db.execute(sql: "PRAGMA cache_size = -65536")
        try db.execute(
          sql: """
            INSERT INTO batches (file_name, file_sha256, sheet, mapping_json, options_json, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            batch.fileName, batch.fileSHA256, batch.sheet, batch.mappingJSON, batch.optionsJSON, now,
          ])
        let batchId = db.lastInsertedRowID
        let stager = try BatchStager(
          db: db, batchId: batchId, now: now, allowDuplicates: allowDuplicates,
          earlierRowsInMemory: earlierRowsInMemory)
        try produce(stager)
        try stager.finish()
        try db.execute(sql: "PRAGMA cache_size = -2000")
        return ImportSummary(
          batchId: batchId, rows: stager.rows, pending: stager.rows - stager.invalid - stager.skipped,
          invalid: stager.invalid, skipped: stager.skipped, issues: stager.issues)
      }
    } catch let e as DatabaseError {
      throw Self.wrap(e, "Cannot stage the batch", path: path)
    }
  }
}

/// The connection's settings while `allot import` stages a batch: no per-row foreign-key check (the rows
/// refer to the batch inserted in the same transaction), and a rollback journal instead of the
/// write-ahead log when no other connection has the database open. `restore()` puts both back.
///
/// In WAL mode every page of the batch is written twice: to the log during the transaction, then into
/// the database by the checkpoint after the commit (a million rows are about 900 MB each time). With a
/// rollback journal, pages added past the end of the file are written once and need no journal entry, and
/// the commit is as durable (`synchronous = FULL`). The switch needs the database to itself: when another
/// connection has it open SQLite keeps WAL and the import runs as before. Other commands started during
/// the import wait for it (busy timeout) instead of reading the state before it.
struct ImportConnectionSettings {
  let queue: DatabaseQueue
  let switched: Bool

  init(_ queue: DatabaseQueue) {
    self.queue = queue
    let mode = try? queue.writeWithoutTransaction { db in
      // Checking the batch's foreign key for each of a million rows is a B-tree search each.
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
      return try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
    }
    switched = mode?.lowercased() == "delete"
  }

  func restore() {
    _ = try? queue.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA foreign_keys = ON")
      if switched { _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
    }
  }
}
