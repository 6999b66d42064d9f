import AllotCore
import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// allot's SQLite database: batches, rows with their submission state, validation issues, and the
/// append-only attempts log. WAL, `synchronous=FULL`, a busy timeout, one writer, versioned migrations.
/// The file is created with mode 0600. The API token is never stored.
public final class AllotDatabase: Sendable {
  public let path: String
  let queue: DatabaseQueue

  /// Default file name when neither `--db` nor `ALLOT_DB` is given.
  public static let defaultPath = "allot.sqlite"

  /// `--db PATH`, else `ALLOT_DB`, else `./allot.sqlite`.
  public static func resolvePath(
    explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  )
    -> String
  {
    if let explicit, !explicit.isEmpty { return explicit }
    if let env = environment["ALLOT_DB"], !env.isEmpty { return env }
    return defaultPath
  }

  /// Opens (creating when missing) and migrates the database at `path`.
  public init(path: String, busyTimeout: Double = 10) throws(StoreError) {
    self.path = path
    try Self.createPrivateFile(path)
    var config = Configuration()
    config.journalMode = .wal
    config.busyMode = .timeout(busyTimeout)
    config.foreignKeysEnabled = true
    config.label = "allot"
    config.prepareDatabase { db in
      // 16 KiB pages for a new file (rows hold ~0.5–1 KB bodies; a no-op on an existing database).
      try db.execute(sql: "PRAGMA page_size = 16384")
    }
    do {
      queue = try DatabaseQueue(path: path, configuration: config)
      // After opening: GRDB's WAL set-up (`journalMode = .wal`) runs after `prepareDatabase` and sets
      // `synchronous = NORMAL`, under which a commit is not synced to disk until the next checkpoint.
      try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
      try Self.migrator.migrate(queue)
    } catch {
      throw Self.wrap(error, "Cannot open the database", path: path)
    }
  }

  /// Creates the file with mode 0600 before SQLite does, and narrows an existing file to 0600.
  static func createPrivateFile(_ path: String) throws(StoreError) {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      let reason = String(cString: strerror(errno))
      throw StoreError("Cannot create or open the database file: \(reason).", path: path)
    }
    close(fd)
    if chmod(path, 0o600) != 0 {
      let reason = String(cString: strerror(errno))
      throw StoreError("Cannot restrict the database file to its owner (mode 0600): \(reason).", path: path)
    }
  }

  /// A `StoreError` from any error (GRDB's messages carry SQL but never row values or secrets).
  static func wrap(_ error: any Error, _ what: String, path: String?) -> StoreError {
    if let e = error as? StoreError { return e }
    if let e = error as? RowTransitionError { return StoreError(e.description, path: path) }
    if let e = error as? DatabaseError {
      switch e.resultCode {
      case .SQLITE_BUSY, .SQLITE_LOCKED:
        return StoreError("\(what): the database is busy (another allot is writing to it).", path: path)
      case .SQLITE_NOTADB, .SQLITE_CORRUPT:
        return StoreError("\(what): the file is not an allot database or is damaged.", path: path)
      case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
        return StoreError("\(what): the file cannot be written.", path: path)
      case .SQLITE_FULL:
        return StoreError("\(what): the disk is full.", path: path)
      default:
        return StoreError("\(what): \(e.message ?? "SQLite error \(e.resultCode.rawValue)").", path: path)
      }
    }
    return StoreError("\(what): \(error).", path: path)
  }

  func write<T>(_ what: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try queue.write(body)
    } catch {
      throw Self.wrap(error, what, path: path)
    }
  }

  func read<T>(_ what: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try queue.read(body)
    } catch {
      throw Self.wrap(error, what, path: path)
    }
  }

  /// A write transaction from `async` code. It runs to its end even when the calling task is cancelled:
  /// through GRDB's callback API (its `async` methods throw `CancellationError` in a cancelled task), so
  /// a submission aborted by a second Ctrl-C still records the answers that came back and puts back the
  /// rows it marked but did not send.
  func asyncWrite<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T)
    async throws(StoreError)
    -> T
  {
    let result: Result<T, any Error> = await withCheckedContinuation { continuation in
      queue.asyncWrite(body) { _, result in continuation.resume(returning: result) }
    }
    do {
      return try result.get()
    } catch {
      throw Self.wrap(error, what, path: path)
    }
  }

  /// A read from `async` code; like `asyncWrite`, not interrupted by the task's cancellation. A deferred
  /// transaction on the queue's connection, not GRDB's `asyncRead`: that one makes the connection read-only
  /// for the read (`PRAGMA query_only = 1`, then `= 0`), and a change of such a pragma makes SQLite expire
  /// every prepared statement of the connection, so each statement `allot submit` reuses was compiled
  /// again after every read of rows to send (about 400 times in a 4,000-row run).
  func asyncRead<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T)
    async throws(StoreError)
    -> T
  {
    let result: Result<T, any Error> = await withCheckedContinuation { continuation in
      queue.asyncWriteWithoutTransaction { db in
        continuation.resume(
          returning: Result {
            var value: T?
            try db.inTransaction(.deferred) {
              value = try body(db)
              return .commit
            }
            guard let value else { throw StoreError("\(what): the read did not run.") }
            return value
          })
      }
    }
    do {
      return try result.get()
    } catch {
      throw Self.wrap(error, what, path: path)
    }
  }

  /// The schema version names applied so far.
  public func appliedMigrations() throws(StoreError) -> [String] {
    try read("Cannot read the schema version") { db in try Self.migrator.appliedMigrations(db) }
  }

  /// Current wall-clock time in seconds since the epoch.
  public static func now() -> Double { Date().timeIntervalSince1970 }
}

extension AllotDatabase {
  /// Runs raw SQL in a write transaction. For tests of schema guarantees only.
  public func unsafeExecuteForTests(_ sql: String) throws(StoreError) {
    try write("Cannot execute") { db in try db.execute(sql: sql) }
  }
}
