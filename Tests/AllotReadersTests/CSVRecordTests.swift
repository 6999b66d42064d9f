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
