import GRDB
import GRDBSQLite

/// Binds a statement's parameters straight through SQLite's C API and runs it once: for the statements
/// submit runs for every row (two per answer), where building GRDB's `StatementArguments` (an array of
/// existentials, each converted to a `DatabaseValue`) cost more than the binding itself.
///
/// Texts and blobs are copied by SQLite (`SQLITE_TRANSIENT`), so nothing needs to outlive a `bind` call.
/// Every parameter must be bound on every run: bindings persist from one run to the next.
/// A failure throws GRDB's `DatabaseError`, as `Statement.execute` does.
struct RawBinding {
  private let stmt: SQLiteStatement

  /// Binds with `bind`, steps `statement` to its end, resets it.
  static func run(_ statement: Statement, _ bind: (RawBinding) -> Void) throws {
    let stmt = statement.sqliteStatement
    bind(RawBinding(stmt: stmt))
    var rc = sqlite3_step(stmt)
    while rc == SQLITE_ROW { rc = sqlite3_step(stmt) }
    sqlite3_reset(stmt)
    guard rc == SQLITE_DONE else {
      throw DatabaseError(
        resultCode: ResultCode(rawValue: rc),
        message: String(cString: sqlite3_errmsg(sqlite3_db_handle(stmt))), sql: statement.sql)
    }
  }

  /// SQLite copies what is bound with this destructor (`SQLITE_TRANSIENT`; staging uses it too).
  static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  func text(_ index: Int32, _ value: String?) {
    guard var value else {
      sqlite3_bind_null(stmt, index)
      return
    }
    value.withUTF8 { bytes in
      _ = sqlite3_bind_text(
        stmt, index,
        UnsafeRawPointer(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
          .assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
    }
  }

  func blob(_ index: Int32, _ value: [UInt8]?) {
    guard let value else {
      sqlite3_bind_null(stmt, index)
      return
    }
    value.withUnsafeBytes { bytes in
      _ = sqlite3_bind_blob(
        stmt, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, Int32(bytes.count), Self.transient
      )
    }
  }

  func int64(_ index: Int32, _ value: Int64?) {
    guard let value else {
      sqlite3_bind_null(stmt, index)
      return
    }
    sqlite3_bind_int64(stmt, index, value)
  }

  func int(_ index: Int32, _ value: Int?) { int64(index, value.map(Int64.init)) }

  func bool(_ index: Int32, _ value: Bool?) { int64(index, value.map { $0 ? 1 : 0 }) }

  func double(_ index: Int32, _ value: Double?) {
    guard let value else {
      sqlite3_bind_null(stmt, index)
      return
    }
    sqlite3_bind_double(stmt, index, value)
  }
}
