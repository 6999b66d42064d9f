import AllotCore

/// The CSV parsing core: a resumable state machine over chunks of bytes (RFC 4180, lenient as Excel is).
///
/// Feed it consecutive chunks of the decoded byte stream with `consume(_:_:)` (a chunk may end anywhere,
/// even inside a quoted value), then call `finish(_:)` once at the end of the input. Rows that hold at
/// least one value are handed to `body` with their row number; blank records are skipped but still
/// counted, so row numbers are the rows a spreadsheet app shows.
///
/// Rules: a field that starts with `"` is quoted (`""` inside it is one quote; delimiters, CR and LF
/// inside it are text); text after the closing quote is appended as is; a quote inside an unquoted
/// field is text. LF, CR and CRLF end a record. Trailing empty cells are dropped. Cells keep their exact
/// text; empty cells are `Cell.empty`.
///
/// Text is decoded as UTF-8; the first cell that is not valid UTF-8 switches the scanner to
/// Windows-1252 for the rest of the input (with a `csv.windows1252` warning) when no valid non-ASCII
/// UTF-8 was met before; otherwise (a file mixing both) each invalid cell alone is read as
/// Windows-1252. Input containing NUL bytes is rejected as binary.
///
/// To parse a file on several threads, split it with `CSVReader.readChunks` and give each chunk its
/// own scanner starting at that chunk's first row.
///
/// `consumeRecords(_:_:)` and `finishRecords(_:)` do the same but hand each row over as bytes
/// (`CSVRecord`), without a `String` per cell; use one of the two forms for a whole input. In that form a
/// record that lies wholly in the chunk and needs none of the state machine's cases (no doubled quote,
/// no text after a closing quote, ASCII, at most 64 cells) is cut out in one pass (`fastRecord`); the
/// state machine takes the others, and `CSVRecordTests.fastRecordsAreTheStateMachines` holds the two to
/// the same rows, warnings and errors.
public struct CSVRecordScanner: Sendable {
  public enum Decoding: Sendable, Hashable { case utf8, windows1252 }

  public let delimiter: UInt8
  public let limits: ReaderLimits
  /// The file name used in errors and warnings.
  public let fileName: String
  /// Row number of the record being parsed (1-based).
  public private(set) var rowNumber: Int
  /// Offset in the input of the next byte to consume, used in messages.
  public var byteOffset: Int64
  /// Current decoding of non-ASCII text.
  public private(set) var decoding: Decoding
  /// Warnings met so far (each code at most once).
  public private(set) var warnings: [ReaderWarning] = []
  /// True once a valid non-ASCII UTF-8 cell was decoded.
  public private(set) var sawNonASCIIUTF8 = false

  enum State: Sendable { case fieldStart, unquoted, quoted, quoteInQuoted, afterCR }

  private var state: State = .fieldStart
  private var cells: [Cell] = []
  private var lastNonEmpty = -1
  private var pending: [UInt8] = []
  /// Byte form: the current record's cells, in the chunk or in `side`.
  private var byteMode = false
  private var spans: [Span] = []
  private var side: [UInt8] = []
  /// False when the last `decode` did not keep the bytes as they are (Windows-1252).
  private var lastDecodeExact = true
  private var quoteRow = 0
  private var mixed = false
  private var chunkIsASCII = false
  /// Records left to the state machine before `fastRecord` is tried again (after it declined one).
  private var fastSkip = 0
  /// The most cells of a record `fastRecord` takes (a longer one goes through the state machine).
  static let fastCells = 64

  public init(
    delimiter: UInt8 = UInt8(ascii: ","), firstRow: Int = 1, decoding: Decoding = .utf8,
    limits: ReaderLimits = .default, fileName: String, byteOffset: Int64 = 0
  ) {
    let d = CSVDelimiters.isUsable(delimiter) ? delimiter : UInt8(ascii: ",")
    self.delimiter = d
    self.rowNumber = firstRow
    self.decoding = decoding
    self.limits = limits
    self.fileName = fileName
    self.byteOffset = byteOffset
    cells.reserveCapacity(32)
  }

  /// Parses `chunk`, calling `body` for each complete row that holds a value.
  public mutating func consume(_ chunk: UnsafeRawBufferPointer, _ body: (SheetRow) throws -> Void)
    throws
  {
    byteMode = false
    try scan(chunk, body, { _ in })
  }

  /// Parses `chunk` like `consume(_:_:)`, handing each row over as bytes (valid during the call only).
  public mutating func consumeRecords(
    _ chunk: UnsafeRawBufferPointer, _ body: (CSVRecord) throws -> Void
  ) throws {
    byteMode = true
    try scan(chunk, { _ in }, body)
  }

