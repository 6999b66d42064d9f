import GRDB
import GRDBSQLite

/// Finds the row of an earlier batch that already created the allocation a staged row describes: the
/// first (by id) `succeeded` row with the same fingerprint. Rows of the batch being staged are all new,
/// so every created row belongs to an earlier batch.
///
/// Created rows are listed in `created_rows` (row id and fingerprint, appended to as rows succeed).
/// When there are at most `memoryLimit` of them, a hash of each fingerprint is kept in memory with the
/// first row id that has it, and a staged row reads the database only on a hash match — the common case,
/// no earlier row at all, costs one dictionary look-up per row. Beyond that limit `inMemory` is false and
/// `BatchStager.finish` updates the batch in one statement instead.
final class EarlierRows {
  static let memoryLimit = 2_000_000

  let inMemory: Bool
  /// The hash of each created fingerprint, with the first created row (by id) that has it.
  private let firstRow: [Int: Int64]
  /// "batch:row" and fingerprint of a row, by id.
  private let rowById: Statement?
  /// "batch:row" of the first created row with a fingerprint: when the row of a hash has another
  /// fingerprint (two fingerprints with one 64-bit hash), by a scan of `created_rows`.
  private let byFingerprint: Statement?
  /// The hash of a fingerprint's bytes (a test gives one with collisions).
  private let hash: (UnsafeRawBufferPointer) -> Int

  init(
    db: Database, memoryLimit: Int = EarlierRows.memoryLimit,
    hash: @escaping (UnsafeRawBufferPointer) -> Int = EarlierRows.hash
  ) throws {
    self.hash = hash
    let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM created_rows") ?? 0
    guard count <= memoryLimit else {
      inMemory = false
      firstRow = [:]
      rowById = nil
      byFingerprint = nil
      return
    }
    inMemory = true
    var firstRow = [Int: Int64](minimumCapacity: count)
    if count > 0 {
      let all = try db.makeStatement(sql: "SELECT row_id, fingerprint FROM created_rows ORDER BY row_id")
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
          start: sqlite3_column_text(stmt, 1), count: Int(sqlite3_column_bytes(stmt, 1)))
        let key = hash(bytes)
        if firstRow[key] == nil { firstRow[key] = sqlite3_column_int64(stmt, 0) }
      }
    }
    self.firstRow = firstRow
    if count == 0 {
      rowById = nil
      byFingerprint = nil
    } else {
      rowById = try db.makeStatement(
        sql: "SELECT batch_id || ':' || source_row, fingerprint FROM rows WHERE id = ?")
      byFingerprint = try db.makeStatement(
        sql: """
          SELECT rows.batch_id || ':' || rows.source_row FROM created_rows JOIN rows ON rows.id = created_rows.row_id
          WHERE created_rows.fingerprint = ? ORDER BY created_rows.row_id LIMIT 1
          """)
    }
  }

  /// "batch:row" of the earlier row that created the allocation whose fingerprint has these UTF-8
  /// bytes; nil when there is none (or when `inMemory` is false: `BatchStager.finish` finds them then).
  func createdBy(fingerprint utf8: UnsafeRawBufferPointer) throws -> String? {
    guard let rowById, let byFingerprint, let id = firstRow[hash(utf8)] else { return nil }
    let stmt = rowById.sqliteStatement
    sqlite3_reset(stmt)
    defer { sqlite3_reset(stmt) }
    sqlite3_bind_int64(stmt, 1, id)
    switch sqlite3_step(stmt) {
    case SQLITE_ROW:
      let found = UnsafeRawBufferPointer(
        start: sqlite3_column_text(stmt, 1), count: Int(sqlite3_column_bytes(stmt, 1)))
      if found.elementsEqual(utf8) { return String(cString: sqlite3_column_text(stmt, 0)) }
      return try scan(byFingerprint, for: utf8)
    case SQLITE_DONE:
      return try scan(byFingerprint, for: utf8)
    default:
      throw lookupError(stmt)
    }
  }

  private func scan(_ statement: Statement, for utf8: UnsafeRawBufferPointer) throws -> String? {
    let stmt = statement.sqliteStatement
    sqlite3_reset(stmt)
    defer { sqlite3_reset(stmt) }
    _ = sqlite3_bind_text(
      stmt, 1, (utf8.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self),
      Int32(utf8.count), nil)
    switch sqlite3_step(stmt) {
    case SQLITE_ROW: return String(cString: sqlite3_column_text(stmt, 0))
    case SQLITE_DONE: return nil
    default: throw lookupError(stmt)
    }
  }

  private func lookupError(_ stmt: OpaquePointer?) -> StoreError {
    StoreError(
      "Cannot look up the rows created by earlier batches: \(String(cString: sqlite3_errmsg(sqlite3_db_handle(stmt))))."
    )
  }

  static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
    var h = Hasher()
    h.combine(bytes: bytes)
    return h.finalize()
  }
}
