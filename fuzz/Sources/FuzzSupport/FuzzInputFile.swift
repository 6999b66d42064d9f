#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A per-process scratch file that fuzz inputs are written to, for readers that take a path.
/// Lives in /dev/shm when it exists (no disk I/O), else in /tmp. Removed at exit.
public enum FuzzInputFile {
  /// Stores `size` bytes at `data` to the scratch file with extension `ext` and returns its path,
  /// or nil when the write failed.
  public static func store(_ data: UnsafePointer<UInt8>, _ size: Int, ext: String) -> String? {
    let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    let path = "\(dir)/allot-fuzz-\(getpid()).\(ext)"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var written = 0
    while written < size {
      let n = write(fd, data + written, size - written)
      if n <= 0 { return nil }
      written += n
    }
    registerCleanup(path)
    return path
  }

  nonisolated(unsafe) private static var registered: Set<String> = []
  nonisolated(unsafe) private static var atexitInstalled = false

  private static func registerCleanup(_ path: String) {
    guard !registered.contains(path) else { return }
    registered.insert(path)
    if !atexitInstalled {
      atexitInstalled = true
      atexit { FuzzInputFile.removeAll() }
    }
  }

  private static func removeAll() {
    for path in registered { unlink(path) }
  }
}
