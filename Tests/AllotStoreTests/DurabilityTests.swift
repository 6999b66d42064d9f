import Foundation
import GRDB
import Testing

@testable import AllotStore

/// Every commit reaches the disk before it returns (issue 3: `synchronous=FULL` for state transitions).
/// GRDB's WAL set-up sets `synchronous = NORMAL`, under which a commit waits for the next checkpoint to be
/// synced; `AllotDatabase` sets FULL after it, and an import's journal switch keeps it.
@Suite struct DurabilityTests {
  func settings(_ db: AllotDatabase) throws -> (synchronous: Int, journal: String) {
    try db.queue.writeWithoutTransaction { db in
      (
        try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1,
        try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
      )
    }
  }

  @Test func commitsAreSyncedInWALModeBeforeAndAfterAnImport() throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let fresh = try settings(t.db)
    #expect(fresh.synchronous == 2)
    #expect(fresh.journal == "wal")
    try t.stage(valid: 3)
    let staged = try settings(t.db)
    #expect(staged.synchronous == 2)
    #expect(staged.journal == "wal")
    let reopened = try settings(try AllotDatabase(path: t.path))
    #expect(reopened.synchronous == 2)
    #expect(reopened.journal == "wal")
  }
}
