import AllotCore
import AllotTestSupport
import Foundation
import GRDB
import GRDBSQLite
import Testing

@testable import AllotStore

@Suite struct AllotDatabaseTests {
  @Test func createsAPrivateWALDatabaseWithMigrations() throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let attributes = try FileManager.default.attributesOfItem(atPath: t.path)
    let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    #expect(mode & 0o777 == 0o600)
    #expect(
      try t.db.appliedMigrations() == [
        "v1-batches-rows-issues-attempts", "v2-partial-fingerprint-index",
        "v3-rows-state-check-without-in-list", "v4-created-rows-table",
      ])
    // Re-opening migrates nothing and keeps data.
    try t.stage(valid: 2)
    let again = try AllotDatabase(path: t.path)
    #expect(try again.batches().count == 1)
    let header = try Data(contentsOf: URL(fileURLWithPath: t.path)).prefix(20)
    #expect(header.count == 20 && header[18] == 2 && header[19] == 2)  // WAL read/write versions
  }

  /// Import switches to a rollback journal only when it has the database to itself, and always leaves it
  /// in WAL mode; with another connection open it stages in WAL mode, and that connection sees the batch.
  @Test func importLeavesTheDatabaseInWALModeAloneOrShared() throws {
    let t = try TempDatabase()
    defer { t.remove() }
    try t.stage(valid: 3)
    let header = { try Data(contentsOf: URL(fileURLWithPath: t.path)).prefix(20) }
    #expect(try header()[18] == 2 && header()[19] == 2)
    let other = try AllotDatabase(path: t.path)
    #expect(try other.batches().count == 1)
    try t.stage(valid: 2, fingerprintPrefix: "second")
    #expect(try other.batches().count == 2)
    #expect(try header()[18] == 2 && header()[19] == 2)
    try t.stage(valid: 1, fingerprintPrefix: "third")
    #expect(try t.db.batches().count == 3)
  }

  @Test func existingFileIsNarrowedTo0600() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "allot-mode-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    #expect(
      FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]))
    _ = try AllotDatabase(path: path)
    let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?
      .intValue
    #expect(mode.map { $0 & 0o777 } == 0o600)
  }

  @Test func notADatabaseGivesAClearError() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "allot-bad-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 4096)))
    #expect(throws: StoreError.self) { try AllotDatabase(path: path) }
    let missingFolder = folder.appendingPathComponent("no/such/dir/db.sqlite").path
    do {
      _ = try AllotDatabase(path: missingFolder)
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains("Cannot create or open the database file"))
    }
  }

  @Test func pathResolutionPrefersFlagThenEnvironment() {
    #expect(AllotDatabase.resolvePath(explicit: "x.db", environment: ["ALLOT_DB": "y.db"]) == "x.db")
    #expect(AllotDatabase.resolvePath(explicit: nil, environment: ["ALLOT_DB": "y.db"]) == "y.db")
    #expect(AllotDatabase.resolvePath(explicit: nil, environment: [:]) == "allot.sqlite")
  }

  /// A submission's horizon: rows staged after it (a later batch) are not among the rows to send.
  @Test func sendableRowsStopAtTheHorizon() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    #expect(try await t.db.lastRowId() == nil)
    try t.stage(valid: 3)
    let horizon = try #require(try await t.db.lastRowId())
    try t.stage(valid: 2, fingerprintPrefix: "later")
    #expect(try await t.db.lastRowId() == horizon + 2)
    let upTo = try await t.db.sendableRows(batch: nil, now: 0, limit: 10, upTo: horizon)
    #expect(upTo.map(\.id) == [horizon - 2, horizon - 1, horizon])
    #expect(try await t.db.sendableRows(batch: nil, now: 0, limit: 10).count == 5)
  }

  /// The reads of a submission leave the statements it reuses compiled: a read that made the connection
  /// read-only for a while (`PRAGMA query_only`) had SQLite expire them, and each was compiled again.
  @Test func readsLeaveTheSubmissionStatementsCompiled() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    try t.stage(valid: 4)
    var rows = try await t.db.sendableRows(batch: nil, now: 0, limit: 10)
    for row in rows.prefix(2) {
      try await t.db.apply(
        RowUpdate(rowId: row.id, from: .pending, to: .inFlight, reason: .send, attemptsDelta: 1))
    }
    for _ in 0..<3 {
      rows = try await t.db.sendableRows(batch: nil, now: 0, limit: 10)
      _ = try await t.db.counts(batch: nil)
    }
    #expect(rows.count == 2)
    for row in rows {
      try await t.db.apply(
        RowUpdate(rowId: row.id, from: .pending, to: .inFlight, reason: .send, attemptsDelta: 1))
    }
    let recompiled = try await t.db.queue.write { db in
      Int(
        sqlite3_stmt_status(
          try db.cachedStatement(sql: AllotDatabase.updateSQL).sqliteStatement, SQLITE_STMTSTATUS_REPREPARE, 0
        ))
    }
    #expect(recompiled == 0)
  }

  @Test func stagingCountsAndIssues() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let s = try t.stage(valid: 5, invalid: [9, 10])
    #expect(s.rows == 7 && s.pending == 5 && s.invalid == 2 && s.skipped == 0 && s.issues == 2)
    let counts = try await t.db.counts(batch: s.batchId)
    #expect(counts[.pending] == 5 && counts[.invalid] == 2)
    let attention = try t.db.rowStatuses(batch: s.batchId, all: false)
    #expect(attention.map(\.row) == [9, 10])
    #expect(attention.first?.error == "Amount must be greater than zero (found -10).")
    #expect(try t.db.rowStatuses(batch: nil, all: true).count == 7)
    let rows = try await t.db.sendableRows(batch: s.batchId, now: 0, limit: 10)
    #expect(rows.count == 5)
    #expect(rows.first?.payload == TempDatabase.body(1))
    #expect(rows.first?.reference?.hasPrefix("allot:\(s.batchId):2:") == true)
  }

  @Test func failedProducerStagesNothing() throws {
    let t = try TempDatabase()
    defer { t.remove() }
    struct Boom: Error {}
    #expect(throws: Boom.self) {
      try t.db.importBatch(TempDatabase.batch) { stager in
        try stager.addValid(sourceRow: 2, payload: [1], fingerprint: "f", tokenId: "t", walletAddress: nil)
        throw Boom()
      }
    }
    #expect(try t.db.batches().isEmpty)
  }

  @Test func duplicateSourceRowIsRejected() throws {
    let t = try TempDatabase()
    defer { t.remove() }
    #expect(throws: StoreError.self) {
      try t.db.importBatch(TempDatabase.batch) { stager in
        try stager.addValid(sourceRow: 2, payload: [1], fingerprint: "f", tokenId: "t", walletAddress: nil)
        try stager.addValid(sourceRow: 2, payload: [1], fingerprint: "g", tokenId: "t", walletAddress: nil)
      }
    }
  }

  @Test func rowsAlreadyCreatedInAnEarlierBatchAreSkipped() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let first = try t.stage(valid: 3)
    // Rows 2 and 3 of batch 1 succeed.
    let rows = try await t.db.sendableRows(batch: first.batchId, now: 0, limit: 2)
    for r in rows {
      try await t.db.apply(
        RowUpdate(rowId: r.id, from: .pending, to: .inFlight, reason: .send, attemptsDelta: 1))
      try await t.db.apply(
        RowUpdate(rowId: r.id, from: .inFlight, to: .succeeded, reason: .outcome, allocationId: "a\(r.id)"))
    }
    let second = try t.stage(valid: 4)
    #expect(second.skipped == 2 && second.pending == 2)
    let skipped = try t.db.rowStatuses(batch: second.batchId, all: true).filter { $0.state == .skipped }
    #expect(skipped.map(\.skippedFrom) == ["\(first.batchId):2", "\(first.batchId):3"])
    let third = try t.stage(valid: 4, allowDuplicates: true)
    #expect(third.skipped == 0 && third.pending == 4)
  }

  @Test func transitionsAreCheckedAndAllOrNothing() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let s = try t.stage(valid: 2)
    let rows = try await t.db.sendableRows(batch: s.batchId, now: 0, limit: 2)
    let a = rows[0].id
    let b = rows[1].id
    // Illegal move.
    await #expect(throws: StoreError.self) {
      try await t.db.apply(RowUpdate(rowId: a, from: .pending, to: .succeeded, reason: .outcome))
    }
    // Second update is stale (b is pending, not in_flight): nothing is applied.
    await #expect(throws: StoreError.self) {
      try await t.db.apply([
        RowUpdate(rowId: a, from: .pending, to: .inFlight, reason: .send, attemptsDelta: 1),
        RowUpdate(rowId: b, from: .inFlight, to: .failed, reason: .outcome),
      ])
    }
    #expect(try await t.db.counts(batch: s.batchId)[.pending] == 2)
    try await t.db.apply(
      RowUpdate(
        rowId: a, from: .pending, to: .inFlight, reason: .send, sentBody: [1, 2], referenceSent: true,
        sentAt: 5,
        attemptsDelta: 1))
    try await t.db.apply(
      RowUpdate(
        rowId: a, from: .inFlight, to: .failed, reason: .outcome, httpStatus: 422,
        errorType: "ValidationError",
        errorMessage: "bad email",
        attempt: AttemptRecord(outcome: "rejected", startedAt: 5, finishedAt: 5.25, httpStatus: 422)))
    let failed = try t.db.rowStatuses(batch: s.batchId, all: false)
    #expect(failed.count == 1 && failed[0].error == "bad email" && failed[0].attempts == 1)
    #expect(failed[0].errorType == "ValidationError" && failed[0].httpStatus == 422)
    let trail = try t.db.attempts(batch: s.batchId, row: failed[0].row)
    #expect(trail.map(\.outcome) == ["rejected"] && trail[0].durationMs == 250)
    // retry → pending with a fresh counter.
    let moved = try t.db.retryFailed(batch: s.batchId, rows: [2...2])
    #expect(moved.count == 1)
    #expect(try await t.db.counts(batch: s.batchId)[.pending] == 2)
    #expect(try t.db.attempts(batch: s.batchId, row: 2).map(\.outcome) == ["rejected", "retry"])
  }

  @Test func crashRecoveryAndResolve() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let s = try t.stage(valid: 2)
    let rows = try await t.db.sendableRows(batch: s.batchId, now: 0, limit: 2)
    try await t.db.apply([
      RowUpdate(
        rowId: rows[0].id, from: .pending, to: .inFlight, reason: .send, referenceSent: true, attemptsDelta: 1
      ),
      RowUpdate(
        rowId: rows[1].id, from: .pending, to: .inFlight, reason: .send, referenceSent: false,
        attemptsDelta: 1),
    ])
    #expect(try await t.db.recoverInFlight(batch: nil, now: 100) == 2)
    #expect(try await t.db.counts(batch: nil)[.unknown] == 2)
    let due = try await t.db.verifiableRows(batch: nil, now: 100, limit: 10)
    #expect(due.map(\.id) == [rows[0].id])
    #expect(try await t.db.nextWakeTime(batch: nil) == 100)
    #expect(try t.db.resolve(batch: s.batchId, row: 2, createdAllocationId: "alloc-9") == .succeeded)
    #expect(try t.db.resolve(batch: s.batchId, row: 3, createdAllocationId: nil) == .pending)
    #expect(throws: StoreError.self) { try t.db.resolve(batch: s.batchId, row: 3, createdAllocationId: nil) }
    #expect(throws: StoreError.self) { try t.db.resolve(batch: s.batchId, row: 99, createdAllocationId: nil) }
    #expect(
      try t.db.attempts(batch: s.batchId, row: 2).map(\.outcome) == ["crash_recovery", "resolved_created"])
    let done = try t.db.rowStatuses(batch: s.batchId, all: true).first { $0.row == 2 }
    #expect(done?.allocationId == "alloc-9")
  }

  @Test func engineOverSQLiteCreatesEachRowOnceAndNeverStoresTheToken() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let s = try t.stage(valid: 30)
    let api = FakeMagnaAPI { call, _ in
      switch call % 7 {
      case 0: return .commitThenLose(status: 502)
      case 3: return .rateLimited(retryAfter: 0.01)
      default: return .create
      }
    }
    let engine = SubmissionEngine(
      api: api, store: t.db, clock: FakeSubmissionClock(),
      options: SubmissionOptions(batch: s.batchId, concurrency: 4, requestDeadline: 1),
      jitter: FixedJitter([0.1]))
    let report = try await engine.run()
    #expect(report.count(.succeeded) == 30)
    #expect(await api.created.count == 30)
    let statuses = try t.db.rowStatuses(batch: s.batchId, all: true)
    #expect(Set(statuses.compactMap(\.allocationId)).count == 30)
    // The token is never handed to the store; make sure no file of the database contains it.
    let token = "sk_live_SECRET_TOKEN_123"
    for name in try FileManager.default.contentsOfDirectory(atPath: t.folder.path) {
      let data = try Data(contentsOf: t.folder.appendingPathComponent(name))
      #expect(data.range(of: Data(token.utf8)) == nil)
    }
  }

  @Test func attemptsAreAppendOnly() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let s = try t.stage(valid: 1)
    let row = try #require(try await t.db.sendableRows(batch: s.batchId, now: 0, limit: 1).first)
    try await t.db.apply(
      RowUpdate(
        rowId: row.id, from: .pending, to: .inFlight, reason: .send, attemptsDelta: 1,
        attempt: AttemptRecord(outcome: "x", startedAt: 0, finishedAt: 0)))
    #expect(throws: (any Error).self) { try t.db.unsafeExecuteForTests("DELETE FROM attempts") }
    #expect(throws: (any Error).self) { try t.db.unsafeExecuteForTests("UPDATE attempts SET outcome = 'y'") }
  }

  @Test(.enabled(if: ProcessInfo.processInfo.environment["ALLOT_BENCH"] != nil))
  func importOfAMillionRows() throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let payloads = (0..<1000).map {
      TempDatabase.body($0, wallet: "0x52908400098527886E0F7030069857D2E4169EE7")
    }
    let clock = ContinuousClock()
    let elapsed = try clock.measure {
      let s = try t.db.importBatch(TempDatabase.batch) { stager in
        for i in 0..<1_000_000 {
          try stager.addValid(
            sourceRow: i + 2, payload: payloads[i % 1000], fingerprint: "fingerprint-\(i)-abcdef0123456789",
            tokenId: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            walletAddress: "0x52908400098527886E0F7030069857D2E4169EE7")
        }
      }
      #expect(s.pending == 1_000_000)
    }
    print("import of 1M rows: \(elapsed)")
  }
}
