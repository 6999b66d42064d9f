import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The temporary files of one test process, all in one folder (`<tmp>/allot-tests-<pid>`) that is removed
/// when the process exits. A folder left by a test process that died (killed, crashed) is removed the next
/// time a test process starts using this one, once no process of that id is alive.
///
/// Tests create files freely and do not clean up one by one: a failing `#expect` must not leak a file.
public enum TestScratch {
  private static let prefix = "allot-tests-"

  /// The process's folder, created (mode 0700) on first use.
  public static let root: URL = {
    let tmp = FileManager.default.temporaryDirectory
    sweepAbandoned(in: tmp)
    let url = tmp.appendingPathComponent("\(prefix)\(getpid())", isDirectory: true)
    try? FileManager.default.removeItem(at: url)  // a dead process's folder under a reused pid
    try? FileManager.default.createDirectory(
      at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    atexit { TestScratch.removeRoot() }
    return url
  }()

  /// A fresh, empty folder named `<label>-<uuid>` inside ``root``.
  public static func directory(_ label: String = "test") -> URL {
    let url = root.appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A path for a file named `name` in a fresh folder (the file itself is not created).
  public static func file(_ name: String, label: String = "file") -> URL {
    directory(label).appendingPathComponent(name)
  }

  private static func removeRoot() {
    try? FileManager.default.removeItem(at: root)
  }

  /// Removes `allot-tests-<pid>` folders whose process is gone.
  private static func sweepAbandoned(in tmp: URL) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: tmp.path) else { return }
    for name in names where name.hasPrefix(prefix) {
      guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH {
        try? FileManager.default.removeItem(at: tmp.appendingPathComponent(name))
      }
    }
  }
}
