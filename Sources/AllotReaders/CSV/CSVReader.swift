import AllotCore

/// Reads a CSV file as one sheet named after the file (`grants.csv` → `grants`), streaming it in
/// 1 MiB chunks through `CSVRecordScanner`.
///
/// Encoding: UTF-8 (byte-order mark stripped), UTF-16 LE/BE when the file starts with their byte-order
/// mark (transcoded while streaming), and Windows-1252 when the bytes are not valid UTF-8 (with a
/// `csv.windows1252` warning naming the file). Delimiter: given by the caller, else Excel's `sep=X`
/// first line, else detected among `,` `;` and tab.
///
/// Row numbers are the rows Excel shows when it opens the file: one row per record (a quoted value
/// spanning several lines is one row), blank records counted but not reported, and the `sep=` line —
/// which Excel hides — not counted, so the record after it is row 1.
public struct CSVReader: SheetReader {
  public let path: String
  public let limits: ReaderLimits
  public let dialect: CSVDialect
  /// The single sheet's name: the file's base name without extension.
  public let sheetName: String
  /// The file name used in messages.
  public let fileName: String

  /// Size of the chunks read from the file.
  public static let chunkSize = 1 << 20
  /// Size of the first chunk read by `readOwnedChunks`: the rows before the header is known are parsed
  /// on one thread, and a full first chunk kept the other cores idle for some 20 ms (3,000 rows of a
  /// typical sheet) after the header of a sheet that starts with it.
  public static let firstChunkSize = 64 << 10

  /// Opens `path` and sniffs its encoding and delimiter from its first 64 KiB.
  ///
  /// - Throws: `file.not_found`, `file.unreadable`, `csv.binary`.
  public init(path: String, limits: ReaderLimits = .default, delimiter: UInt8? = nil)
    throws(ReaderError)
  {
    self.path = path
    self.limits = limits
    self.fileName = FileInput.baseName(path)
    self.sheetName = FileInput.stem(path)
    let prefix = try FileInput.prefix(path: path, count: 1 << 16)
    self.dialect = try CSVDialect.sniff(prefix: prefix, delimiter: delimiter, fileName: fileName)
  }

  public var format: WorkbookFormat { .csv }

  /// The file's size in bytes, nil when it cannot be read.
  public var byteCount: Int64? { FileInput.size(path: path) }

  public func sheets() throws(ReaderError) -> [SheetInfo] {
    [SheetInfo(name: sheetName)]
  }

  /// Streams the rows of the file (the sheet argument is not checked: a CSV file has one sheet).
  @discardableResult
  public func readRows(of sheet: SheetInfo, _ body: (SheetRow) throws -> Void) throws
    -> [ReaderWarning]
  {
    var scanner = makeScanner()
    try readDecoded { chunk in try scanner.consume(chunk, body) }
    try scanner.finish(body)
    return scanner.warnings
  }

  /// Streams the rows of the file as bytes (`CSVRecord`, valid during the call only), without a
  /// `String` per cell: the same rows, row numbers and warnings as `readRows`.
  @discardableResult
  public func readRecords(_ body: (CSVRecord) throws -> Void) throws -> [ReaderWarning] {
    var scanner = makeScanner()
    try readDecoded { chunk in try scanner.consumeRecords(chunk, body) }
    try scanner.finishRecords(body)
    return scanner.warnings
  }

  /// A scanner for the whole file, from its first row.
  private func makeScanner() -> CSVRecordScanner {
    CSVRecordScanner(
      delimiter: dialect.delimiter, firstRow: 1, limits: limits, fileName: fileName,
      byteOffset: Int64(dialect.bomLength + dialect.skippedBytes))
  }

  /// Convenience: every row of the file.
  public func allRows() throws -> [SheetRow] {
    var rows: [SheetRow] = []
    try readRows(of: SheetInfo(name: sheetName)) { rows.append($0) }
    return rows
  }

  /// Streams the file as chunks that each end on a record boundary, for parsing on several threads.
  ///
  /// `body` gets the bytes of whole records (UTF-8, or the file's single-byte text when it is not
  /// UTF-8; byte-order mark and `sep=` line removed), the row number of the chunk's first record and
  /// the byte offset of the chunk in the decoded stream. The buffer is only valid during the call (copy
  /// it to hand it to another thread). Parse each chunk with
  /// `CSVRecordScanner(delimiter: dialect.delimiter, firstRow: firstRow, ...)`, `consume` then
  /// `finish`. Each scanner decides on Windows-1252 by itself: when one of them reports
  /// `decoding == .windows1252` while another saw non-ASCII UTF-8, re-read the file with `readRows`.
  ///
  /// - Throws: `csv.unterminated_quote` for a quote never closed, and read errors.
  public func readChunks(
    _ body: (_ chunk: UnsafeRawBufferPointer, _ firstRow: Int, _ byteOffset: Int64) throws -> Void
  ) throws {
    var spare: ChunkBuffer?
    try readOwnedChunks(reuse: { spare }) { chunk, firstRow, offset in
      try body(chunk.bytes, firstRow, offset)
      spare = chunk
    }
  }

