import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Has the kernel write the database's new pages to disk while `allot import` is still staging rows, so
/// that the fsync of the commit finds most of them written already instead of all of them (a million
/// rows are about 900 MB, which the kernel would otherwise keep in memory until that fsync).
///
/// A flush is an `fdatasync` of the database file through a descriptor of its own, on a utility
/// thread, at most one at a time. It changes nothing to durability or to what a crash leaves: the pages
/// were written by SQLite already, and the kernel may write them out at any moment anyway; the commit
/// still makes the batch durable with its own fsync.
final class EarlyWriteback: @unchecked Sendable {
  private let fd: Int32
  private let queue = DispatchQueue(label: "allot.import.writeback", qos: .utility)
  private let lock = NSLock()
  private var busy = false

  /// Nil when the file cannot be opened (the import then runs without it).
  init?(path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    self.fd = fd
  }

  /// Starts writing out what has been written to the file so far, unless a flush is under way.
  func kick() {
    lock.lock()
    guard !busy else {
      lock.unlock()
      return
    }
    busy = true
    lock.unlock()
    queue.async { [self] in
      _ = fdatasync(fd)
      lock.lock()
      busy = false
      lock.unlock()
    }
  }

  /// Waits for a flush under way. The descriptor is not closed but left to the process's end: closing a
  /// descriptor of the database file drops every POSIX lock this process holds on it, SQLite's included
  /// (the shared lock that tells other connections this one still uses the write-ahead log).
  func waitForFlush() {
    queue.sync {}
  }
}
