#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file opened for sequential reading with POSIX `read`, in chunks. Not thread-safe; close it when done
/// (it also closes itself when released).
final class FileInput {
  let path: String
  /// The name shown in messages (the base name of the path).
  let displayName: String
  private var fd: Int32
  /// Bytes read so far.
  private(set) var offset: Int64 = 0

  init(path: String) throws(ReaderError) {
    self.path = path
    self.displayName = FileInput.baseName(path)
    var st = stat()
    if stat(path, &st) != 0 {
      let e = errno
      if e == ENOENT || e == ENOTDIR {
        throw ReaderError(
          code: "file.not_found", file: displayName,
          message: "no such file: \(path); check the path and try again")
      }
      throw ReaderError(
        code: "file.unreadable", file: displayName,
        message: "cannot read \(path) (\(FileInput.errorText(e)))")
    }
    if (st.st_mode & S_IFMT) == S_IFDIR {
      throw ReaderError(
        code: "file.unreadable", file: displayName,
        message: "\(path) is a folder, not a spreadsheet file")
    }
    let fd = open(path, O_RDONLY)
    if fd < 0 {
      let e = errno
      throw ReaderError(
        code: e == ENOENT ? "file.not_found" : "file.unreadable", file: displayName,
        message: "cannot read \(path) (\(FileInput.errorText(e)))")
    }
    self.fd = fd
  }

  deinit { close() }

  func close() {
    if fd >= 0 {
      _ = posixClose(fd)
      fd = -1
    }
  }

  /// Fills `buffer` from the current position; returns the number of bytes read (0 at end of file).
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    var total = 0
    while total < buffer.count {
      let n = posixRead(fd, base + total, buffer.count - total)
      if n < 0 {
        if errno == EINTR { continue }
        throw ReaderError(
          code: "file.unreadable", file: displayName,
          message: "reading \(path) failed (\(FileInput.errorText(errno)))")
      }
      if n == 0 { break }
      total += n
    }
    offset += Int64(total)
    return total
  }

  /// Reads up to `count` bytes from the start of the file (for format sniffing).
  static func prefix(path: String, count: Int) throws(ReaderError) -> [UInt8] {
    let input = try FileInput(path: path)
    defer { input.close() }
    var bytes = [UInt8](repeating: 0, count: count)
    var error: ReaderError?
    let n = bytes.withUnsafeMutableBytes { raw -> Int in
      do throws(ReaderError) {
        return try input.read(into: raw)
      } catch let e {
        error = e
        return 0
      }
    }
    if let error { throw error }
    bytes.removeSubrange(n...)
    return bytes
  }

  /// File size in bytes, or nil when it cannot be determined.
  static func size(path: String) -> Int64? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return Int64(st.st_size)
  }

  static func baseName(_ path: String) -> String {
    let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
    if let slash = trimmed.lastIndex(of: "/") {
      return String(trimmed[trimmed.index(after: slash)...])
    }
    return trimmed
  }

  /// The base name without its last extension (`grants.csv` → `grants`).
  static func stem(_ path: String) -> String {
    let base = baseName(path)
    if let dot = base.lastIndex(of: "."), dot != base.startIndex {
      return String(base[..<dot])
    }
    return base
  }

  /// The lower-cased last extension without the dot, or "".
  static func fileExtension(_ path: String) -> String {
    let base = baseName(path)
    if let dot = base.lastIndex(of: "."), dot != base.startIndex {
      return String(base[base.index(after: dot)...]).lowercased()
    }
    return ""
  }

  static func errorText(_ code: Int32) -> String {
    if let s = strerror(code) { return String(cString: s) }
    return "error \(code)"
  }
}

@inline(__always)
private func posixRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    return Glibc.read(fd, buf, count)
  #elseif canImport(Musl)
    return Musl.read(fd, buf, count)
  #else
    return Darwin.read(fd, buf, count)
  #endif
}

@inline(__always)
private func posixClose(_ fd: Int32) -> Int32 {
  #if canImport(Glibc)
    return Glibc.close(fd)
  #elseif canImport(Musl)
    return Musl.close(fd)
  #else
    return Darwin.close(fd)
  #endif
}
