import AllotCore
import AllotReaders
import Testing

/// `consumeRecords` hands over the rows `consume` gives, whatever the chunk boundaries and encodings.
@Suite struct CSVRecordTests {
  func parse(_ bytes: [UInt8], chunk: Int, records: Bool) throws
    -> (rows: [SheetRow], texts: [Bool], warnings: [ReaderWarning], decoding: CSVRecordScanner.Decoding)
  {
    var scanner = CSVRecordScanner(fileName: "t.csv")
    var rows: [SheetRow] = []
    var texts: [Bool] = []
    func record(_ r: CSVRecord) {
      let row = r.sheetRow()
      rows.append(row)
      texts.append(r.bytesAreText)
      if r.bytesAreText {
        // The bytes are the cells' text.
        #expect(r.row.cells.map { Array($0) } == row.cells.map { Array($0.text.utf8) })
      }
    }
    var i = 0
    while i < bytes.count {
      let end = min(bytes.count, i + chunk)
      try bytes[i..<end].withUnsafeBytes { buf in
        if records {
          try scanner.consumeRecords(buf, record)
        } else {
          try scanner.consume(buf) { rows.append($0) }
        }
      }
      i = end
    }
    if records {
      try scanner.finishRecords(record)
    } else {
      try scanner.finish { rows.append($0) }
    }
    return (rows, texts, scanner.warnings, scanner.decoding)
  }

  @Test(arguments: [
    Array(
      ("h1,h2,h3\r\n\"a,\"\"b\"\"\",c\r\n\r\n\"multi\nline\",x,\"\"\rlast,\"q\"tail,\n"
        + "é,ü,\"😀\"\r\n\"end\"").utf8),
    Array("a,b\n,,\nc,,\n\"\",x\n  ,\u{A0}\n".utf8),
    // Windows-1252, then UTF-8 mixed with other bytes.
    [0x61, 0x2C, 0xE9, 0x0A, 0x22, 0xFC, 0x22, 0x2C, 0x62, 0x0D, 0x0A, 0x63],
    Array("é,x\n".utf8) + [0x61, 0xE9, 0x2C, 0x62, 0x0A] + Array("ü\n".utf8),
  ])
  func recordsMatchRows(_ bytes: [UInt8]) throws {
    let whole = try parse(bytes, chunk: bytes.count, records: false)
    for chunk in [1, 2, 3, 5, 7, 11, 17, bytes.count] {
      let r = try parse(bytes, chunk: chunk, records: true)
      #expect(r.rows == whole.rows, "chunk size \(chunk)")
      #expect(r.warnings == whole.warnings, "chunk size \(chunk)")
      #expect(r.decoding == whole.decoding)
    }
  }

  /// Control characters other than CR, LF and NUL (a tab, 0x01, 0x0B, 0x1F) are text inside unquoted
  /// cells, at every position in a word.
  @Test(arguments: [UInt8(ascii: ","), 9])
  func controlCharactersAreText(delimiter: UInt8) throws {
    let controls: [UInt8] = [9, 1, 0x0B, 0x1F, 0x0C].filter { $0 != delimiter }
    var generator = SystemRandomNumberGenerator()
    var expected: [[String]] = []
    var bytes: [UInt8] = []
    for _ in 0..<400 {
      var cells: [String] = []
      for _ in 0..<Int.random(in: 1...5, using: &generator) {
        let cell = (0..<Int.random(in: 1...20, using: &generator)).map { _ in
          Int.random(in: 0..<4, using: &generator) == 0
            ? controls.randomElement(using: &generator)! : UInt8.random(in: 97...122, using: &generator)
        }
        cells.append(String(decoding: cell, as: UTF8.self))
        bytes += cell
        bytes.append(delimiter)
      }
      bytes.removeLast()
      bytes.append(Bool.random(using: &generator) ? 10 : 13)
      expected.append(cells)
    }
    func parse(records: Bool, chunk: Int) throws -> [[String]] {
      var scanner = CSVRecordScanner(delimiter: delimiter, fileName: "t.csv")
      var rows: [[String]] = []
      var i = 0
      while i < bytes.count {
        let end = min(bytes.count, i + chunk)
        try bytes[i..<end].withUnsafeBytes { buf in
          if records {
            try scanner.consumeRecords(buf) { rows.append($0.sheetRow().cells.map(\.text)) }
          } else {
            try scanner.consume(buf) { rows.append($0.cells.map(\.text)) }
          }
        }
        i = end
      }
      try scanner.finish { rows.append($0.cells.map(\.text)) }
      return rows
    }
    for chunk in [7, 64, 1000, bytes.count] {
      #expect(try parse(records: false, chunk: chunk) == expected, "chunk \(chunk)")
      #expect(try parse(records: true, chunk: chunk) == expected, "chunk \(chunk)")
    }
  }

  @Test func windows1252CellsAreNotText() throws {
    let r = try parse([0x61, 0x2C, 0xE9, 0x0A, 0x62, 0x0A], chunk: 100, records: true)
    #expect(r.texts == [false, true])
    #expect(r.rows[0].cells.map(\.text) == ["a", "é"])
  }

  @Test func errorsAreTheSame() throws {
    func error(_ text: String, records: Bool) -> ReaderError? {
      do {
        _ = try parse(Array(text.utf8), chunk: 3, records: records)
        return nil
      } catch let e as ReaderError {
        return e
      } catch {
        return nil
      }
    }
    for text in ["a,\"open\nb\n", "a,b\0c\n"] {
      let a = error(text, records: false)
      let b = error(text, records: true)
      #expect(a != nil)
      #expect(a?.code == b?.code && a?.row == b?.row && a?.column == b?.column && a?.message == b?.message)
    }
  }
}
