import AllotCore

/// A `SubmissionStore` in memory, with the same checks as the SQLite store (from-state, legal moves,
/// all-or-nothing `apply`). Keeps the audit trail for assertions.
public actor InMemorySubmissionStore: SubmissionStore {
  public struct StoredRow: Sendable, Hashable {
    public var row: SubmissionRow
    public var allocationId: String?
    public var allocationKey: String?
    public var httpStatus: Int?
    public var errorType: String?
    public var errorMessage: String?
    public var sentBody: [UInt8]?
  }

  public private(set) var rows: [Int64: StoredRow] = [:]
  public private(set) var audit: [(rowId: Int64, record: AttemptRecord)] = []
  public private(set) var applyCalls = 0
  /// The most rows `in_flight` after any `apply`.
  public private(set) var peakInFlight = 0
  /// When set, `apply` fails with this message (to test store failures).
  public var failApply: String?

  public init() {}

  /// Stages rows (`state` usually `pending`).
  public func stage(_ newRows: [SubmissionRow]) {
    for r in newRows { rows[r.id] = StoredRow(row: r) }
  }

  public func row(_ id: Int64) -> StoredRow? { rows[id] }
  public func state(_ id: Int64) -> RowState? { rows[id]?.row.state }
  public func auditOutcomes(_ id: Int64) -> [String] { audit.filter { $0.rowId == id }.map(\.record.outcome) }
  public func setFailApply(_ message: String?) { failApply = message }

  private func inBatch(_ r: SubmissionRow, _ batch: Int64?) -> Bool { batch == nil || r.batchId == batch }

  public func recoverInFlight(batch: Int64?, now: Double) async throws -> Int {
    var n = 0
    for (id, var s) in rows where s.row.state == .inFlight && inBatch(s.row, batch) {
      s.row.state = .unknown
      s.row.verifyChecks = 0
      s.row.nextAttemptAt = s.row.referenceSent ? now : nil
      rows[id] = s
      audit.append((id, AttemptRecord(outcome: "crash_recovery", startedAt: now, finishedAt: now)))
      n += 1
    }
    return n
  }

  public func sendableRows(batch: Int64?, now: Double, limit: Int, upTo lastRowId: Int64?) async throws
    -> [SubmissionRow]
  {
    let all = rows.values.map(\.row).filter { inBatch($0, batch) && $0.id <= (lastRowId ?? .max) }
      .sorted { $0.id < $1.id }
    let pending = all.filter { $0.state == .pending }
    let due = all.filter { $0.state == .retryWait && ($0.nextAttemptAt ?? 0) <= now }
    return Array((pending + due).prefix(max(0, limit)))
  }

  public func lastRowId() async throws -> Int64? { rows.keys.max() }

  public func verifiableRows(batch: Int64?, now: Double, limit: Int) async throws -> [SubmissionRow] {
    let all = rows.values.map(\.row).filter { inBatch($0, batch) }.sorted { $0.id < $1.id }
    return Array(
      all.filter { $0.state == .unknown && $0.referenceSent && ($0.nextAttemptAt.map { $0 <= now } ?? false) }
        .prefix(max(0, limit)))
  }

  public func nextWakeTime(batch: Int64?) async throws -> Double? {
    rows.values.map(\.row).filter {
      inBatch($0, batch) && ($0.state == .retryWait || ($0.state == .unknown && $0.referenceSent))
    }.compactMap(\.nextAttemptAt).min()
  }

  public func counts(batch: Int64?) async throws -> [RowState: Int] {
    var c: [RowState: Int] = [:]
    for s in rows.values where inBatch(s.row, batch) { c[s.row.state, default: 0] += 1 }
    return c
  }

  public func apply(_ updates: [RowUpdate]) async throws {
    applyCalls += 1
    if let failApply { throw FakeStoreError(message: failApply) }
    var copy = rows
    for u in updates {
      guard var s = copy[u.rowId] else { throw FakeStoreError(message: "No row \(u.rowId).") }
      guard s.row.state == u.from, RowTransition.isLegal(from: u.from, to: u.to) else {
        throw RowTransitionError(rowId: u.rowId, from: s.row.state, to: u.to)
      }
      s.row.state = u.to
      if u.resetAttempts { s.row.attempts = 0 }
      s.row.attempts += u.attemptsDelta
      s.row.nextAttemptAt = u.nextAttemptAt
      if let v = u.verifyChecks { s.row.verifyChecks = v }
      if let v = u.sentAt { s.row.sentAt = v }
      if let v = u.referenceSent { s.row.referenceSent = v }
      if let v = u.sentBody { s.sentBody = v }
      if u.clearError {
        s.errorType = nil
        s.errorMessage = nil
      }
      if let v = u.allocationId { s.allocationId = v }
      if let v = u.allocationKey { s.allocationKey = v }
      if let v = u.httpStatus { s.httpStatus = v }
      if let v = u.errorType { s.errorType = v }
      if let v = u.errorMessage { s.errorMessage = v }
      copy[u.rowId] = s
      if let a = u.attempt { audit.append((u.rowId, a)) }
    }
    rows = copy
    peakInFlight = max(peakInFlight, rows.values.count { $0.row.state == .inFlight })
  }
}

public struct FakeStoreError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
