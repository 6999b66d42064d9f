import GRDB
import GRDBSQLite

/// Reads the current result row of a statement straight through SQLite's C API: for the rows submit
/// reads to send (every staged row once), where GRDB's `Row` (a `DatabaseValue` per column, then a generic
/// decoding per value) cost more than the reading itself.
struct RawColumns {
  private let stmt: SQLiteStatement

  /// Binds `arguments` (through GRDB, once per query), steps `statement` and calls `row` with each result
  /// row, then resets it. A failure throws GRDB's `DatabaseError`, as `Row.fetchAll` does.
  static func forEach(
    _ statement: Statement, arguments: StatementArguments, _ row: (RawColumns) throws -> Void
  ) throws {
    try statement.setArguments(arguments)
    let stmt = statement.sqliteStatement
    defer { sqlite3_reset(stmt) }
    var rc = sqlite3_step(stmt)
    while rc == SQLITE_ROW {
      try row(RawColumns(stmt: stmt))
      rc = sqlite3_step(stmt)
    }
    guard rc == SQLITE_DONE else {
      throw DatabaseError(
        resultCode: ResultCode(rawValue: rc),
        message: String(cString: sqlite3_errmsg(sqlite3_db_handle(stmt))), sql: statement.sql)
    }
  }

  func isNull(_ index: Int32) -> Bool { sqlite3_column_type(stmt, index) == SQLITE_NULL }

  func int64(_ index: Int32) -> Int64? { isNull(index) ? nil : sqlite3_column_int64(stmt, index) }

  func int(_ index: Int32) -> Int? { int64(index).map { Int($0) } }

  func double(_ index: Int32) -> Double? { isNull(index) ? nil : sqlite3_column_double(stmt, index) }

  /// The column as UTF-8 text (nil when NULL).
  func text(_ index: Int32) -> String? {
    guard let bytes = sqlite3_column_text(stmt, index) else { return nil }
    let count = Int(sqlite3_column_bytes(stmt, index))
    return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  }

  /// The column's bytes (nil when NULL; a text column gives its UTF-8 bytes).
  func blob(_ index: Int32) -> [UInt8]? {
    if isNull(index) { return nil }
    let count = Int(sqlite3_column_bytes(stmt, index))
    guard count > 0, let bytes = sqlite3_column_blob(stmt, index) else { return [] }
    return [UInt8](UnsafeRawBufferPointer(start: bytes, count: count))
  }
}
