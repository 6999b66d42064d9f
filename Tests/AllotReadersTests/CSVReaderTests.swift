import AllotCore
import AllotReaders
import AllotTestSupport
import Foundation
import Testing

/// Writes `bytes` to a fresh temporary file and returns its path.
func csvTempFile(_ bytes: [UInt8], name: String = "sheet.csv") -> String {
  let dir = TestScratch.directory("csv")
  let path = dir.appendingPathComponent(name).path
  _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
  return path
}

func csvTempFile(_ text: String, name: String = "sheet.csv") -> String {
  csvTempFile(Array(text.utf8), name: name)
}

/// Rows as (row number, cell texts).
func csvRead(_ path: String, limits: ReaderLimits = .default, delimiter: UInt8? = nil) throws
  -> (rows: [(Int, [String])], warnings: [ReaderWarning])
{
  let reader = try CSVReader(path: path, limits: limits, delimiter: delimiter)
  var rows: [(Int, [String])] = []
  let warnings = try reader.readRows(of: try reader.sheets()[0]) { row in
    rows.append((row.rowNumber, row.cells.map(\.text)))
  }
  return (rows, warnings)
}

func csvError(_ body: () throws -> Void) -> ReaderError? {
  do {
    try body()
    return nil
  } catch let error as ReaderError {
    return error
  } catch {
    return nil
  }
}

struct CSVReaderTests {
  @Test func simpleRowsAndSheetName() throws {
    let path = csvTempFile("a,b,c\n1,2,3\n", name: "grants.csv")
    let reader = try CSVReader(path: path)
    #expect(try reader.sheets() == [SheetInfo(name: "grants")])
    #expect(reader.format == .csv)
    let (rows, warnings) = try csvRead(path)
    #expect(rows.map(\.0) == [1, 2])
    #expect(rows.map(\.1) == [["a", "b", "c"], ["1", "2", "3"]])
    #expect(warnings.isEmpty)
  }

