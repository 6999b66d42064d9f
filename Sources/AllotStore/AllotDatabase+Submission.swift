import AllotCore
import Foundation
import GRDB

extension AllotDatabase: SubmissionStore {
  static let rowColumns = """
    id, batch_id, source_row, state, attempts, payload, reference, token_id, wallet_address, next_attempt_at,
    sent_at, reference_sent, verify_checks
    """

  /// A row of `rowColumns`, read by position (in the order of `rowColumns`; a name lookup per column and
  /// row cost more than the decoding). Nil when the state is not one of allot's.
  static func submissionRow(_ c: RawColumns) -> SubmissionRow? {
    guard let id = c.int64(0), let stateText = c.text(3), let state = RowState(rawValue: stateText) else {
      return nil
    }
    return SubmissionRow(
      id: id, batchId: c.int64(1) ?? 0, sourceRow: c.int(2) ?? 0, state: state, attempts: c.int(4) ?? 0,
      payload: c.blob(5) ?? [], reference: c.text(6), tokenId: c.text(7) ?? "", walletAddress: c.text(8),
      nextAttemptAt: c.double(9), sentAt: c.double(10), referenceSent: (c.int64(11) ?? 0) != 0,
      verifyChecks: c.int(12) ?? 0)
  }

  /// The rows of `sql` (which selects `rowColumns`), read with ``RawColumns``.
  static func submissionRows(_ db: Database, sql: String, arguments: StatementArguments) throws
    -> [SubmissionRow]
  {
    var rows: [SubmissionRow] = []
    try RawColumns.forEach(try db.cachedStatement(sql: sql), arguments: arguments) { c in
      if let row = submissionRow(c) { rows.append(row) }
    }
    return rows
  }

  static func batchFilter(_ batch: Int64?) -> (sql: String, arguments: StatementArguments) {
    guard let batch else { return ("", []) }
    return (" AND batch_id = ?", [batch])
  }

  public func recoverInFlight(batch: Int64?, now: Double) async throws -> Int {
    try await asyncWrite("Cannot recover rows left in flight") { db in
      let f = Self.batchFilter(batch)
      let ids = try Int64.fetchAll(
        db, sql: "SELECT id FROM rows WHERE state = 'in_flight'" + f.sql, arguments: f.arguments)
      guard !ids.isEmpty else { return 0 }
      let update = try db.cachedStatement(
        sql: """
          UPDATE rows SET state = 'unknown', verify_checks = 0, updated_at = ?,
            next_attempt_at = CASE WHEN reference_sent = 1 THEN ? ELSE NULL END
          WHERE id = ? AND state = 'in_flight'
          """)
      for id in ids {
        try update.execute(arguments: [now, now, id])
        try Self.appendAttempt(
          db, rowId: id,
          AttemptRecord(
            outcome: "crash_recovery", startedAt: now, finishedAt: now,
            error: "Found in flight at start: the request may have landed."))
      }
      return ids.count
    }
  }

  public func sendableRows(batch: Int64?, now: Double, limit: Int, upTo lastRowId: Int64?) async throws
    -> [SubmissionRow]
  {
    try await asyncRead("Cannot read the rows to send") { db in
      let f = Self.batchFilter(batch)
      let last = lastRowId ?? .max
      var rows = try Self.submissionRows(
        db,
        sql: """
          SELECT \(Self.rowColumns) FROM rows WHERE state = 'pending' AND id <= ?\(f.sql) ORDER BY id LIMIT ?
          """,
        arguments: [last] + f.arguments + [limit]
      )
      if rows.count < limit {
        rows += try Self.submissionRows(
          db,
          sql: """
            SELECT \(Self.rowColumns) FROM rows
            WHERE state = 'retry_wait' AND next_attempt_at <= ? AND id <= ?\(f.sql)
            ORDER BY next_attempt_at, id LIMIT ?
            """,
          arguments: [now, last] + f.arguments + [limit - rows.count]
        )
      }
      return rows
    }
  }

  public func lastRowId() async throws -> Int64? {
    try await asyncRead("Cannot read the rows") { db in
      try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM rows")
    }
  }

  public func verifiableRows(batch: Int64?, now: Double, limit: Int) async throws -> [SubmissionRow] {
    try await asyncRead("Cannot read the rows to verify") { db in
      let f = Self.batchFilter(batch)
      return try Self.submissionRows(
        db,
        sql: """
          SELECT \(Self.rowColumns) FROM rows
          WHERE state = 'unknown' AND reference_sent = 1 AND next_attempt_at <= ?\(f.sql)
          ORDER BY next_attempt_at, id LIMIT ?
          """,
        arguments: [now] + f.arguments + [limit]
      )
    }
  }

  public func nextWakeTime(batch: Int64?) async throws -> Double? {
    try await asyncRead("Cannot read the next retry time") { db in
      let f = Self.batchFilter(batch)
      return try Double.fetchOne(
        db,
        sql: """
          SELECT MIN(next_attempt_at) FROM rows
          WHERE (state = 'retry_wait' OR (state = 'unknown' AND reference_sent = 1))
            AND next_attempt_at IS NOT NULL\(f.sql)
          """,
        arguments: f.arguments)
    }
  }

  public func counts(batch: Int64?) async throws -> [RowState: Int] {
    try await asyncRead("Cannot count rows") { db in try Self.counts(db, batch: batch) }
  }

