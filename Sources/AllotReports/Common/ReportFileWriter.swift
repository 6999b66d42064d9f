#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

private func sysWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
  #if canImport(Glibc)
    return Glibc.write(fd, p, n)
  #else
    return Darwin.write(fd, p, n)
  #endif
}

private func sysClose(_ fd: Int32) -> Int32 {
  #if canImport(Glibc)
    return Glibc.close(fd)
  #else
    return Darwin.close(fd)
  #endif
}

/// Why a report could not be written.
public struct ReportError: Error, Sendable, Hashable, CustomStringConvertible {
  public var path: String
  public var message: String

  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  public var description: String { "\(path): \(message)" }
}

/// A buffered file writer (mode 0644): reports stream through it, a 256 KiB buffer at a time.
///
/// Large files bypass the page cache (Linux `O_DIRECT`): once a file has filled its first 2 MiB
/// block, every whole block goes to the disk straight from an aligned staging block, and the last,
/// partial one through the page cache as usual. Copying hundreds of megabytes of reports into the page
/// cache cost more CPU than rendering them on this kind of machine (see `docs/decisions.md`); a file
/// system that refuses direct I/O (tmpfs, some network and overlay file systems) gets buffered writes.
public final class ReportFileWriter {
  public let path: String
  private var fd: Int32
  private var buffer: [UInt8] = []
  private var stage: DirectStage?
  private static let capacity = 1 << 18
  static let flushThreshold = 1 << 18

  var pendingCount: Int { buffer.count }

  @inline(__always)
  func append(_ b: UInt8) { buffer.append(b) }

  @inline(__always)
  func appendBytes(_ u: UnsafeBufferPointer<UInt8>) { buffer.append(contentsOf: u) }

  /// Creates or truncates `path` with permissions 0644.
  public init(path: String) throws(ReportError) {
    self.path = path
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else {
      throw ReportError(path: path, message: "cannot create the file (\(Self.errnoText())).")
    }
    _ = fchmod(fd, 0o644)
    self.fd = fd
    buffer.reserveCapacity(Self.capacity)
  }

  deinit {
    if fd >= 0 { _ = sysClose(fd) }
    stage?.deallocate()
  }

  @inline(__always)
  public func write(_ s: String) throws(ReportError) {
    buffer.append(contentsOf: s.utf8)
    if buffer.count >= Self.capacity { try flush() }
  }

  @inline(__always)
  public func write(byte: UInt8) throws(ReportError) {
    buffer.append(byte)
    if buffer.count >= Self.capacity { try flush() }
  }

  /// Appends a rendered slice: what the buffer holds goes on first, then the slice itself, copied once
  /// (into the staging block) rather than through the buffer as well.
  func write(_ sink: ByteSink) throws(ReportError) {
    try flush()
    var failure: ReportError?
    sink.withBytes { u in
      do throws(ReportError) { try emit(UnsafeRawBufferPointer(u)) } catch { failure = error }
    }
    if let failure { throw failure }
  }

  /// Sends `raw` on, through the staging block where direct I/O exists. The block fills from the
  /// file's first byte, so every whole block starts at a multiple of its size, as direct I/O requires.
  private func emit(_ raw: UnsafeRawBufferPointer) throws(ReportError) {
    guard DirectStage.supported else { return try writeThrough(raw) }
    let stage: DirectStage
    if let s = self.stage {
      stage = s
    } else {
      stage = DirectStage()
      self.stage = stage
    }
    var raw = raw
    while !raw.isEmpty {
      let taken = stage.fill(from: raw)
      raw = UnsafeRawBufferPointer(rebasing: raw[taken...])
      if stage.isFull { try writeStage(stage) }
    }
  }

  /// Whether the file is open with `O_DIRECT` (nil: not tried yet).
  private var direct: Bool?

  /// Writes the staging block: a whole block with `O_DIRECT` when the file system allows it; the last,
  /// partial block (and everything, where direct I/O is refused) through the page cache.
  private func writeStage(_ stage: DirectStage) throws(ReportError) {
    defer { stage.reset() }
    if stage.isFull {
      if direct == nil { direct = DirectStage.setDirect(fd, true) }
      if direct == true {
        let n = stage.writeDirect(fd)
        if n == DirectStage.size { return }
        // Refused or cut short: this block's rest and every later one go through the page cache.
        _ = DirectStage.setDirect(fd, false)
        direct = false
        return try writeThrough(UnsafeRawBufferPointer(rebasing: stage.bytes(stage.count)[max(0, n)...]))
      }
    } else if direct == true {
      _ = DirectStage.setDirect(fd, false)
      direct = false
    }
    try writeThrough(stage.bytes(stage.count))
  }

  /// `write(2)` until every byte is written.
  private func writeThrough(_ raw: UnsafeRawBufferPointer) throws(ReportError) {
    var offset = 0
    while offset < raw.count, let base = raw.baseAddress {
      let n = sysWrite(fd, base + offset, raw.count - offset)
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { throw ReportError(path: path, message: "cannot write the file (\(Self.errnoText())).") }
      offset += n
    }
  }

  public func flush() throws(ReportError) {
    defer { buffer.removeAll(keepingCapacity: true) }
    var failure: ReportError?
    buffer.withUnsafeBytes { raw in
      do throws(ReportError) { try emit(raw) } catch { failure = error }
    }
    if let failure { throw failure }
  }

  /// Flushes and closes.
  public func close() throws(ReportError) {
    try flush()
    if let stage, stage.count > 0 { try writeStage(stage) }
    if fd >= 0 {
      let r = sysClose(fd)
      fd = -1
      if r != 0 { throw ReportError(path: path, message: "cannot close the file (\(Self.errnoText())).") }
    }
  }

  static func errnoText() -> String { String(cString: strerror(errno)) }

  /// Writes `text` to `path` in one go (0644).
  public static func write(_ text: String, to path: String) throws(ReportError) {
    let w = try ReportFileWriter(path: path)
    try w.write(text)
    try w.close()
  }
}

extension ReportFileWriter {
  /// A CSV text cell: formula-neutralised (`'` before a leading `=`, `+`, `-`, `@`, tab, CR) and
  /// quoted when it holds a comma, quote or line break.
  public func csvText(_ s: String) throws(ReportError) {
    try cell(s, neutralise: true)
  }

  /// A CSV number cell: written as is (quoted only if it somehow holds a comma or quote).
  public func csvNumber(_ s: String) throws(ReportError) {
    try cell(s, neutralise: false)
  }

  private func cell(_ s: String, neutralise: Bool) throws(ReportError) {
    var text = s
    text.withUTF8 { u in CSVCell.append(u, neutralise: neutralise, to: &buffer) }
    if pendingCount >= Self.flushThreshold { try flush() }
  }

  /// A JSON string literal (`<` escaped too, so the JSON can sit inside HTML).
  public func jsonString(_ s: String) throws(ReportError) {
    var text = s
    text.withUTF8 { u in JSONStringLiteral.append(u, to: &buffer) }
    if pendingCount >= Self.flushThreshold { try flush() }
  }
}
