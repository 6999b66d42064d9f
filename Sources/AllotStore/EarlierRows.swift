import GRDB
import GRDBSQLite

/// Finds the row of an earlier batch that already created the allocation a staged row describes: the
/// first (by id) `succeeded` row of another batch with the same fingerprint.
///
/// When the database holds at most `memoryLimit` succeeded rows, a hash of each of their fingerprints
/// is kept in memory and a staged row only queries the database (through the partial index of
/// succeeded fingerprints) on a hash match — the common case, no earlier row at all, costs one set
/// look-up per row. Beyond that limit `inMemory` is false and `BatchStager.finish` updates the batch in
/// one statement instead.
final class EarlierRows {
  static let memoryLimit = 2_000_000

  let inMemory: Bool
  private let hashes: Set<Int>
  private let lookup: Statement?
  private let batchId: Int64

  init(db: Database, batchId: Int64, memoryLimit: Int = EarlierRows.memoryLimit) throws {
    self.batchId = batchId
    let count =
      try Int.fetchOne(
        db, sql: "SELECT COUNT(*) FROM rows WHERE state = 'succeeded' AND fingerprint IS NOT NULL") ?? 0
    guard count <= memoryLimit else {
      inMemory = false
      hashes = []
      lookup = nil
      return
    }
    inMemory = true
    var hashes = Set<Int>(minimumCapacity: count)
    if count > 0 {
      let all = try db.makeStatement(
        sql: "SELECT fingerprint FROM rows WHERE state = 'succeeded' AND fingerprint IS NOT NULL")
      let stmt = all.sqliteStatement
      sqlite3_reset(stmt)
      defer { sqlite3_reset(stmt) }
      while true {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_DONE { break }
        guard rc == SQLITE_ROW else {
          throw StoreError(
            "Cannot read the rows created by earlier batches: \(String(cString: sqlite3_errmsg(sqlite3_db_handle(stmt))))."
          )
        }
        let bytes = UnsafeRawBufferPointer(
          start: sqlite3_column_text(stmt, 0), count: Int(sqlite3_column_bytes(stmt, 0)))
        hashes.insert(Self.hash(bytes))
      }
    }
    self.hashes = hashes
    lookup =
      count == 0
      ? nil
      : try db.makeStatement(
        sql: """
          SELECT batch_id || ':' || source_row FROM rows
          WHERE fingerprint = ? AND state = 'succeeded' AND batch_id <> ?
          ORDER BY id LIMIT 1
          """)
  }

  /// "batch:row" of the earlier row that created the allocation whose fingerprint has these UTF-8
  /// bytes; nil when there is none (or when `inMemory` is false: `BatchStager.finish` finds them then).
  func createdBy(fingerprint utf8: UnsafeRawBufferPointer) throws -> String? {
    guard let lookup, hashes.contains(Self.hash(utf8)) else { return nil }
    let stmt = lookup.sqliteStatement
    sqlite3_reset(stmt)
    defer { sqlite3_reset(stmt) }
    _ = sqlite3_bind_text(
      stmt, 1, (utf8.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self),
      Int32(utf8.count), nil)
    sqlite3_bind_int64(stmt, 2, batchId)
    switch sqlite3_step(stmt) {
    case SQLITE_ROW: return String(cString: sqlite3_column_text(stmt, 0))
    case SQLITE_DONE: return nil
    default:
      throw StoreError(
        "Cannot look up the rows created by earlier batches: \(String(cString: sqlite3_errmsg(sqlite3_db_handle(stmt))))."
      )
    }
  }

  private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
    var h = Hasher()
    h.combine(bytes: bytes)
    return h.finalize()
  }
}