  static func counts(_ db: Database, batch: Int64?) throws -> [RowState: Int] {
    let f = batchFilter(batch)
    var result: [RowState: Int] = [:]
    for r in try Row.fetchAll(
      db, sql: "SELECT state, COUNT(*) AS n FROM rows WHERE 1 = 1\(f.sql) GROUP BY state",
      arguments: f.arguments)
    {
      let s: String = r["state"]
      if let state = RowState(rawValue: s) { result[state] = r["n"] }
    }
    return result
  }

  public func apply(_ updates: [RowUpdate]) async throws {
    guard !updates.isEmpty else { return }
    let now = AllotDatabase.now()
    try await asyncWrite("Cannot record row states") { db in
      let statements = try UpdateStatements(db)
      for u in updates { try Self.apply(u, db: db, now: now, statements: statements) }
    }
  }

  /// The statements of `apply`, looked up once per transaction (a lookup hashes the whole SQL text).
  struct UpdateStatements {
    let update: Statement
    let attempt: Statement
    let created: Statement

    init(_ db: Database) throws {
      update = try db.cachedStatement(sql: AllotDatabase.updateSQL)
      attempt = try db.cachedStatement(sql: AllotDatabase.attemptSQL)
      created = try db.cachedStatement(sql: AllotDatabase.createdSQL)
    }
  }

  /// One update inside a transaction: checked against the state machine and the row's current state.
  static func apply(_ u: RowUpdate, db: Database, now: Double) throws {
    try apply(u, db: db, now: now, statements: UpdateStatements(db))
  }

  static func apply(_ u: RowUpdate, db: Database, now: Double, statements: UpdateStatements) throws {
    guard RowTransition.isLegal(from: u.from, to: u.to) else {
      throw RowTransitionError(rowId: u.rowId, from: u.from, to: u.to)
    }
    try RawBinding.run(statements.update) { b in
      b.text(1, u.to.rawValue)
      b.bool(2, u.resetAttempts)
      b.int(3, u.attemptsDelta)
      b.double(4, u.nextAttemptAt)
      b.int(5, u.verifyChecks)
      b.double(6, u.sentAt)
      b.bool(7, u.referenceSent)
      b.blob(8, u.sentBody)
      b.text(9, u.allocationId)
      b.text(10, u.allocationKey)
      b.int(11, u.httpStatus)
      b.text(12, u.errorType)
      b.text(13, u.errorType)
      b.bool(14, u.clearError)
      b.text(15, u.errorMessage)
      b.text(16, u.errorMessage)
      b.bool(17, u.clearError)
      b.double(18, now)
      b.int64(19, u.rowId)
      b.text(20, u.from.rawValue)
    }
    guard db.changesCount == 1 else {
      let current = try String.fetchOne(db, sql: "SELECT state FROM rows WHERE id = ?", arguments: [u.rowId])
      guard let current, let state = RowState(rawValue: current) else {
        throw StoreError("Row \(u.rowId) does not exist.")
      }
      throw RowTransitionError(rowId: u.rowId, from: state, to: u.to)
    }
    if u.to == .succeeded && u.from != .succeeded {
      try RawBinding.run(statements.created) { b in b.int64(1, u.rowId) }
    }
    if let a = u.attempt { try appendAttempt(statements.attempt, rowId: u.rowId, a) }
  }

  /// Lists a row that became `succeeded` in `created_rows` (what `import` skips rows by). OR FAIL and no
  /// foreign key: SQLite keeps no statement journal for it (see the v4 migration).
  static let createdSQL = """
    INSERT OR FAIL INTO created_rows (row_id, fingerprint)
    SELECT id, fingerprint FROM rows WHERE id = ? AND fingerprint IS NOT NULL
    """

  static let updateSQL = """
    UPDATE rows SET
      state = ?,
      attempts = (CASE WHEN ? THEN 0 ELSE attempts END) + ?,
      next_attempt_at = ?,
      verify_checks = COALESCE(?, verify_checks),
      sent_at = COALESCE(?, sent_at),
      reference_sent = COALESCE(?, reference_sent),
      sent_payload = COALESCE(?, sent_payload),
      allocation_id = COALESCE(?, allocation_id),
      allocation_key = COALESCE(?, allocation_key),
      last_http_status = COALESCE(?, last_http_status),
      error_type = CASE WHEN ? IS NOT NULL THEN ? WHEN ? THEN NULL ELSE error_type END,
      error_message = CASE WHEN ? IS NOT NULL THEN ? WHEN ? THEN NULL ELSE error_message END,
      updated_at = ?
    WHERE id = ? AND state = ?
    """

  static let attemptSQL = """
    INSERT INTO attempts (row_id, started_at, finished_at, duration_ms, http_status, outcome, error)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    """

  static func appendAttempt(_ db: Database, rowId: Int64, _ a: AttemptRecord) throws {
    try appendAttempt(db.cachedStatement(sql: attemptSQL), rowId: rowId, a)
  }

  static func appendAttempt(_ statement: Statement, rowId: Int64, _ a: AttemptRecord) throws {
    try RawBinding.run(statement) { b in
      b.int64(1, rowId)
      b.double(2, a.startedAt)
      b.double(3, a.finishedAt)
      b.int(4, a.durationMs)
      b.int(5, a.httpStatus)
      b.text(6, a.outcome)
      b.text(7, a.error)
    }
  }
}
