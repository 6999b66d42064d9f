import AllotCore
import Foundation
import GRDB
import Testing

@testable import AllotStore

/// The rows submit reads to send and to verify are decoded through SQLite's C API (`RawColumns`): each
/// column as GRDB decodes it, NULLs included, and a row whose state is not allot's is left out.
@Suite struct RawColumnsTests {
  @Test func rowsReadRawAreTheRowsGRDBReads() throws {
    let t = try TempDatabase()
    defer { t.remove() }
    try t.db.queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO batches (id, file_name, file_sha256, created_at) VALUES (1, 'g.csv', 'x', 0);
          INSERT INTO rows (id, batch_id, source_row, payload, reference, token_id, wallet_address, state,
            attempts, next_attempt_at, sent_at, reference_sent, verify_checks, created_at, updated_at)
          VALUES
            (1, 1, 2, X'7B22E282AC223A317D', 'allot:1:2:é', 'tok', '0xW', 'retry_wait', 3, 12.5, 10.25, 1, 2, 0, 0),
            (2, 1, 3, NULL, NULL, NULL, NULL, 'pending', 0, NULL, NULL, 0, 0, 0, 0),
            (3, 1, 4, X'', 'r', 't', NULL, 'unknown', 1, 7, 6, 1, 0, 0, 0);
          """)
    }
    let sql = "SELECT \(AllotDatabase.rowColumns) FROM rows ORDER BY id"
    let raw = try t.db.queue.read { db in
      try AllotDatabase.submissionRows(db, sql: sql, arguments: [])
    }
    let viaGRDB = try t.db.queue.read { db in
      try Row.fetchAll(db, sql: sql).map { r in
        SubmissionRow(
          id: r[0], batchId: r[1], sourceRow: r[2], state: RowState(rawValue: r[3])!, attempts: r[4],
          payload: (r[5] as Data?).map { [UInt8]($0) } ?? [], reference: r[6], tokenId: r[7] ?? "",
          walletAddress: r[8], nextAttemptAt: r[9], sentAt: r[10], referenceSent: r[11],
          verifyChecks: r[12])
      }
    }
    #expect(raw == viaGRDB)
    #expect(raw.count == 3)
    #expect(raw[0].payload == Array(#"{"€":1}"#.utf8))
    #expect(raw[0].reference == "allot:1:2:é")
    #expect(raw[1].tokenId == "" && raw[1].walletAddress == nil && raw[1].nextAttemptAt == nil)
    // The same statement again (it is cached and reset after each read), with an argument.
    let again = try t.db.queue.read { db in
      try AllotDatabase.submissionRows(
        db, sql: "SELECT \(AllotDatabase.rowColumns) FROM rows WHERE id > ? ORDER BY id", arguments: [1])
    }
    #expect(again.map(\.id) == [2, 3])
  }

  @Test func aFailingStepIsADatabaseError() throws {
    let t = try TempDatabase()
    defer { t.remove() }
    #expect(throws: DatabaseError.self) {
      try t.db.queue.read { db in
        // abs() of the smallest integer overflows when the row is stepped, not when it is prepared.
        try AllotDatabase.submissionRows(db, sql: "SELECT abs(-9223372036854775807 - 1)", arguments: [])
      }
    }
  }
}
