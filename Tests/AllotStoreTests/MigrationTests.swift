import AllotCore
import Foundation
import GRDB
import Testing

@testable import AllotStore

/// Databases written by earlier versions of allot open, migrate and keep every row and attempt.
@Suite struct MigrationTests {
  @Test func aVersion2DatabaseKeepsItsRowsAndAttemptsThroughTheRowsRebuild() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "allot-migrate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("old.sqlite").path
    do {
      var config = Configuration()
      config.foreignKeysEnabled = true
      let old = try DatabaseQueue(path: path, configuration: config)
      try AllotDatabase.migrator.migrate(old, upTo: "v2-partial-fingerprint-index")
      try old.write { db in
        try db.execute(
          sql: """
            INSERT INTO batches (id, file_name, file_sha256, created_at) VALUES (1, 'g.csv', 'ab', 1);
            INSERT INTO rows (id, batch_id, source_row, fingerprint, payload, state, attempts, allocation_id,
              reference, created_at, updated_at)
              VALUES (7, 1, 2, 'fp', X'7B7D', 'succeeded', 1, 'alloc-1', 'allot:1:2:abc', 1, 2);
            INSERT INTO rows (id, batch_id, source_row, state, created_at, updated_at)
              VALUES (8, 1, 3, 'invalid', 1, 1);
            INSERT INTO attempts (row_id, started_at, finished_at, duration_ms, http_status, outcome)
              VALUES (7, 1, 2, 1000, 201, 'created');
            """)
      }
    }
    let db = try AllotDatabase(path: path)
    #expect(try db.appliedMigrations().last == "v4-created-rows-table")
    try db.queue.write { db in
      let rows = try Row.fetchAll(db, sql: "SELECT id, state, allocation_id, payload FROM rows ORDER BY id")
      #expect(rows.map { $0["id"] as Int64 } == [7, 8])
      #expect(rows.map { $0["state"] as String } == ["succeeded", "invalid"])
      #expect(rows[0]["allocation_id"] as String? == "alloc-1")
      #expect(rows[0]["payload"] as Data? == Data("{}".utf8))
      #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM attempts WHERE row_id = 7") == 1)
      // The rules of the rebuilt table: the state list, the row's uniqueness, the foreign keys.
      #expect(throws: DatabaseError.self) {
        try db.execute(
          sql:
            "INSERT INTO rows (batch_id, source_row, state, created_at, updated_at) VALUES (1, 9, 'bogus', 1, 1)"
        )
      }
      #expect(throws: DatabaseError.self) {
        try db.execute(
          sql:
            "INSERT INTO rows (batch_id, source_row, state, created_at, updated_at) VALUES (1, 2, 'pending', 1, 1)"
        )
      }
      #expect(throws: DatabaseError.self) {
        try db.execute(
          sql: """
            INSERT INTO attempts (row_id, started_at, finished_at, duration_ms, outcome)
            VALUES (99, 1, 1, 0, 'created')
            """)
      }
      let indexes = try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rows' ORDER BY name")
      #expect(indexes.contains("rows_state") && !indexes.contains("rows_fingerprint_succeeded"))
      // The created row is listed in `created_rows` (v4), the invalid one is not.
      #expect(
        try Row.fetchAll(db, sql: "SELECT row_id, fingerprint FROM created_rows").map {
          [$0["row_id"] as Int64 == 7, $0["fingerprint"] as String == "fp"]
        } == [[true, true]])
      #expect(try String.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
    }
  }

  /// `created_rows` lists a row when `apply` makes it `succeeded`, whatever it was before, and only then.
  @Test func createdRowsListTheRowsThatSucceed() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "allot-created-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try AllotDatabase(path: folder.appendingPathComponent("c.sqlite").path)
    try await db.queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO batches (id, file_name, file_sha256, created_at) VALUES (1, 'g.csv', 'ab', 1);
          INSERT INTO rows (id, batch_id, source_row, fingerprint, state, created_at, updated_at) VALUES
            (1, 1, 2, 'fp1', 'in_flight', 1, 1), (2, 1, 3, 'fp2', 'in_flight', 1, 1),
            (3, 1, 4, 'fp3', 'unknown', 1, 1), (4, 1, 5, NULL, 'in_flight', 1, 1);
          """)
    }
    let listed = {
      try await db.queue.read { db in
        try Row.fetchAll(db, sql: "SELECT row_id, fingerprint FROM created_rows ORDER BY row_id").map {
          "\($0["row_id"] as Int64):\($0["fingerprint"] as String)"
        }
      }
    }
    try await db.apply(RowUpdate(rowId: 2, from: .inFlight, to: .failed, reason: .outcome, httpStatus: 422))
    #expect(try await listed().isEmpty)
    try await db.apply([
      RowUpdate(rowId: 1, from: .inFlight, to: .succeeded, reason: .outcome, allocationId: "a1"),
      RowUpdate(rowId: 3, from: .unknown, to: .succeeded, reason: .verify, allocationId: "a3"),
      // No fingerprint: nothing to skip by.
      RowUpdate(rowId: 4, from: .inFlight, to: .succeeded, reason: .outcome, allocationId: "a4"),
    ])
    #expect(try await listed() == ["1:fp1", "3:fp3"])
  }
}
