import AllotCore
import Foundation
import GRDB
import Testing

@testable import AllotStore

/// The staging hot path: raw binds, skipped rows found in memory or by one update, the file digest.
@Suite struct BatchStagerTests {
  /// Batch 1 with rows 2…5 staged and rows 2 and 4 succeeded (fingerprints fp1…fp4).
  private func firstBatchWithSuccesses(_ t: TempDatabase) async throws -> ImportSummary {
    let first = try t.stage(valid: 4)
    for r in try await t.db.sendableRows(batch: first.batchId, now: 0, limit: 10)
    where r.reference?.contains(":2:") == true || r.reference?.contains(":4:") == true {
      try await t.db.apply(
        RowUpdate(rowId: r.id, from: .pending, to: .inFlight, reason: .send, attemptsDelta: 1))
      try await t.db.apply(
        RowUpdate(rowId: r.id, from: .inFlight, to: .succeeded, reason: .outcome, allocationId: "a\(r.id)"))
    }
    return first
  }

  /// Stages fingerprints fp1…fp5 twice over (rows 2…11), keeping at most `inMemory` earlier rows in memory.
  private func secondBatch(_ t: TempDatabase, inMemory: Int) throws -> ImportSummary {
    try t.db.importBatch(
      TempDatabase.batch, allowDuplicates: false, now: AllotDatabase.now(), earlierRowsInMemory: inMemory
    ) { stager in
      for i in 0..<10 {
        let n = i % 5 + 1
        try stager.addValid(
          sourceRow: i + 2, payload: TempDatabase.body(n), fingerprint: "fp\(n)", tokenId: "tok",
          walletAddress: "0xW")
      }
    }
  }