  /// `readChunks`, each chunk read straight into a `ChunkBuffer` that `body` may keep (hand it to a
  /// worker, give it back through `reuse` once done with it): no byte is copied between the read and the
  /// parse but the few of a record cut by a read. `reuse` gives a buffer back, or nil for a new one.
  public func readOwnedChunks(
    reuse: () -> ChunkBuffer?,
    _ body: (_ chunk: ChunkBuffer, _ firstRow: Int, _ byteOffset: Int64) throws -> Void
  ) throws {
    let boundary = CSVBoundaryScanner(delimiter: dialect.delimiter)
    var firstRow = 1
    var offset = Int64(dialect.bomLength + dialect.skippedBytes)
    func take() -> ChunkBuffer {
      let buffer = reuse() ?? ChunkBuffer(capacity: 2 * Self.chunkSize)
      buffer.count = 0
      return buffer
    }
    var current = take()
    /// Hands on the whole records at the start of `current`, if any, keeping the cut record for the
    /// next buffer.
    func handOn() throws {
      let result = boundary.scan(current.bytes)
      guard result.end > 0 else { return }
      let filled = current.count
      let done = current
      done.count = result.end
      // The cut record goes to the next buffer before this one is handed on (and may be reused).
      current = take()
      let rest = filled - result.end
      current.reserve(rest)
      current.free.baseAddress!.copyMemory(from: done.base + result.end, byteCount: rest)
      current.count = rest
      try body(done, firstRow, offset)
      firstRow += result.records
      offset += Int64(result.end)
    }
    if dialect.encoding == .utf8 {
      let input = try FileInput(path: path)
      defer { input.close() }
      var skip = dialect.bomLength + dialect.skippedBytes
      var size = Self.firstChunkSize
      while true {
        current.reserve(size)
        let n = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: current.free[..<size]))
        if n == 0 { break }
        size = Self.chunkSize
        if skip > 0 {
          // The byte-order mark and the `sep=` line, at the very start.
          let dropped = min(skip, n)
          skip -= dropped
          let start = current.count
          (current.base + start).copyMemory(from: current.base + start + dropped, byteCount: n - dropped)
          current.count += n - dropped
        } else {
          current.count += n
        }
        try handOn()
      }
    } else {
      try readDecoded { chunk in
        current.reserve(chunk.count)
        current.free.baseAddress!.copyMemory(from: chunk.baseAddress!, byteCount: chunk.count)
        current.count += chunk.count
        try handOn()
      }
    }
    if current.count > 0 {
      let result = boundary.scan(current.bytes)
      if let before = result.openQuoteRecords {
        throw ReaderError(
          code: "csv.unterminated_quote", file: fileName, row: firstRow + before,
          message:
            "a quoted value starts here but its closing quote (\") is missing; add the closing quote "
            + "or remove the opening one")
      }
      try body(current, firstRow, offset)
    }
  }

  /// Reads the file, decodes UTF-16 to UTF-8, removes the byte-order mark and the `sep=` line, and
  /// hands the bytes to `body` chunk by chunk.
  func readDecoded(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    let input = try FileInput(path: path)
    defer { input.close() }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    var skipRaw = dialect.bomLength
    var skipText = dialect.skippedBytes
    switch dialect.encoding {
    case .utf8:
      skipRaw += skipText
      while true {
        let n = try input.read(into: buffer)
        if n == 0 { break }
        var start = 0
        if skipRaw > 0 {
          start = min(skipRaw, n)
          skipRaw -= start
        }
        if start < n { try body(UnsafeRawBufferPointer(rebasing: buffer[start..<n])) }
      }
    case .utf16LE, .utf16BE:
      var transcoder = UTF16Transcoder(bigEndian: dialect.encoding == .utf16BE)
      var out: [UInt8] = []
      out.reserveCapacity(Self.chunkSize * 3 / 2)
      func emit(_ out: inout [UInt8]) throws {
        var start = 0
        if skipText > 0 {
          start = min(skipText, out.count)
          skipText -= start
        }
        if start < out.count {
          try out.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        }
        out.removeAll(keepingCapacity: true)
      }
      while true {
        let n = try input.read(into: buffer)
        if n == 0 { break }
        var start = 0
        if skipRaw > 0 {
          start = min(skipRaw, n)
          skipRaw -= start
        }
        transcoder.transcode(UnsafeRawBufferPointer(rebasing: buffer[start..<n]), into: &out)
        try emit(&out)
      }
      transcoder.finish(into: &out)
      try emit(&out)
    }
  }
}
