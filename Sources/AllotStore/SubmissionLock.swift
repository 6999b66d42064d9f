import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One `allot submit` (or `allot resolve`) at a time per database: an exclusive `flock` on the file
/// `<database>-lock` beside it (mode 0600, left in place), held until `release()` or the end of the
/// process, `kill -9` included.
///
/// Without it a second `allot submit` on the same database turned the first one's rows in flight into
/// `unknown` (crash recovery), and the first then stopped on "Row N cannot move from unknown to
/// succeeded". The lock is a file of its own: closing a descriptor of the database file itself would drop
/// the POSIX locks SQLite holds on it in this process.
public final class SubmissionLock: Sendable {
  private let fd: Int32

  /// The lock file of the database at `databasePath`.
  public static func path(forDatabase databasePath: String) -> String { databasePath + "-lock" }

  /// Takes the lock, or fails at once with a sentence naming the database when another process holds it.
  public init(databasePath: String) throws(StoreError) {
    let lockPath = Self.path(forDatabase: databasePath)
    let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      let reason = String(cString: strerror(errno))
      throw StoreError("Cannot create the lock file \(lockPath): \(reason).", path: databasePath)
    }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let busy = errno == EWOULDBLOCK
      let reason = String(cString: strerror(errno))
      close(fd)
      if busy {
        throw StoreError(
          "Another `allot submit` or `allot resolve` is working on this database; wait for it to finish "
            + "(or stop it with Ctrl-C) and run this again.", path: databasePath)
      }
      throw StoreError("Cannot lock \(lockPath): \(reason).", path: databasePath)
    }
    self.fd = fd
  }

  /// Releases the lock (also released when the process ends).
  public func release() {
    _ = flock(fd, LOCK_UN)
  }

  deinit {
    close(fd)
  }
}