  @Test func quotedFieldsDoubledQuotesAndNewlinesInside() throws {
    let text =
      "name,note\r\n\"Doe, Jane\",\"She said \"\"hi\"\"\"\r\n\"multi\r\nline\",\"lf\nonly\"\r\nx,\"cr\ronly\"\r\n"
    let (rows, _) = try csvRead(csvTempFile(text))
    #expect(
      rows.map(\.1) == [
        ["name", "note"], ["Doe, Jane", "She said \"hi\""], ["multi\r\nline", "lf\nonly"], ["x", "cr\ronly"],
      ])
    // A record spanning two lines is one row, as in Excel.
    #expect(rows.map(\.0) == [1, 2, 3, 4])
  }

  @Test func lineEndsLFCRAndCRLF() throws {
    let (rows, _) = try csvRead(csvTempFile("a,b\r1,2\r\n3,4\n5,6"))
    #expect(rows.map(\.1) == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
    #expect(rows.map(\.0) == [1, 2, 3, 4])
  }

  @Test func exactTextAndEmptyCells() throws {
    let path = csvTempFile(" a , b ,\"\",x\n")
    let reader = try CSVReader(path: path)
    var cells: [Cell] = []
    try reader.readRows(of: try reader.sheets()[0]) { cells = $0.cells }
    #expect(cells == [.text(" a "), .text(" b "), .empty, .text("x")])
  }

  @Test func lenientQuotes() throws {
    // A quote inside an unquoted field is text; text after a closing quote is kept, as Excel does.
    let (rows, _) = try csvRead(csvTempFile("ab\"c,\"q\"rest,\"\"\n"))
    #expect(rows.map(\.1) == [["ab\"c", "qrest"]])
  }

  @Test func blankRowsSkippedButCounted() throws {
    let (rows, _) = try csvRead(csvTempFile("h1,h2\n\n1,2\n,,\n\r\n3,4\n\n\n"))
    #expect(rows.map(\.0) == [1, 3, 6])
    #expect(rows.map(\.1) == [["h1", "h2"], ["1", "2"], ["3", "4"]])
  }

  @Test func trailingEmptyColumnsTrimmed() throws {
    let (rows, _) = try csvRead(csvTempFile("a,b,,,\n1,,,,\n"))
    #expect(rows.map(\.1) == [["a", "b"], ["1"]])
  }

  @Test func utf8BOMStripped() throws {
    let (rows, _) = try csvRead(csvTempFile([0xEF, 0xBB, 0xBF] + Array("id,name\n1,é\n".utf8)))
    #expect(rows.map(\.1) == [["id", "name"], ["1", "é"]])
  }

  @Test(arguments: [false, true]) func utf16WithBOM(bigEndian: Bool) throws {
    let text = "amount;name\r\n10;Zoë 😀\r\n"
    var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
    for unit in text.utf16 {
      let hi = UInt8(unit >> 8)
      let lo = UInt8(unit & 0xFF)
      bytes += bigEndian ? [hi, lo] : [lo, hi]
    }
    let path = csvTempFile(bytes)
    let reader = try CSVReader(path: path)
    #expect(reader.dialect.encoding == (bigEndian ? .utf16BE : .utf16LE))
    let (rows, warnings) = try csvRead(path)
    #expect(rows.map(\.1) == [["amount", "name"], ["10", "Zoë 😀"]])
    #expect(warnings.isEmpty)
  }

  @Test func invalidUTF8ReadAsWindows1252WithWarning() throws {
    // "Müller" and "€5" in Windows-1252.
    let bytes = Array("name,amount\n".utf8) + [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x2C, 0x80, 0x35, 0x0A]
    let path = csvTempFile(bytes, name: "export.csv")
    let (rows, warnings) = try csvRead(path)
    #expect(rows.map(\.1) == [["name", "amount"], ["Müller", "€5"]])
    #expect(warnings.count == 1)
    #expect(warnings.first?.code == "csv.windows1252")
    #expect(warnings.first?.message.contains("export.csv") == true)
  }

  @Test func windows1252DecidedLateInALargeFile() throws {
    // Two MiB of ASCII rows, then a Windows-1252 byte: the earlier rows are unaffected.
    var text = "id,name\n"
    for i in 0..<60_000 { text += "\(i),Name \(i) padding padding\n" }
    let bytes = Array(text.utf8) + [0x31, 0x2C, 0xE9, 0x0A]
    let (rows, warnings) = try csvRead(csvTempFile(bytes))
    #expect(rows.count == 60_002)
    #expect(rows.last?.1 == ["1", "é"])
    #expect(warnings.map(\.code) == ["csv.windows1252"])
  }

  @Test func delimiterDetection() throws {
    #expect(
      try CSVReader(path: csvTempFile("a;b;c\n1;2,5;3\n4;5;6\n")).dialect.delimiter == UInt8(ascii: ";"))
    #expect(try CSVReader(path: csvTempFile("a\tb\n1\t2\n")).dialect.delimiter == 9)
    #expect(try CSVReader(path: csvTempFile("a,b\n\"x;y\",2\n")).dialect.delimiter == UInt8(ascii: ","))
    #expect(try CSVReader(path: csvTempFile("single\nvalue\n")).dialect.delimiter == UInt8(ascii: ","))
    // Delimiters inside quotes do not count.
    let quoted = "\"a;b;c;d\",x\n\"e;f;g\",y\n"
    #expect(try CSVReader(path: csvTempFile(quoted)).dialect.delimiter == UInt8(ascii: ","))
    // The caller's choice wins.
    let (rows, _) = try csvRead(csvTempFile("a;b,c\n"), delimiter: UInt8(ascii: ","))
    #expect(rows.map(\.1) == [["a;b", "c"]])
  }

  @Test func excelSepLineHonouredAndNotCounted() throws {
    let path = csvTempFile("sep=;\r\namount;name\r\n1,5;Ann\r\n")
    let reader = try CSVReader(path: path)
    #expect(reader.dialect.hasSepLine)
    #expect(reader.dialect.delimiter == UInt8(ascii: ";"))
    let (rows, _) = try csvRead(path)
    // Excel hides the sep= line: the header is row 1.
    #expect(rows.map(\.0) == [1, 2])
    #expect(rows.map(\.1) == [["amount", "name"], ["1,5", "Ann"]])
  }

  @Test func unterminatedQuoteNamesTheRowWhereItBegan() throws {
    let path = csvTempFile("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n")
    let error = csvError { _ = try csvRead(path) }
    #expect(error?.code == "csv.unterminated_quote")
    #expect(error?.row == 3)
    #expect(error?.column == "B")
  }

  @Test func nulBytesAreBinary() throws {
    let error = csvError {
      _ = try CSVReader(path: csvTempFile([0x61, 0x2C, 0x00, 0x62, 0x0A], name: "bin.csv"))
    }
    #expect(error?.code == "csv.binary")
    #expect(error?.message == "bin.csv contains binary data (NUL bytes at byte 2); it is not a text CSV file")
    // Beyond the sniffed prefix, the scanner finds it.
    let late = Array(String(repeating: "a,b\n", count: 50_000).utf8) + [0x00]
    let lateError = csvError { _ = try csvRead(csvTempFile(late, name: "late.csv")) }
    #expect(lateError?.code == "csv.binary")
    #expect(lateError?.message.contains("byte 200000") == true)
  }

  @Test func binaryGarbageIsRefused() throws {
    var rng = SystemRandomNumberGenerator()
    let bytes = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let error = csvError { _ = try csvRead(csvTempFile(bytes)) }
    #expect(error?.code == "csv.binary")
  }

  @Test func cellTooLarge() throws {
    var limits = ReaderLimits()
    limits.maxCellBytes = 1000
    let path = csvTempFile("a,b\n1," + String(repeating: "x", count: 1001) + "\n")
    let error = csvError { _ = try csvRead(path, limits: limits) }
    #expect(error?.code == "cell.too_large")
    #expect(error?.row == 2)
    #expect(error?.column == "B")
    // Exactly at the limit is fine.
    let ok = csvTempFile("a\n" + String(repeating: "y", count: 1000) + "\n")
    #expect(try csvRead(ok, limits: limits).rows.count == 2)
  }

  @Test func tenMegabyteCellWithDefaultLimits() throws {
    let path = csvTempFile("a\n\"" + String(repeating: "z", count: 10 << 20) + "\"\n")
    let error = csvError { _ = try csvRead(path) }
    #expect(error?.code == "cell.too_large")
  }

  @Test func tooManyCells() throws {
    var limits = ReaderLimits()
    limits.maxCellsPerRow = 10
    let path = csvTempFile("a,b\n" + String(repeating: "1,", count: 10) + "1\n")
    let error = csvError { _ = try csvRead(path, limits: limits) }
    #expect(error?.code == "row.too_many_cells")
    #expect(error?.row == 2)
    let million = csvTempFile(String(repeating: ",", count: 1_000_000))
    #expect(csvError { _ = try csvRead(million) }?.code == "row.too_many_cells")
  }

  @Test func bodyErrorsPropagate() throws {
    struct Stop: Error {}
    let reader = try CSVReader(path: csvTempFile("a\nb\nc\n"))
    var seen = 0
    #expect(throws: Stop.self) {
      try reader.readRows(of: try reader.sheets()[0]) { _ in
        seen += 1
        if seen == 2 { throw Stop() }
      }
    }
    #expect(seen == 2)
  }

  @Test func missingFile() {
    #expect(csvError { _ = try CSVReader(path: "/nonexistent/x.csv") }?.code == "file.not_found")
    #expect(csvError { _ = try CSVReader(path: "/tmp") }?.code == "file.unreadable")
  }

  /// The scanner gives the same rows whatever the chunk boundaries.
  @Test func chunkBoundariesDoNotMatter() throws {
    let text =
      "h1,h2,h3\r\n\"a,\"\"b\"\"\",c\r\n\r\n\"multi\nline\",x,\"\"\rlast,\"q\"tail,\n"
      + "é,ü,\"😀\"\r\n\"end\""
    let bytes = Array(text.utf8)
    func parse(chunk: Int) throws -> [SheetRow] {
      var scanner = CSVRecordScanner(fileName: "t.csv")
      var rows: [SheetRow] = []
      var i = 0
      while i < bytes.count {
        let end = min(bytes.count, i + chunk)
        try bytes[i..<end].withUnsafeBytes { try scanner.consume($0) { rows.append($0) } }
        i = end
      }
      try scanner.finish { rows.append($0) }
      return rows
    }
    let whole = try parse(chunk: bytes.count)
    #expect(whole.map(\.rowNumber) == [1, 2, 4, 5, 6, 7])
    #expect(whole[2].cells.map(\.text) == ["multi\nline", "x"])
    #expect(whole[3].cells.map(\.text) == ["last", "qtail"])
    #expect(whole[5].cells.map(\.text) == ["end"])
    for chunk in 1...17 {
      #expect(try parse(chunk: chunk) == whole, "chunk size \(chunk)")
    }
  }

  /// Random texts of a few kilobytes (quoted and unquoted cells, doubled quotes, text after a closing
  /// quote, CR, LF and CRLF, in and out of quotes): the same rows (or error) whole as in chunks of any
  /// size.
  /// Chunks shorter than 64 bytes are searched byte by byte and longer ones in 64-byte blocks
  /// (`ByteScan.csvMasks`), so this compares the two, with fields across every block boundary.
  @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: ";"), 9])
  func blockSearchAndByteSearchReadAlike(delimiter: UInt8) throws {
    var random = SplitMix64(seed: UInt64(delimiter))
    let d = String(UnicodeScalar(delimiter))
    let pieces = [
      "a", "bc", "12.5", "\"", "\"\"", "\r", "\n", "\r\n", d, d, d, " ", "é", "\"q,\r\nx\"\"y\"", "\"z\"t",
    ]
    for round in 0..<12 {
      var text = ""
      while text.utf8.count < 2_000 + 300 * round { text += pieces.randomElement(using: &random)! }
      text += "\"\n"  // closes a quote left open
      let bytes = Array(text.utf8)
      /// The rows, or the error (an unterminated quote is one possible ending).
      func parse(chunk: Int) -> Result<[SheetRow], ReaderError> {
        var scanner = CSVRecordScanner(delimiter: delimiter, fileName: "t.csv")
        var rows: [SheetRow] = []
        var i = 0
        do {
          while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            try bytes[i..<end].withUnsafeBytes { try scanner.consume($0) { rows.append($0) } }
            i = end
          }
          try scanner.finish { rows.append($0) }
        } catch let error as ReaderError {
          return .failure(error)
        } catch {
          Issue.record("unexpected error \(error)")
        }
        return .success(rows)
      }
      let whole = parse(chunk: bytes.count)
      if case .success(let rows) = whole { #expect(rows.count > 10) }
      for chunk in [1, 2, 5, 13, 64, 65, 200] {
        let part = parse(chunk: chunk)
        #expect(
          "\(part)" == "\(whole)", "round \(round), chunk size \(chunk)")
      }
    }
  }

  /// `readChunks` cuts on record boundaries with the right first rows: parsing each chunk with its
  /// own scanner gives exactly what `readRows` gives.
  @Test func readChunksMatchesReadRows() throws {
    var text = "sep=,\nid,note\n"
    for i in 0..<100_000 {
      text += i % 7 == 0 ? "\(i),\"quoted, with\r\nnewline \"\"\(i)\"\"\"\r\n" : "\(i),plain \(i)\n"
      if i % 1000 == 0 { text += "\n" }
    }
    let reader = try CSVReader(path: csvTempFile(text))
    let sequential = try reader.allRows()
    let (chunked, chunks) = try rowsOfChunks(reader)
    #expect(chunks > 1)
    #expect(chunked.count == sequential.count)
    #expect(chunked == sequential)
  }

  /// The rows of every chunk `readChunks` gives, each parsed by a scanner of its own starting at the
  /// chunk's first row, and the number of chunks.
  func rowsOfChunks(_ reader: CSVReader) throws -> (rows: [SheetRow], chunks: Int) {
    var rows: [SheetRow] = []
    var chunks = 0
    try reader.readChunks { chunk, firstRow, _ in
      chunks += 1
      var scanner = CSVRecordScanner(delimiter: reader.dialect.delimiter, firstRow: firstRow, fileName: "x")
      try scanner.consume(chunk) { rows.append($0) }
      try scanner.finish { rows.append($0) }
    }
    return (rows, chunks)
  }

  /// Record boundaries are found past tabs and other control characters in unquoted cells.
  @Test func readChunksStepOverControlCharacters() throws {
    var text = "id,note\n"
    for i in 0..<120_000 {
      let pad = String(repeating: "x", count: i % 9)
      text += i % 3 == 0 ? "\(i),a\t\(pad)\u{01}b\u{1F}\n" : "\(i),\t\(pad)\t\r\n"
    }
    let reader = try CSVReader(path: csvTempFile(text))
    let sequential = try reader.allRows()
    #expect(sequential.count == 120_001)
    let (chunked, chunks) = try rowsOfChunks(reader)
    #expect(chunks > 1)
    #expect(chunked == sequential)
    #expect(sequential[1].cells.map(\.text) == ["0", "a\t\u{01}b\u{1F}"])
    #expect(sequential[2].cells.map(\.text) == ["1", "\tx\t"])
  }

  /// Chunks read straight into buffers that the caller keeps: every chunk kept to the end (nothing
  /// reused) or every one given back at once (each buffer read into again) gives the rows `readRows`
  /// gives, for UTF-8 with a byte-order mark and `sep=` line, for UTF-16, and for records longer than
  /// a read.
  @Test(arguments: ["utf8", "utf16", "long"])
  func ownedChunksMatchReadRows(kind: String) throws {
    var text = "sep=;\nid;note\n"
    for i in 0..<60_000 {
      text += i % 5 == 0 ? "\(i);\"semi; colon\r\nand \"\"quotes\"\"\"\r\n" : "\(i);plain é \(i)\n"
      if kind == "long" && i % 20_000 == 0 {
        // A record of three 700 KB cells: longer than a read (1 MiB), each cell under the cell limit.
        let cell = "\"" + String(repeating: "long ", count: 140_000) + "\""
        text += "\(i)x;\(cell);\(cell);\(cell)\n"
      }
    }
    var bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    if kind == "utf16" {
      bytes = [0xFF, 0xFE]
      for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    }
    let reader = try CSVReader(path: csvTempFile(bytes))
    let sequential = try reader.allRows()
    for keepAll in [true, false] {
      var kept: [(ChunkBuffer, Int)] = []
      var spare: [ChunkBuffer] = []
      var rows: [SheetRow] = []
      func parse(_ chunk: ChunkBuffer, _ firstRow: Int) throws {
        var scanner = CSVRecordScanner(delimiter: reader.dialect.delimiter, firstRow: firstRow, fileName: "x")
        try scanner.consume(chunk.bytes) { rows.append($0) }
        try scanner.finish { rows.append($0) }
      }
      try reader.readOwnedChunks(reuse: { spare.popLast() }) { chunk, firstRow, _ in
        if keepAll {
          kept.append((chunk, firstRow))
        } else {
          try parse(chunk, firstRow)
          spare.append(chunk)
        }
      }
      for (chunk, firstRow) in kept { try parse(chunk, firstRow) }
      #expect(keepAll ? kept.count > 1 : true)
      // Compared row by row, so that a failure names the first row that differs (not two 60,000-row
      // dumps).
      let differs = rows.indices.first { $0 < sequential.count && rows[$0] != sequential[$0] }
        .map { sequential[$0].rowNumber }
      #expect(
        rows.count == sequential.count && differs == nil,
        "keepAll \(keepAll): first different row \(differs ?? -1)")
    }
  }

  @Test func readChunksReportsUnterminatedQuote() throws {
    let reader = try CSVReader(path: csvTempFile("a\nb\n\"open\nc\n"))
    let error = csvError { try reader.readChunks { _, _, _ in } }
    #expect(error?.code == "csv.unterminated_quote")
    #expect(error?.row == 3)
  }
}
