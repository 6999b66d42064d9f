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
  private var quoteRow = 0
  private var mixed = false
  private var chunkIsASCII = false
  private let table: CSVByteTable

  public init(
    delimiter: UInt8 = UInt8(ascii: ","), firstRow: Int = 1, decoding: Decoding = .utf8,
    limits: ReaderLimits = .default, fileName: String, byteOffset: Int64 = 0
  ) {
    let d = CSVByteTable.isUsableDelimiter(delimiter) ? delimiter : UInt8(ascii: ",")
    self.delimiter = d
    self.rowNumber = firstRow
    self.decoding = decoding
    self.limits = limits
    self.fileName = fileName
    self.byteOffset = byteOffset
    self.table = CSVByteTable.shared(for: d)
    cells.reserveCapacity(32)
  }

  /// Parses `chunk`, calling `body` for each complete row that holds a value.
  public mutating func consume(_ chunk: UnsafeRawBufferPointer, _ body: (SheetRow) throws -> Void)
    throws
  {
    let n = chunk.count
    guard n > 0, let raw = chunk.baseAddress else { return }
    let base = raw.assumingMemoryBound(to: UInt8.self)
    let classes = table.classes
    let delim = delimiter
    let delimWord = SWAR.ones &* UInt64(delim)
    chunkIsASCII = TextDecoding.isASCII(UnsafeBufferPointer(start: base, count: n))
    var i = 0
    var segStart = 0
    var quoteAt = 0
    while i < n {
      switch state {
      case .afterCR:
        state = .fieldStart
        if base[i] == 10 { i += 1 }
      case .fieldStart:
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
        var j = i
        while j + 8 <= n {
          let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
          let m =
            SWAR.zeroBytes(w ^ delimWord) | SWAR.zeroBytes(w ^ SWAR.lf) | SWAR.zeroBytes(w ^ SWAR.cr)
            | SWAR.zeroBytes(w)
          if m != 0 {
            j += m.trailingZeroBitCount >> 3
            break
          }
          j += 8
        }
        if j + 8 > n {
          while j < n && classes[Int(base[j])] & 1 == 0 { j += 1 }
        }
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
          try endRecord(body)
          state = b == 13 ? .afterCR : .fieldStart
        }
      case .quoted:
        var j = i
        while j + 8 <= n {
          let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
          let m = SWAR.zeroBytes(w ^ SWAR.quote) | SWAR.zeroBytes(w)
          if m != 0 {
            j += m.trailingZeroBitCount >> 3
            break
          }
          j += 8
        }
        if j + 8 > n {
          while j < n && classes[Int(base[j])] & 2 == 0 { j += 1 }
        }
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
            try endRecord(body)
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
    byteOffset += Int64(n)
  }

  /// Ends the input: emits the last record, or throws `csv.unterminated_quote` when a quoted value is
  /// still open.
  public mutating func finish(_ body: (SheetRow) throws -> Void) throws {
    switch state {
    case .fieldStart:
      if !cells.isEmpty {
        try endField(nil, 0)
        try endRecord(body)
      }
    case .afterCR:
      break
    case .unquoted, .quoteInQuoted:
      try endField(nil, 0)
      try endRecord(body)
    case .quoted:
      throw ReaderError(
        code: "csv.unterminated_quote", file: fileName, row: quoteRow,
        column: ColumnName.letters(cells.count),
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

  @inline(__always)
  private mutating func endField(_ p: UnsafePointer<UInt8>?, _ count: Int) throws(ReaderError) {
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
  private mutating func endRecord(_ body: (SheetRow) throws -> Void) throws {
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

  @inline(__always)
  private mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    if chunkIsASCII || TextDecoding.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
    if decoding == .windows1252 { return TextDecoding.windows1252(bytes) }
    if let s = String(validating: bytes, as: UTF8.self) {
      sawNonASCIIUTF8 = true
      return s
    }
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
      column: ColumnName.letters(cells.count), message: message)
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

/// Byte classes for the scanner: bit 1 = ends an unquoted field (delimiter, LF, CR, NUL), bit 2 = ends
/// a quoted run (quote, NUL).
final class CSVByteTable: @unchecked Sendable {
  let classes: UnsafeMutablePointer<UInt8>

  private init(delimiter: UInt8) {
    classes = .allocate(capacity: 256)
    classes.initialize(repeating: 0, count: 256)
    for b in [delimiter, 10, 13, 0] { classes[Int(b)] |= 1 }
    for b in [34, 0] as [UInt8] { classes[Int(b)] |= 2 }
  }

  deinit { classes.deallocate() }

  static func isUsableDelimiter(_ d: UInt8) -> Bool {
    d != 34 && d != 10 && d != 13 && d != 0 && d < 0x80
  }

  private static let comma = CSVByteTable(delimiter: UInt8(ascii: ","))
  private static let semicolon = CSVByteTable(delimiter: UInt8(ascii: ";"))
  private static let tab = CSVByteTable(delimiter: 9)

  static func shared(for delimiter: UInt8) -> CSVByteTable {
    switch delimiter {
    case UInt8(ascii: ","): return comma
    case UInt8(ascii: ";"): return semicolon
    case 9: return tab
    default: return CSVByteTable(delimiter: delimiter)
    }
  }
}

/// Word-at-a-time byte search helpers.
enum SWAR {
  static let ones: UInt64 = 0x0101_0101_0101_0101
  static let highs: UInt64 = 0x8080_8080_8080_8080
  static let lf: UInt64 = ones &* 10
  static let cr: UInt64 = ones &* 13
  static let quote: UInt64 = ones &* 34

  /// High bit set in the lowest zero byte of `v` (bytes above it may be flagged falsely; use the
  /// lowest set bit only).
  @inline(__always)
  static func zeroBytes(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
}
