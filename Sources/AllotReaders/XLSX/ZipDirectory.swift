#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One file entry of a zip archive's central directory.
struct ZipEntry: Sendable {
  var path: String
  var method: UInt16
  var flags: UInt16
  var compressedSize: UInt64
  var uncompressedSize: UInt64
  var localHeaderOffset: UInt64
  var isEncrypted: Bool { flags & 1 != 0 }
}

/// Why a zip directory could not be read.
enum ZipDirectoryError: Error {
  /// No end-of-central-directory record, or the directory lies outside the file.
  case truncated
  /// The directory is there but its records are inconsistent.
  case damaged
  /// An entry name is absolute or climbs out of the archive (`../../x`).
  case unsafePath(String)
  /// The directory is larger than allot reads.
  case directoryTooLarge
}

/// A minimal reader of a zip archive's central directory (zip64 included) and of its entries' raw
/// bytes, by positioned reads on a file descriptor. Nothing is ever written to disk.
final class ZipFile {
  let fd: Int32
  let size: UInt64
  private(set) var entries: [ZipEntry] = []

  /// Largest central directory read (a million entries is far beyond any workbook).
  static let maxDirectoryBytes: UInt64 = 64 << 20

  init(path: String) throws(ZipDirectoryError) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .truncated }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      _ = close(fd)
      throw .truncated
    }
    self.fd = fd
    self.size = UInt64(max(0, st.st_size))
    try readDirectory()
  }

  deinit { _ = close(fd) }

  /// Reads exactly `count` bytes at `offset`, or nil when the file is shorter.
  func read(at offset: UInt64, count: Int) -> [UInt8]? {
    guard count >= 0, offset <= size, UInt64(count) <= size - offset else { return nil }
    var bytes = [UInt8](repeating: 0, count: count)
    let ok = bytes.withUnsafeMutableBytes { raw -> Bool in
      readFully(into: raw, at: offset) == count
    }
    return ok ? bytes : nil
  }

  /// Fills `buffer` from `offset`; returns the bytes read (short only at end of file or on error).
  func readFully(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    var total = 0
    while total < buffer.count {
      let n = pread(fd, base + total, buffer.count - total, off_t(offset) + off_t(total))
      if n < 0 {
        if errno == EINTR { continue }
        return total
      }
      if n == 0 { break }
      total += n
    }
    return total
  }

  /// The offset of an entry's data (after its local header), checked to lie inside the file.
  func dataOffset(of entry: ZipEntry) -> UInt64? {
    guard let header = read(at: entry.localHeaderOffset, count: 30), Self.u32(header, 0) == 0x0403_4b50
    else { return nil }
    let start = entry.localHeaderOffset + 30 + UInt64(Self.u16(header, 26)) + UInt64(Self.u16(header, 28))
    guard start <= size, entry.compressedSize <= size - start else { return nil }
    return start
  }

  private func readDirectory() throws(ZipDirectoryError) {
    guard size >= 22 else { throw .truncated }
    let tailCount = Int(min(size, 22 + 65_535 + 20))
    guard let tail = read(at: size - UInt64(tailCount), count: tailCount) else { throw .truncated }
    var eocd = -1
    var i = tail.count - 22
    while i >= 0 {
      if tail[i] == 0x50 && tail[i + 1] == 0x4b && tail[i + 2] == 0x05 && tail[i + 3] == 0x06 {
        eocd = i
        break
      }
      i -= 1
    }
    guard eocd >= 0 else { throw .truncated }
    var count = UInt64(Self.u16(tail, eocd + 10))
    var dirSize = UInt64(Self.u32(tail, eocd + 12))
    var dirOffset = UInt64(Self.u32(tail, eocd + 16))
    if count == 0xFFFF || dirSize == 0xFFFF_FFFF || dirOffset == 0xFFFF_FFFF {
      // zip64: the locator sits just before the end record.
      let locatorAt = eocd - 20
      if locatorAt >= 0 && Self.u32(tail, locatorAt) == 0x0706_4b50 {
        let recordOffset = Self.u64(tail, locatorAt + 8)
        guard let record = read(at: recordOffset, count: 56), Self.u32(record, 0) == 0x0606_4b50 else {
          throw .truncated
        }
        count = Self.u64(record, 32)
        dirSize = Self.u64(record, 40)
        dirOffset = Self.u64(record, 48)
      }
    }
    guard dirSize <= Self.maxDirectoryBytes else { throw .directoryTooLarge }
    guard dirOffset <= size, dirSize <= size - dirOffset,
      let dir = read(at: dirOffset, count: Int(dirSize))
    else { throw .truncated }
    var p = 0
    var parsed: [ZipEntry] = []
    while p + 46 <= dir.count && Self.u32(dir, p) == 0x0201_4b50 {
      let flags = Self.u16(dir, p + 8)
      let method = Self.u16(dir, p + 10)
      var csize = UInt64(Self.u32(dir, p + 20))
      var usize = UInt64(Self.u32(dir, p + 24))
      let nameLength = Int(Self.u16(dir, p + 28))
      let extraLength = Int(Self.u16(dir, p + 30))
      let commentLength = Int(Self.u16(dir, p + 32))
      var offset = UInt64(Self.u32(dir, p + 42))
      let nameStart = p + 46
      let extraStart = nameStart + nameLength
      let next = extraStart + extraLength + commentLength
      guard next <= dir.count else { throw .damaged }
      // zip64 extended information: the fields that are 0xFFFFFFFF, in order.
      var e = extraStart
      while e + 4 <= extraStart + extraLength {
        let id = Self.u16(dir, e)
        let length = Int(Self.u16(dir, e + 2))
        var f = e + 4
        let end = f + length
        guard end <= extraStart + extraLength else { break }
        if id == 0x0001 {
          if usize == 0xFFFF_FFFF && f + 8 <= end {
            usize = Self.u64(dir, f)
            f += 8
          }
          if csize == 0xFFFF_FFFF && f + 8 <= end {
            csize = Self.u64(dir, f)
            f += 8
          }
          if offset == 0xFFFF_FFFF && f + 8 <= end { offset = Self.u64(dir, f) }
        }
        e = end
      }
      let name = String(decoding: dir[nameStart..<extraStart], as: UTF8.self)
      try Self.checkSafe(name)
      if !name.hasSuffix("/") {
        parsed.append(
          ZipEntry(
            path: name, method: method, flags: flags, compressedSize: csize, uncompressedSize: usize,
            localHeaderOffset: offset))
      }
      p = next
    }
    if parsed.isEmpty && count > 0 { throw .damaged }
    entries = parsed
  }

  /// Refuses names a careless unzipper would write outside its folder.
  static func checkSafe(_ name: String) throws(ZipDirectoryError) {
    let normalized = name.replacingBackslashes()
    if normalized.hasPrefix("/") || normalized.contains("\0") { throw .unsafePath(name) }
    if normalized.count >= 2, normalized.dropFirst().first == ":" { throw .unsafePath(name) }
    for segment in normalized.split(separator: "/", omittingEmptySubsequences: true) where segment == ".." {
      throw .unsafePath(name)
    }
  }

  static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
  static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
    UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
  }
  static func u64(_ b: [UInt8], _ i: Int) -> UInt64 {
    UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32
  }
}

extension String {
  fileprivate func replacingBackslashes() -> String {
    String(self.map { $0 == "\\" ? "/" : $0 })
  }
}