  /// Ends the input like `finish(_:)`, handing the last row over as bytes.
  public mutating func finishRecords(_ body: (CSVRecord) throws -> Void) throws {
    byteMode = true
    try finish({ _ in }, body)
  }

  private mutating func scan(
    _ chunk: UnsafeRawBufferPointer, _ rows: (SheetRow) throws -> Void,
    _ records: (CSVRecord) throws -> Void
  ) throws {
    let n = chunk.count
    guard n > 0, let raw = chunk.baseAddress else { return }
    let base = raw.assumingMemoryBound(to: UInt8.self)
    chunkIsASCII = TextDecoding.isASCII(UnsafeBufferPointer(start: base, count: n))
    var finder = FieldFinder(base: base, count: n, delimiter: delimiter)
    try withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: Self.fastCells) {
      cells in
      try scan(base, n, &finder, cells, rows, records)
    }
  }

  private mutating func scan(
    _ base: UnsafePointer<UInt8>, _ n: Int, _ finder: inout FieldFinder,
    _ fastCells: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>,
    _ rows: (SheetRow) throws -> Void, _ records: (CSVRecord) throws -> Void
  ) throws {
    let delim = delimiter
    @inline(__always) func next(from: Int, quoted: Bool) -> Int { finder.next(from: from, quoted: quoted) }
    let fast = byteMode
    let fastCapacity = min(fastCells.count, limits.maxCellsPerRow)
    var i = 0
    var segStart = 0
    var quoteAt = 0
    while i < n {
      switch state {
      case .afterCR:
        state = .fieldStart
        if base[i] == 10 { i += 1 }
      case .fieldStart:
        if fast && fastSkip == 0 && spans.isEmpty && pending.isEmpty {
          if let end = try fastRecord(
            at: i, base, n, &finder, fastCells.baseAddress!, fastCapacity, records)
          {
            i = end
            continue
          }
          // Left to the state machine, with the next few records.
          fastSkip = 8
        }
        if base[i] == 34 {
          state = .quoted
          quoteRow = rowNumber
          i += 1
          segStart = i
          continue
        }
        state = .unquoted
        segStart = i
        fallthrough
      case .unquoted:
        let j = next(from: i, quoted: false)
        if j == n {
          try appendPending(base + segStart, n - segStart)
          i = n
          break
        }
        let b = base[j]
        if b == 0 { throw binaryError(at: byteOffset + Int64(j)) }
        try endField(base + segStart, j - segStart)
        i = j + 1
        if b == delim {
          state = .fieldStart
        } else {
          try endRecord(rows, records)
          state = b == 13 ? .afterCR : .fieldStart
        }
      case .quoted:
        let j = next(from: i, quoted: true)
        if j == n {
          try appendPending(base + segStart, n - segStart)
          i = n
          break
        }
        if base[j] == 0 { throw binaryError(at: byteOffset + Int64(j)) }
        quoteAt = j
        state = .quoteInQuoted
        i = j + 1
      case .quoteInQuoted:
        let b = base[i]
        if b == 34 {
          try appendPending(base + segStart, quoteAt - segStart)
          try appendPending(base + i, 1)
          i += 1
          segStart = i
          state = .quoted
        } else if b == delim || b == 10 || b == 13 {
          try endField(base + segStart, quoteAt - segStart)
          i += 1
          if b == delim {
            state = .fieldStart
          } else {
            try endRecord(rows, records)
            state = b == 13 ? .afterCR : .fieldStart
          }
        } else if b == 0 {
          throw binaryError(at: byteOffset + Int64(i))
        } else {
          // Text after the closing quote: kept as is, like Excel.
          try appendPending(base + segStart, quoteAt - segStart)
          segStart = i
          state = .unquoted
        }
      }
    }
    if state == .quoteInQuoted && quoteAt == n - 1 {
      // The chunk ended right after a quote: keep the text before it; the next chunk decides.
      try appendPending(base + segStart, quoteAt - segStart)
    }
    if byteMode { keepOpenRecord() }
    byteOffset += Int64(n)
  }

  /// Finds the ends of fields 64 bytes at a time: the masks of a block (`ByteScan.csvMasks`) are
  /// computed once for the several fields it holds, and the next end is the lowest bit at or above the
  /// position.
  struct FieldFinder {
    let base: UnsafePointer<UInt8>
    let count: Int
    let delimiter: UInt8
    private var blockAt = -64
    private var masks = ByteScan.CSVMasks(ends: 0, quotes: 0)

    init(base: UnsafePointer<UInt8>, count: Int, delimiter: UInt8) {
      self.base = base
      self.count = count
      self.delimiter = delimiter
    }

    /// The index of the next byte from `from` that ends an unquoted field (delimiter, LF, CR, NUL) or,
    /// when `quoted`, the text of a quoted one (`"`, NUL); `count` when the chunk has none.
    @inline(__always)
    mutating func next(from: Int, quoted: Bool) -> Int {
      var j = from
      while j < count {
        // Also when `j` is before the block (the scan went back to a record's start).
        if UInt(bitPattern: j &- blockAt) >= 64 {
          masks = ByteScan.csvMasks(base, at: j, count: count, delimiter: delimiter)
          blockAt = j
        }
        let m = (quoted ? masks.quotes : masks.ends) >> UInt64(j - blockAt)
        if m != 0 { return j + m.trailingZeroBitCount }
        j = blockAt + 64
      }
      return count
    }
  }

  /// The common record, cut out in one pass: when the record that starts at `start` ends in this chunk,
  /// is ASCII, has at most `capacity` cells within the size limit, and each cell is unquoted or quoted
  /// without a doubled quote or text after the closing quote, hands it to `body` (as the state machine
  /// would) and returns where the next record starts. Otherwise consumes nothing and returns nil.
  @inline(__always)
  private mutating func fastRecord(
    at start: Int, _ base: UnsafePointer<UInt8>, _ n: Int, _ finder: inout FieldFinder,
    _ cells: UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>, _ capacity: Int,
    _ body: (CSVRecord) throws -> Void
  ) throws -> Int? {
    let delim = delimiter
    let maxBytes = limits.maxCellBytes
    var p = start
    var k = 0
    var last = -1
    while p < n && k < capacity {
      let from: Int
      let to: Int
      let end: Int
      if base[p] == 34 {
        let q = finder.next(from: p + 1, quoted: true)
        guard q + 1 < n, base[q] == 34 else { return nil }
        let b = base[q + 1]
        guard b == delim || b == 10 || b == 13 else { return nil }
        from = p + 1
        to = q
        end = q + 1
      } else {
        let j = finder.next(from: p, quoted: false)
        guard j < n, base[j] != 0 else { return nil }
        from = p
        to = j
        end = j
      }
      let c = to - from
      guard c <= maxBytes else { return nil }
      cells[k] =
        c == 0 ? UnsafeBufferPointer(start: nil, count: 0) : UnsafeBufferPointer(start: base + from, count: c)
      if c > 0 { last = k }
      k += 1
      p = end + 1
      let b = base[end]
      if b == delim { continue }
      // LF or CR: the record ends.
      if !chunkIsASCII && !TextDecoding.isASCII(UnsafeBufferPointer(start: base + start, count: end - start))
      {
        return nil
      }
      if last >= 0 {
        try body(
          CSVRecord(
            row: ByteRow(rowNumber: rowNumber, cells: UnsafeBufferPointer(start: cells, count: last + 1)),
            bytesAreText: true, decoded: nil))
      }
      rowNumber += 1
      if b == 13 {
        if p == n {
          state = .afterCR
        } else if base[p] == 10 {
          p += 1
        }
      }
      return p
    }
    return nil
  }

  /// Ends the input: emits the last record, or throws `csv.unterminated_quote` when a quoted value is
  /// still open.
  public mutating func finish(_ body: (SheetRow) throws -> Void) throws {
    byteMode = false
    try finish(body, { _ in })
  }

  private mutating func finish(
    _ rows: (SheetRow) throws -> Void, _ records: (CSVRecord) throws -> Void
  ) throws {
    switch state {
    case .fieldStart:
      if fieldCount > 0 {
        try endField(nil, 0)
        try endRecord(rows, records)
      }
    case .afterCR:
      break
    case .unquoted, .quoteInQuoted:
      try endField(nil, 0)
      try endRecord(rows, records)
    case .quoted:
      throw ReaderError(
        code: "csv.unterminated_quote", file: fileName, row: quoteRow,
        column: ColumnName.letters(fieldCount),
        message:
          "a quoted value starts here but its closing quote (\") is missing; add the closing quote "
          + "or remove the opening one")
    }
    state = .afterCR
  }

  // MARK: - Fields and records

  @inline(__always)
  private mutating func appendPending(_ p: UnsafePointer<UInt8>, _ count: Int) throws(ReaderError) {
    guard count > 0 else { return }
    if pending.count + count > limits.maxCellBytes { throw cellTooLarge() }
    pending.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
  }

  /// Cells of the current record so far.
  private var fieldCount: Int { byteMode ? spans.count : cells.count }

  @inline(__always)
  private mutating func endField(_ p: UnsafePointer<UInt8>?, _ count: Int) throws(ReaderError) {
    if byteMode { return try endSpan(p, count) }
    if cells.count >= limits.maxCellsPerRow { throw tooManyCells() }
    if pending.isEmpty {
      guard count > 0, let p else {
        cells.append(.empty)
        return
      }
      if count > limits.maxCellBytes { throw cellTooLarge() }
      let text = decode(UnsafeBufferPointer(start: p, count: count))
      cells.append(Cell(kind: .text, text: text))
    } else {
      if let p { try appendPending(p, count) }
      var bytes: [UInt8] = []
      swap(&bytes, &pending)
      // Bytes gathered over several chunks: check them whole.
      let fast = chunkIsASCII
      chunkIsASCII = false
      let text = bytes.withUnsafeBufferPointer { decode($0) }
      chunkIsASCII = fast
      if bytes.capacity <= 1 << 16 {
        bytes.removeAll(keepingCapacity: true)
        swap(&bytes, &pending)
      }
      cells.append(Cell(kind: .text, text: text))
    }
    lastNonEmpty = cells.count - 1
  }

  @inline(__always)
  private mutating func endRecord(
    _ body: (SheetRow) throws -> Void, _ records: (CSVRecord) throws -> Void
  ) throws {
    if byteMode { return try endByteRecord(records) }
    if lastNonEmpty >= 0 {
      if cells.count > lastNonEmpty + 1 { cells.removeSubrange((lastNonEmpty + 1)...) }
      do {
        let row = SheetRow(rowNumber: rowNumber, cells: cells)
        try body(row)
      }
      cells.removeAll(keepingCapacity: true)
    } else {
      cells.removeAll(keepingCapacity: true)
    }
    lastNonEmpty = -1
    rowNumber += 1
  }

  // MARK: - Byte form

  /// A cell of the current record: `count` bytes at address `start` in the chunk being parsed, or at
  /// `offset` in `side` when `start` is 0.
  struct Span: Sendable {
    var start: UInt
    var offset: Int
    var count: Int
  }

  @inline(__always)
  private mutating func endSpan(_ p: UnsafePointer<UInt8>?, _ count: Int) throws(ReaderError) {
    if spans.count >= limits.maxCellsPerRow { throw tooManyCells() }
    if pending.isEmpty {
      guard count > 0, let p else {
        spans.append(Span(start: 0, offset: 0, count: 0))
        return
      }
      if count > limits.maxCellBytes { throw cellTooLarge() }
      spans.append(Span(start: UInt(bitPattern: p), offset: 0, count: count))
    } else {
      if let p { try appendPending(p, count) }
      spans.append(Span(start: 0, offset: side.count, count: pending.count))
      side.append(contentsOf: pending)
      if pending.capacity <= 1 << 16 {
        pending.removeAll(keepingCapacity: true)
      } else {
        pending = []
      }
    }
    lastNonEmpty = spans.count - 1
  }

  /// At the end of a chunk, copies the cells of the record still open out of the chunk.
  private mutating func keepOpenRecord() {
    for i in spans.indices {
      guard let start = UnsafePointer<UInt8>(bitPattern: spans[i].start) else { continue }
      let count = spans[i].count
      spans[i] = Span(start: 0, offset: side.count, count: count)
      side.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
    }
  }

  private mutating func endByteRecord(_ body: (CSVRecord) throws -> Void) throws {
    if fastSkip > 0 { fastSkip -= 1 }
    defer {
      spans.removeAll(keepingCapacity: true)
      if side.capacity <= 1 << 16 {
        side.removeAll(keepingCapacity: true)
      } else {
        side = []
      }
      lastNonEmpty = -1
      rowNumber += 1
    }
    guard lastNonEmpty >= 0 else { return }
    let count = lastNonEmpty + 1
    // Cells from another chunk, or a chunk with non-ASCII bytes: decode them as `consume` does, in
    // order (the decoding may switch to Windows-1252 on the way).
    var decoded: [Cell]? = nil
    var exact = true
    if !chunkIsASCII || !side.isEmpty {
      let ascii = side.withUnsafeBufferPointer { sideBytes in
        spans[..<count].allSatisfy { TextDecoding.isASCII(Self.bytes(of: $0, side: sideBytes)) }
      }
      if !ascii {
        let copies = side.withUnsafeBufferPointer { sideBytes in
          spans[..<count].map { Array(Self.bytes(of: $0, side: sideBytes)) }
        }
        let fast = chunkIsASCII
        chunkIsASCII = false
        lastDecodeExact = true
        var cells: [Cell] = []
        cells.reserveCapacity(count)
        for bytes in copies {
          cells.append(
            bytes.isEmpty ? .empty : Cell(kind: .text, text: bytes.withUnsafeBufferPointer { decode($0) }))
        }
        exact = lastDecodeExact
        chunkIsASCII = fast
        decoded = cells
      }
    }
    let row = rowNumber
    try side.withUnsafeBufferPointer { sideBytes in
      try withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: count) { cells in
        for (i, span) in spans[..<count].enumerated() {
          cells.initializeElement(at: i, to: Self.bytes(of: span, side: sideBytes))
        }
        try body(
          CSVRecord(
            row: ByteRow(rowNumber: row, cells: UnsafeBufferPointer(cells)), bytesAreText: exact,
            decoded: decoded))
      }
    }
  }

  @inline(__always)
  private static func bytes(of span: Span, side: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    if let start = UnsafePointer<UInt8>(bitPattern: span.start) {
      return UnsafeBufferPointer(start: start, count: span.count)
    }
    if span.count == 0 { return UnsafeBufferPointer(start: nil, count: 0) }
    return UnsafeBufferPointer(rebasing: side[span.offset..<(span.offset + span.count)])
  }

  @inline(__always)
  private mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    if chunkIsASCII || TextDecoding.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
    if decoding == .windows1252 {
      lastDecodeExact = false
      return TextDecoding.windows1252(bytes)
    }
    if let s = String(validating: bytes, as: UTF8.self) {
      sawNonASCIIUTF8 = true
      return s
    }
    lastDecodeExact = false
    if !sawNonASCIIUTF8 {
      decoding = .windows1252
      warnings.append(
        ReaderWarning(
          code: "csv.windows1252",
          message:
            "\(fileName) is not valid UTF-8 text; it was read as Windows-1252 (check accented "
            + "letters; saving it as \"CSV UTF-8\" avoids this)"))
    } else if !mixed {
      mixed = true
      warnings.append(
        ReaderWarning(
          code: "csv.windows1252",
          message:
            "\(fileName) mixes UTF-8 and other text; cells that are not valid UTF-8 (first in row "
            + "\(rowNumber)) were read as Windows-1252; check accented letters"))
    }
    return TextDecoding.windows1252(bytes)
  }

  // MARK: - Errors

  private func cellTooLarge() -> ReaderError {
    var message = "a cell is \(limits.cellSizeHint)"
    if state == .quoted || state == .quoteInQuoted {
      message += " (a quote that opens here and is never closed would also cause this)"
    }
    return ReaderError(
      code: "cell.too_large", file: fileName, row: state == .quoted ? quoteRow : rowNumber,
      column: ColumnName.letters(fieldCount), message: message)
  }

  private func tooManyCells() -> ReaderError {
    ReaderError(
      code: "row.too_many_cells", file: fileName, row: rowNumber,
      message:
        "the row has more cells than allot reads, \(limits.cellsPerRowHint) (a wrong delimiter also "
        + "causes this)")
  }

  private func binaryError(at offset: Int64) -> ReaderError {
    ReaderError(
      code: "csv.binary", file: fileName,
      message:
        "\(fileName) contains binary data (NUL bytes at byte \(offset)); it is not a text CSV file")
  }
}

