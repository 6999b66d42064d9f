import AllotCore
import Foundation
import GRDB

/// A batch and its rows per state.
public struct BatchStatus: Sendable, Hashable {
  public var id: Int64
  public var fileName: String
  public var fileSHA256: String
  public var sheet: String?
  public var createdAt: Double
  public var counts: [RowState: Int]
  public func count(_ s: RowState) -> Int { counts[s] ?? 0 }
}

/// One row as `allot status` shows it.
public struct RowStatus: Sendable, Hashable {
  public var batch: Int64
  public var row: Int
  public var state: RowState
  public var allocationId: String?
  public var allocationKey: String?
  public var attempts: Int
  public var httpStatus: Int?
  public var errorType: String?
  /// Magna's message, the first validation issue of an invalid row, or where a skipped row was created.
  public var error: String?
  public var skippedFrom: String?
  public var reference: String?
  public var nextAttemptAt: Double?
}

extension AllotDatabase {
  /// States that need a person's attention in `allot status`.
  public static let attentionStates: [RowState] = [.failed, .unknown, .invalid, .retryWait, .inFlight]

  public func batches(id: Int64? = nil) throws(StoreError) -> [BatchStatus] {
    try read("Cannot read the batches") { db in
      let f = id.map { _ in " WHERE id = ?" } ?? ""
      let args: StatementArguments = id.map { [$0] } ?? []
      var list = try Row.fetchAll(
        db, sql: "SELECT id, file_name, file_sha256, sheet, created_at FROM batches\(f) ORDER BY id",
        arguments: args
      ).map {
        BatchStatus(
          id: $0["id"], fileName: $0["file_name"], fileSHA256: $0["file_sha256"], sheet: $0["sheet"],
          createdAt: $0["created_at"], counts: [:])
      }
      for r in try Row.fetchAll(
        db,
        sql:
          "SELECT batch_id, state, COUNT(*) AS n FROM rows\(id == nil ? "" : " WHERE batch_id = ?") GROUP BY batch_id, state",
        arguments: args)
      {
        let b: Int64 = r["batch_id"]
        let s: String = r["state"]
        if let i = list.firstIndex(where: { $0.id == b }), let state = RowState(rawValue: s) {
          list[i].counts[state] = r["n"]
        }
      }
      return list
    }
  }

