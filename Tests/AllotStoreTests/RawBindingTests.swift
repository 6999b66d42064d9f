import AllotCore
import Foundation
import GRDB
import Testing

@testable import AllotStore

/// The per-row statements of submit bind through SQLite's C API (`RawBinding`): every value reaches its
/// column, nil becomes NULL (or keeps the column, where the statement says so), and a failure is GRDB's
/// `DatabaseError`.
@Suite struct RawBindingTests {
  @Test func everyFieldOfAnUpdateAndAnAttemptIsStored() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let s = try t.stage(valid: 1)
    let row = try #require(try await t.db.sendableRows(batch: s.batchId, now: 0, limit: 1).first)
    let body = Array(#"{"amount":"1","customAttributes":[{"key":"allot_ref","value":"é"}]}"#.utf8)
    try await t.db.apply([
      RowUpdate(
        rowId: row.id, from: .pending, to: .inFlight, reason: .send, nextAttemptAt: 12.5, sentBody: body,
        referenceSent: true, sentAt: 10.25, attemptsDelta: 1, verifyChecks: 3),
      RowUpdate(
        rowId: row.id, from: .inFlight, to: .unknown, reason: .outcome, httpStatus: 502,
        errorType: "Bad Gateway", errorMessage: "upstream — lost", nextAttemptAt: 40,
        attempt: AttemptRecord(
          outcome: "uncertain", startedAt: 10.25, finishedAt: 10.5, httpStatus: 502, error: "HTTP 502")),
      RowUpdate(
        rowId: row.id, from: .unknown, to: .succeeded, reason: .verify, allocationId: "alloc-1",
        allocationKey: "A-KEY", nextAttemptAt: nil,
        attempt: AttemptRecord(outcome: "verified_created", startedAt: 41, finishedAt: 41.5)),
    ])
    let stored = try t.db.queue.read { db in
      try Row.fetchOne(
        db,
        sql: """
          SELECT state, attempts, next_attempt_at, verify_checks, sent_at, reference_sent, sent_payload,
            allocation_id, allocation_key, last_http_status, error_type, error_message
          FROM rows WHERE id = ?
          """, arguments: [row.id])
    }
    let r = try #require(stored)
    #expect(r["state"] as String == "succeeded")
    #expect(r["attempts"] as Int == 1)
    #expect(r["next_attempt_at"] as Double? == nil)
    #expect(r["verify_checks"] as Int == 3)
    #expect(r["sent_at"] as Double == 10.25)
    #expect(r["reference_sent"] as Int == 1)
    #expect(r["sent_payload"] as Data == Data(body))
    #expect(r["allocation_id"] as String == "alloc-1")
    #expect(r["allocation_key"] as String == "A-KEY")
    #expect(r["last_http_status"] as Int == 502)
    // Kept from the 502: neither later update names an error or clears it.
    #expect(r["error_type"] as String == "Bad Gateway")
    #expect(r["error_message"] as String == "upstream — lost")
    let trail = try t.db.attempts(batch: s.batchId, row: row.sourceRow)
    #expect(trail.map(\.outcome) == ["uncertain", "verified_created"])
    #expect(trail[0].httpStatus == 502 && trail[0].error == "HTTP 502" && trail[0].durationMs == 250)
    #expect(trail[1].httpStatus == nil && trail[1].error == nil && trail[1].durationMs == 500)
  }

  @Test func aFailedStepIsADatabaseErrorAndTheStatementIsReusable() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let s = try t.stage(valid: 1)
    let row = try #require(try await t.db.sendableRows(batch: s.batchId, now: 0, limit: 1).first)
    try await t.db.queue.write { db in
      let statement = try db.cachedStatement(sql: AllotDatabase.attemptSQL)
      // No such row: the foreign key refuses the attempt.
      let error = #expect(throws: DatabaseError.self) {
        try AllotDatabase.appendAttempt(
          statement, rowId: row.id + 1_000, AttemptRecord(outcome: "x", startedAt: 0, finishedAt: 0))
      }
      #expect(error?.resultCode == .SQLITE_CONSTRAINT)
      // The same statement then runs for a row that exists.
      try AllotDatabase.appendAttempt(
        statement, rowId: row.id, AttemptRecord(outcome: "y", startedAt: 0, finishedAt: 0))
    }
    #expect(try t.db.attempts(batch: s.batchId, row: row.sourceRow).map(\.outcome) == ["y"])
  }
}
