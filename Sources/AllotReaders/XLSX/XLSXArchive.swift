import Foundation

/// The zip container of an XLSX file, read in place: entries are streamed from the archive in chunks,
/// never extracted to disk, with size and compression-ratio caps checked before and while inflating.
final class XLSXArchive {
  let path: String
  let displayName: String
  let limits: ReaderLimits
  private let zip: ZipFile
  private var entries: [String: ZipEntry] = [:]
  private var entriesLowercased: [String: ZipEntry] = [:]

  /// Entries smaller than this are never refused for their compression ratio (tiny parts of
  /// repetitive XML compress very well and cannot hurt).
  static let ratioFloorBytes: UInt64 = 1 << 20
  /// Bytes handed to the consumer per inflated chunk.
  static let chunkSize = 1 << 16

  init(path: String, limits: ReaderLimits) throws(ReaderError) {
    self.path = path
    self.displayName = (path as NSString).lastPathComponent
    self.limits = limits
    let head = try Self.readHead(path: path, name: displayName)
    let zipLocal: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    let zipEmpty: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    let ole2: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0]
    if head.starts(with: zipEmpty) {
      throw Self.unreadable(
        "xlsx.empty_zip", displayName, "it is an empty zip archive with no workbook inside")
    }
    guard head.starts(with: zipLocal) else {
      if head.starts(with: ole2) {
        throw Self.unreadable(
          "zip.invalid", displayName,
          "it is an OLE2 compound file: a password-protected workbook or an old .xls, not a zip archive")
      }
      throw Self.unreadable("zip.invalid", displayName, "it is not a zip archive")
    }
    do throws(ZipDirectoryError) {
      zip = try ZipFile(path: path)
    } catch .unsafePath(let entryName) {
      throw ReaderError(
        code: "zip.unsafe_path", file: displayName,
        message:
          "\(displayName) holds a zip entry named \"\(entryName)\" that points outside the archive, which no spreadsheet does; the file was not read"
      )
    } catch .directoryTooLarge {
      throw Self.unreadable(
        "zip.invalid", displayName, "its zip directory is larger than \(ZipFile.maxDirectoryBytes >> 20) MB")
    } catch .damaged {
      throw Self.unreadable("zip.corrupt", displayName, "the zip archive's directory is damaged")
    } catch {
      throw Self.unreadable(
        "zip.truncated", displayName, "the zip archive is truncated or damaged: its directory is missing")
    }
    for entry in zip.entries {
      let name = entry.path
      if entries[name] == nil { entries[name] = entry }
      let lower = name.lowercased()
      if entriesLowercased[lower] == nil { entriesLowercased[lower] = entry }
    }
    if entries.isEmpty {
      throw Self.unreadable("xlsx.empty_zip", displayName, "it is a zip archive with no files inside")
    }
  }

  /// The sentence for a file that cannot be read as XLSX.
  static func unreadable(_ code: String, _ name: String, _ why: String) -> ReaderError {
    ReaderError(
      code: code, file: name,
      message:
        "\(name) is not a readable .xlsx file (\(why)); open it in Excel and save it again as .xlsx or .csv")
  }

  private static func readHead(path: String, name: String) throws(ReaderError) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ReaderError(code: "file.not_found", file: name, message: "\(path) does not exist")
    }
    guard !isDirectory.boolValue else {
      throw ReaderError(code: "file.unreadable", file: name, message: "\(path) is a folder, not a file")
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw ReaderError(code: "file.unreadable", file: name, message: "\(path) cannot be opened for reading")
    }
    defer { try? handle.close() }
    let data = (try? handle.read(upToCount: 8)) ?? Data()
    if data.isEmpty {
      throw ReaderError(
        code: "file.empty", file: name,
        message: "\(name) is empty (0 bytes); open it in Excel and save it again as .xlsx or .csv")
    }
    return [UInt8](data)
  }

  /// True when the archive holds `path` (exact, else case-insensitive).
  func contains(_ path: String) -> Bool { entry(path) != nil }

  func entry(_ path: String) -> ZipEntry? {
    entries[path] ?? entriesLowercased[path.lowercased()]
  }

  /// All entry paths.
  var paths: [String] { Array(entries.keys) }

  /// Streams the uncompressed bytes of `path` to `body`, chunk by chunk, enforcing the size and ratio
  /// caps. Errors thrown by `body` propagate unchanged.
  func stream(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    guard let entry = entry(path) else {
      throw ReaderError(
        code: "xlsx.missing_part", file: displayName,
        message:
          "\(displayName) is not a readable .xlsx file (the part \(path) is missing); open it in Excel and save it again as .xlsx or .csv"
      )
    }
    let compressed = max(entry.compressedSize, 1)
    let declared = entry.uncompressedSize
    if let error = capViolation(path: path, produced: declared, compressed: compressed) { throw error }
    var produced: UInt64 = 0
    do {
      try ZipInflater.stream(entry, in: zip) { chunk in
        produced += UInt64(chunk.count)
        if let error = self.capViolation(path: path, produced: produced, compressed: compressed) {
          throw error
        }
        try body(chunk)
      }
    } catch let error as ZipInflateError {
      let why: String
      switch error {
      case .corrupt: why = "the part \(path) is damaged inside the zip archive"
      case .encrypted: why = "the part \(path) is encrypted inside the zip archive"
      case .unsupportedMethod(let m):
        why = "the part \(path) uses zip compression method \(m), which allot does not read"
      }
      throw ReaderError(
        code: "zip.corrupt", file: displayName,
        message:
          "\(displayName) is not a readable .xlsx file (\(why)); open it in Excel and save it again as .xlsx or .csv"
      )
    }
  }

  /// The whole content of a small entry (at most `maxBytes`), or nil when it is larger or missing.
  func smallEntry(_ path: String, maxBytes: Int) -> [UInt8]? {
    guard let entry = entry(path), entry.uncompressedSize <= UInt64(maxBytes) else { return nil }
    var out: [UInt8] = []
    do {
      try stream(path) { chunk in
        if out.count + chunk.count > maxBytes { throw CancellationError() }
        out.append(contentsOf: chunk)
      }
    } catch {
      return nil
    }
    return out
  }

  private func capViolation(path: String, produced: UInt64, compressed: UInt64) -> ReaderError? {
    if produced > UInt64(max(0, limits.maxUncompressedBytes)) {
      return ReaderError(
        code: "zip.too_large", file: displayName,
        message:
          "\(displayName) was not read: its part \(path) is \(limits.uncompressedSizeHint)"
      )
    }
    if produced > Self.ratioFloorBytes
      && Double(produced) / Double(compressed) > limits.maxCompressionRatio
    {
      return ReaderError(
        code: "zip.ratio_exceeded", file: displayName,
        message:
          "\(displayName) was not read: its part \(path) expands \(limits.compressionRatioHint)"
      )
    }
    return nil
  }
}