  /// The newest batch, if any.
  public func latestBatchId() throws(StoreError) -> Int64? {
    try read("Cannot read the batches") { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM batches") }
  }

  /// Rows needing attention (failed, unknown, invalid, retry_wait, in_flight), or every row with `all`.
  public func rowStatuses(batch: Int64?, all: Bool, limit: Int? = nil) throws(StoreError) -> [RowStatus] {
    try read("Cannot read the rows") { db in
      var conditions: [String] = []
      var args: StatementArguments = []
      if let batch {
        conditions.append("r.batch_id = ?")
        args += [batch]
      }
      if !all {
        conditions.append(
          "r.state IN (\(Self.attentionStates.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
      }
      let whereSQL = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
      let limitSQL = limit.map { " LIMIT \(max(0, $0))" } ?? ""
      let sql = """
        SELECT r.batch_id, r.source_row, r.state, r.allocation_id, r.allocation_key, r.attempts, r.last_http_status,
          r.error_type, r.error_message, r.skipped_from, r.reference, r.next_attempt_at,
          (SELECT i.message FROM row_issues i WHERE i.batch_id = r.batch_id AND i.source_row = r.source_row
             AND i.severity = 'error' ORDER BY i.id LIMIT 1) AS issue
        FROM rows r\(whereSQL) ORDER BY r.batch_id, r.source_row\(limitSQL)
        """
      return try Row.fetchAll(db, sql: sql, arguments: args).compactMap { r -> RowStatus? in
        let s: String = r["state"]
        guard let state = RowState(rawValue: s) else { return nil }
        var error: String? = r["error_message"]
        if state == .invalid { error = r["issue"] }
        let skippedFrom: String? = r["skipped_from"]
        if state == .skipped, let skippedFrom { error = "Already created by row \(skippedFrom)." }
        return RowStatus(
          batch: r["batch_id"], row: r["source_row"], state: state, allocationId: r["allocation_id"],
          allocationKey: r["allocation_key"], attempts: r["attempts"], httpStatus: r["last_http_status"],
          errorType: r["error_type"], error: error, skippedFrom: skippedFrom, reference: r["reference"],
          nextAttemptAt: r["next_attempt_at"])
      }
    }
  }

  /// `allot retry`: `failed` rows (of the batch, optionally only these source rows) back to `pending`,
  /// with a fresh attempts counter. Returns the rows moved.
  public func retryFailed(batch: Int64?, rows: [ClosedRange<Int>]? = nil, now: Double = AllotDatabase.now())
    throws(StoreError) -> [RowStatus]
  {
    try write("Cannot put failed rows back to pending") { db in
      let f = Self.batchFilter(batch)
      let candidates = try Row.fetchAll(
        db,
        sql:
          "SELECT id, batch_id, source_row FROM rows WHERE state = 'failed'\(f.sql) ORDER BY batch_id, source_row",
        arguments: f.arguments)
      var moved: [RowStatus] = []
      for c in candidates {
        let sourceRow: Int = c["source_row"]
        if let rows, !rows.contains(where: { $0.contains(sourceRow) }) { continue }
        let id: Int64 = c["id"]
        try Self.apply(
          RowUpdate(
            rowId: id, from: .failed, to: .pending, reason: .retry, nextAttemptAt: nil, resetAttempts: true,
            verifyChecks: 0, clearError: true,
            attempt: AttemptRecord(outcome: "retry", startedAt: now, finishedAt: now, error: "allot retry")),
          db: db, now: now)
        moved.append(
          RowStatus(
            batch: c["batch_id"], row: sourceRow, state: .pending, attempts: 0))
      }
      return moved
    }
  }

  /// `allot resolve BATCH:ROW --created ID | --not-created`: settles an `unknown` row by hand, recorded in
  /// the audit trail. `created` nil means "not created" (back to `pending`).
  public func resolve(batch: Int64, row: Int, createdAllocationId: String?, now: Double = AllotDatabase.now())
    throws(StoreError) -> RowState
  {
    try write("Cannot resolve the row") { db in
      guard
        let r = try Row.fetchOne(
          db, sql: "SELECT id, state FROM rows WHERE batch_id = ? AND source_row = ?",
          arguments: [batch, row])
      else { throw StoreError("Batch \(batch) has no row \(row).") }
      let s: String = r["state"]
      guard s == RowState.unknown.rawValue else {
        throw StoreError("Row \(batch):\(row) is \(s), not unknown: only unknown rows can be resolved.")
      }
      let id: Int64 = r["id"]
      var u = RowUpdate(
        rowId: id, from: .unknown, to: .pending, reason: .resolve, nextAttemptAt: nil, verifyChecks: 0)
      if let createdAllocationId {
        u.to = .succeeded
        u.allocationId = createdAllocationId
        u.clearError = true
        u.attempt = AttemptRecord(
          outcome: "resolved_created", startedAt: now, finishedAt: now,
          error: "Resolved by hand: created as \(createdAllocationId).")
      } else {
        u.clearError = true
        u.resetAttempts = true
        u.attempt = AttemptRecord(
          outcome: "resolved_not_created", startedAt: now, finishedAt: now,
          error: "Resolved by hand: not created; the row will be sent again.")
      }
      try Self.apply(u, db: db, now: now)
      return u.to
    }
  }

  /// The audit trail of one row, oldest first.
  public func attempts(batch: Int64, row: Int) throws(StoreError) -> [AttemptRecord] {
    try read("Cannot read the attempts") { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT a.* FROM attempts a JOIN rows r ON r.id = a.row_id
          WHERE r.batch_id = ? AND r.source_row = ? ORDER BY a.id
          """, arguments: [batch, row]
      ).map {
        AttemptRecord(
          outcome: $0["outcome"], startedAt: $0["started_at"], finishedAt: $0["finished_at"],
          httpStatus: $0["http_status"], error: $0["error"])
      }
    }
  }
}

/// The ids a batch refers to, for `allot submit --preflight`: per token, contract and schedule ids with
/// the number of rows to send that use them.
public struct PreflightIds: Sendable, Hashable {
  public var tokenId: String
  public var contractIds: [String: Int]
  public var scheduleIds: [String: Int]
}

extension AllotDatabase {
  public func preflightIds(batch: Int64?) throws(StoreError) -> [PreflightIds] {
    try read("Cannot read the rows to check") { db in
      let f = Self.batchFilter(batch)
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT token_id,
            json_extract(CAST(payload AS TEXT), '$.contractId') AS contract,
            json_extract(CAST(payload AS TEXT), '$.unlockScheduleId') AS unlock,
            json_extract(CAST(payload AS TEXT), '$.vestingScheduleId') AS vesting,
            COUNT(*) AS n
          FROM rows WHERE state IN ('pending', 'retry_wait')\(f.sql)
          GROUP BY 1, 2, 3, 4
          """, arguments: f.arguments)
      var byToken: [String: PreflightIds] = [:]
      for r in rows {
        let token: String = r["token_id"] ?? ""
        let n: Int = r["n"]
        var entry = byToken[token] ?? PreflightIds(tokenId: token, contractIds: [:], scheduleIds: [:])
        if let c: String = r["contract"] { entry.contractIds[c, default: 0] += n }
        if let u: String = r["unlock"] { entry.scheduleIds[u, default: 0] += n }
        if let v: String = r["vesting"] { entry.scheduleIds[v, default: 0] += n }
        byToken[token] = entry
      }
      return byToken.values.sorted { $0.tokenId < $1.tokenId }
    }
  }

  /// Up to `limit` rows that the next submit would send, for `--dry-run`.
  public func previewRows(batch: Int64?, limit: Int) throws(StoreError) -> [SubmissionRow] {
    try read("Cannot read the rows to send") { db in
      let f = Self.batchFilter(batch)
      return try Self.submissionRows(
        db,
        sql: """
          SELECT \(Self.rowColumns) FROM rows WHERE state IN ('pending', 'retry_wait')\(f.sql)
          ORDER BY id LIMIT ?
          """, arguments: f.arguments + [limit]
      )
    }
  }

  /// Rows per state, synchronously (commands).
  public func stateCounts(batch: Int64?) throws(StoreError) -> [RowState: Int] {
    try read("Cannot count rows") { db in try Self.counts(db, batch: batch) }
  }
}