  @Test(arguments: [0, 1, 2, 1000])
  func skippedRowsAreTheSameInMemoryOrByUpdate(inMemory: Int) async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let first = try await firstBatchWithSuccesses(t)
    let second = try secondBatch(t, inMemory: inMemory)
    #expect(second.rows == 10 && second.skipped == 4 && second.pending == 6)
    let skipped = try t.db.rowStatuses(batch: second.batchId, all: true).filter { $0.state == .skipped }
    #expect(skipped.map(\.row) == [2, 4, 7, 9])
    #expect(
      skipped.map(\.skippedFrom) == [
        "\(first.batchId):2", "\(first.batchId):4", "\(first.batchId):2", "\(first.batchId):4",
      ])
    // Skipped rows keep their body and a reference, like pending ones.
    #expect(skipped.allSatisfy { $0.reference?.hasPrefix("allot:\(second.batchId):") == true })
  }

  /// Two fingerprints with one hash: the row found through the hash is checked, and the scan of
  /// `created_rows` finds the right one (or none).
  @Test func aHashSharedByTwoFingerprintsFindsTheRightRow() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let first = try await firstBatchWithSuccesses(t)
    try t.db.read("test") { db in
      let earlier = try EarlierRows(db: db, hash: { _ in 7 })
      #expect(earlier.inMemory)
      func lookUp(_ fingerprint: String) throws -> String? {
        try Array(fingerprint.utf8).withUnsafeBytes { try earlier.createdBy(fingerprint: $0) }
      }
      #expect(try lookUp("fp1") == "\(first.batchId):2")
      #expect(try lookUp("fp3") == "\(first.batchId):4")
      #expect(try lookUp("fp2") == nil)
      #expect(try lookUp("") == nil)
    }
  }

  @Test func referenceMadeElsewhereAndTextsAreStoredAsGiven() async throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let s = try t.db.importBatch(TempDatabase.batch) { stager in
      try stager.addValid(
        sourceRow: 2, payload: [], fingerprint: "", reference: "allot:1:2:00000000abcd", tokenId: "t",
        walletAddress: nil, warnings: [])
      try stager.addValid(
        sourceRow: 3, payload: Array("{\"name\":\"Zoë \\\"Q\\\"\"}".utf8), fingerprint: "é\tx",
        reference: "r", tokenId: "", walletAddress: "0xé")
      try stager.addIssues(
        [
          Issue(row: 0, column: nil, field: "file", severity: .warning, code: "c", message: "", value: nil),
          Issue(row: 0, column: "Ünï", field: "f", severity: .error, code: "c2", message: "m", value: ""),
        ], sourceRow: 0)
      try stager.setFileSHA256("cd")
    }
    #expect(s.rows == 2 && s.pending == 2 && s.issues == 2)
    let rows = try await t.db.sendableRows(batch: s.batchId, now: 0, limit: 10)
    #expect(rows.map(\.payload) == [[], Array("{\"name\":\"Zoë \\\"Q\\\"\"}".utf8)])
    #expect(rows.map(\.reference) == ["allot:1:2:00000000abcd", "r"])
    try t.db.read("test") { db in
      #expect(
        try String.fetchAll(db, sql: "SELECT typeof(payload) FROM rows ORDER BY id") == ["blob", "blob"])
      #expect(try String.fetchAll(db, sql: "SELECT fingerprint FROM rows ORDER BY id") == ["", "é\tx"])
      #expect(try String?.fetchAll(db, sql: "SELECT wallet_address FROM rows ORDER BY id") == [nil, "0xé"])
      #expect(try String.fetchOne(db, sql: "SELECT file_sha256 FROM batches") == "cd")
      let issues = try Row.fetchAll(
        db, sql: "SELECT column_name, field, severity, code, message, value FROM row_issues ORDER BY id")
      #expect(issues.map { $0["column_name"] as String? } == [nil, "Ünï"])
      #expect(issues.map { $0["value"] as String? } == [nil, ""])
      #expect(issues.map { $0["message"] as String } == ["", "m"])
      #expect(issues.map { $0["severity"] as String } == ["warning", "error"])
    }
  }

  /// Rows go in by groups of `groupRows`: ids follow the file across groups and the rest at the end, valid
  /// and invalid rows mixed, and every value lands in its own row.
  @Test func groupedInsertsKeepFileOrderAndEveryValue() throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let total = BatchStager.groupRows * 2 + 7
    let s = try t.db.importBatch(TempDatabase.batch) { stager in
      for i in 0..<total {
        if i % 5 == 3 {
          try stager.addInvalid(sourceRow: i + 2, issues: [])
        } else {
          try stager.addValid(
            sourceRow: i + 2, payload: TempDatabase.body(i), fingerprint: "fp\(i)", reference: "ref\(i)",
            tokenId: "tok\(i)", walletAddress: i % 2 == 0 ? "0x\(i)" : nil)
        }
      }
    }
    #expect(s.rows == total && s.invalid == total / 5 + (total % 5 > 3 ? 1 : 0))
    try t.db.read("test") { db in
      let rows = try Row.fetchAll(
        db,
        sql:
          "SELECT source_row, state, fingerprint, reference, token_id, wallet_address, payload FROM rows ORDER BY id"
      )
      #expect(rows.map { $0["source_row"] as Int } == Array(2..<(total + 2)))
      for (i, row) in rows.enumerated() {
        if i % 5 == 3 {
          #expect(row["state"] as String == "invalid" && row["fingerprint"] as String? == nil)
          #expect(row["payload"] as Data? == nil && row["reference"] as String? == nil)
        } else {
          #expect(row["state"] as String == "pending" && row["fingerprint"] as String == "fp\(i)")
          #expect(row["reference"] as String == "ref\(i)" && row["token_id"] as String == "tok\(i)")
          #expect(row["wallet_address"] as String? == (i % 2 == 0 ? "0x\(i)" : nil))
          #expect(row["payload"] as Data == Data(TempDatabase.body(i)))
        }
      }
    }
  }

  /// A row number given twice across two groups (the last row of one, the first of the next) is named
  /// too: the failed group's own rows are removed, not the earlier group's.
  @Test func aRowGivenTwiceAcrossGroupsIsNamed() throws {
    let t = try TempDatabase()
    defer { t.remove() }
    let n = BatchStager.groupRows
    do {
      _ = try t.db.importBatch(TempDatabase.batch) { stager in
        for i in 0..<(2 * n) { try stager.addInvalid(sourceRow: i < n ? i + 2 : i + 1, issues: []) }
      }
      Testing.Issue.record("the import should fail")
    } catch let error as StoreError {
      #expect(error.message.contains("Row \(n + 1) appears twice"), "\(error.message)")
    }
    #expect(try t.db.batches().isEmpty)
  }

  /// A row number given twice fails the import and names that row, inside a group or in the rest.
  @Test(arguments: [5, BatchStager.groupRows + 3])
  func aRowGivenTwiceIsNamed(rows: Int) throws {
    let t = try TempDatabase()
    defer { t.remove() }
    do {
      _ = try t.db.importBatch(TempDatabase.batch) { stager in
        for i in 0..<rows { try stager.addInvalid(sourceRow: i == 2 ? 3 : i + 2, issues: []) }
      }
      Testing.Issue.record("the import should fail")
    } catch let error as StoreError {
      #expect(error.message.contains("Row 3 appears twice"), "\(error.message)")
    }
    #expect(try t.db.batches().isEmpty)
  }
}
