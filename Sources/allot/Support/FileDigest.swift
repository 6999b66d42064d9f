import AllotCore
import Dispatch
import Foundation

/// SHA-256 of a file's bytes, computed on a thread of its own while the file is imported. The file is
/// opened at once (so a file that cannot be read is reported before anything else happens).
final class FileDigest: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var hex = ""

  /// Opens `path` and starts hashing it; reports an unreadable file and throws exit status 2.
  init(path: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      Console.error("allot: cannot read \(path).")
      throw ExitStatus.badInput
    }
    let thread = Thread { [self] in
      defer { try? handle.close() }
      var hasher = AllotCore.SHA256()
      while true {
        let chunk = handle.readData(ofLength: 1 << 20)
        if chunk.isEmpty { break }
        chunk.withUnsafeBytes { hasher.update($0) }
      }
      hex = hasher.finalizeHex()
      done.signal()
    }
    thread.start()
  }

  /// The digest (64 lower-case hex digits), once the whole file was read.
  func value() -> String {
    done.wait()
    done.signal()
    return hex
  }
}
