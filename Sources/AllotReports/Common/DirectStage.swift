#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The staging block of ``ReportFileWriter``'s direct writes: `size` bytes aligned for `O_DIRECT`.
final class DirectStage {
  /// A multiple of every logical block size in use (512 and 4,096 bytes).
  static let size = 1 << 21
  static let alignment = 4_096

  /// Linux's `O_DIRECT`, which Glibc's module does not export (it needs `_GNU_SOURCE`); nil where
  /// there is none (or its value on this architecture is not known here).
  static let directFlag: Int32? = {
    #if os(Linux) && (arch(x86_64) || arch(i386))
      0o40000
    #elseif os(Linux) && (arch(arm64) || arch(arm))
      0o200000
    #else
      nil
    #endif
  }()

  /// Whether this system has direct I/O at all.
  static var supported: Bool { directFlag != nil }

  private let base: UnsafeMutableRawPointer
  private(set) var count = 0

  init() {
    base = UnsafeMutableRawPointer.allocate(byteCount: Self.size, alignment: Self.alignment)
  }

  func deallocate() { base.deallocate() }

  var isFull: Bool { count == Self.size }

  /// Copies as much of `raw` as fits; returns how much.
  func fill(from raw: UnsafeRawBufferPointer) -> Int {
    let n = min(raw.count, Self.size - count)
    if n > 0, let src = raw.baseAddress { (base + count).copyMemory(from: src, byteCount: n) }
    count += n
    return n
  }

  func bytes(_ n: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: n) }

  func reset() { count = 0 }

  /// One `write(2)` of the whole block; the bytes written, or -1.
  func writeDirect(_ fd: Int32) -> Int {
    while true {
      #if canImport(Glibc)
        let n = Glibc.write(fd, base, Self.size)
      #else
        let n = Darwin.write(fd, base, Self.size)
      #endif
      if n < 0 && errno == EINTR { continue }
      return n
    }
  }

  /// Turns `O_DIRECT` on or off for `fd`; false when the file system refuses it (or there is none).
  static func setDirect(_ fd: Int32, _ on: Bool) -> Bool {
    guard let flag = directFlag else { return false }
    let flags = fcntl(fd, F_GETFL)
    guard flags >= 0 else { return false }
    return fcntl(fd, F_SETFL, on ? flags | flag : flags & ~flag) == 0
  }
}