/// A row handed over by `CSVRecordScanner.consumeRecords`: its cells as bytes, valid during the call.
public struct CSVRecord {
  /// The row number and the bytes of each cell (trailing empty cells dropped).
  public let row: ByteRow
  /// True when the bytes are the cells' text as UTF-8 exactly (false when a cell was read as
  /// Windows-1252: only `sheetRow()` then has the text).
  public let bytesAreText: Bool
  let decoded: [Cell]?

  /// The row as `consume(_:_:)` hands it over.
  public func sheetRow() -> SheetRow {
    if let decoded { return SheetRow(rowNumber: row.rowNumber, cells: decoded) }
    // Only ASCII bytes here: decoded as `consume` decodes them.
    var cells: [Cell] = []
    cells.reserveCapacity(row.cells.count)
    for bytes in row.cells {
      cells.append(bytes.isEmpty ? .empty : Cell(kind: .text, text: String(decoding: bytes, as: UTF8.self)))
    }
    return SheetRow(rowNumber: row.rowNumber, cells: cells)
  }
}

/// The delimiters the scanner accepts: any ASCII byte but the quote, the line breaks and NUL.
enum CSVDelimiters {
  static func isUsable(_ d: UInt8) -> Bool {
    d != 34 && d != 10 && d != 13 && d != 0 && d < 0x80
  }
}
