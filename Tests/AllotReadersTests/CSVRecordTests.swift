import AllotCore
import AllotReaders
import Testing

/// `consumeRecords` hands over the rows `consume` gives, whatever the chunk boundaries and encodings.
@Suite struct CSVRecordTests {
  /// What a scanner gave for a whole input: the rows (as `SheetRow`s), whether each record's bytes were
  /// its text, the warnings, the decoding, and the error that stopped it, if any (after the rows before).
  struct Parsed: Equatable {
    var rows: [SheetRow] = []
    var texts: [Bool] = []
    var warnings: [ReaderWarning] = []
    var decoding = CSVRecordScanner.Decoding.utf8
    var error: ReaderError?
  }

  /// Parses `bytes` fed in chunks of `chunk` bytes, with `consumeRecords` (`records`) or `consume`.
  func parse(
    _ bytes: [UInt8], chunk: Int, records: Bool, delimiter: UInt8 = UInt8(ascii: ","),
    limits: ReaderLimits = .default
  ) -> Parsed {
    var scanner = CSVRecordScanner(delimiter: delimiter, limits: limits, fileName: "t.csv")
    var out = Parsed()
    func record(_ r: CSVRecord) {
      let row = r.sheetRow()
      out.rows.append(row)
      out.texts.append(r.bytesAreText)
      if r.bytesAreText {
        // The bytes are the cells' text.
        #expect(r.row.cells.map { Array($0) } == row.cells.map { Array($0.text.utf8) })
      }
    }
    func run() throws {
      var i = 0
      while i < bytes.count {
        let end = min(bytes.count, i + chunk)
        try bytes[i..<end].withUnsafeBytes { buf in
          if records {
            try scanner.consumeRecords(buf, record)
          } else {
            try scanner.consume(buf) { out.rows.append($0) }
          }
        }
        i = end
      }
      if records {
        try scanner.finishRecords(record)
      } else {
        try scanner.finish { out.rows.append($0) }
      }
    }
    do {
      try run()
    } catch let e as ReaderError {
      out.error = e
    } catch {
      Issue.record("not a ReaderError: \(error)")
    }
    out.warnings = scanner.warnings
    out.decoding = scanner.decoding
    return out
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
    let whole = parse(bytes, chunk: bytes.count, records: false)
    for chunk in [1, 2, 3, 5, 7, 11, 17, bytes.count] {
      let r = parse(bytes, chunk: chunk, records: true)
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
    let r = parse([0x61, 0x2C, 0xE9, 0x0A, 0x62, 0x0A], chunk: 100, records: true)
    #expect(r.texts == [false, true])
    #expect(r.rows[0].cells.map(\.text) == ["a", "é"])
  }

  @Test func errorsAreTheSame() {
    for text in ["a,\"open\nb\n", "a,b\0c\n"] {
      let a = parse(Array(text.utf8), chunk: 3, records: false).error
      let b = parse(Array(text.utf8), chunk: 3, records: true).error
      #expect(a != nil)
      #expect(a == b)
    }
  }

  /// The byte form cuts most records out in one pass (`fastRecord`) and leaves the rest to the state
  /// machine that `consume` always uses: random files mixing every case either handles (quoted cells
  /// with delimiters, line breaks, doubled quotes and text after the closing quote; blank records;
  /// LF, CR and CRLF; rows longer than the fast path takes; UTF-8 and Windows-1252 bytes; NUL; limits)
  /// give the same rows, texts, warnings and errors in both forms, whatever the chunk size.
  @Test(arguments: 0..<24)
  func fastRecordsAreTheStateMachines(seed: Int) throws {
    var random = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15)
    let delimiter: UInt8 = [UInt8(ascii: ","), UInt8(ascii: ";"), 9][seed % 3]
    let pieces: [[UInt8]] = [
      Array("abc".utf8), Array("1000.00".utf8), Array(" x ".utf8), Array("a\"b".utf8), Array("é".utf8),
      [0xE9], [1, 0x1F], Array("\"q\"".utf8), Array("\"a,b;c\td\"".utf8), Array("\"l1\nl2\r\nl3\"".utf8),
      Array("\"say \"\"hi\"\"\"".utf8), Array("\"x\"tail".utf8), Array("\"\"".utf8), [],
    ]
    var bytes: [UInt8] = []
    for _ in 0..<Int(random.next() % 60 + 1) {
      let long = random.next() % 10 == 0
      let cells = long ? Int(random.next() % 80 + 60) : Int(random.next() % 8 + 1)
      for c in 0..<cells {
        if c > 0 { bytes.append(delimiter) }
        if random.next() % 3 == 0 { continue }
        bytes += pieces[Int(random.next() % UInt64(seed % 4 == 0 ? 4 : pieces.count))]
      }
      if random.next() % 300 == 0 { bytes.append(0) }
      bytes += [[10], [13], [13, 10]][Int(random.next() % 3)]
      if random.next() % 12 == 0 { bytes += [10] }
    }
    if random.next() % 2 == 0 { bytes.removeLast() }
    var limits = ReaderLimits()
    if seed % 5 == 4 {
      limits.maxCellBytes = 6
      limits.maxCellsPerRow = 40
    }
    let expected = parse(
      bytes, chunk: bytes.count, records: false, delimiter: delimiter, limits: limits)
    for chunk in [1, 3, 64, 100, 4096, bytes.count] {
      let got = parse(bytes, chunk: chunk, records: true, delimiter: delimiter, limits: limits)
      #expect(got.rows == expected.rows, "seed \(seed), chunk \(chunk)")
      #expect(got.warnings == expected.warnings, "seed \(seed), chunk \(chunk)")
      #expect(got.error == expected.error, "seed \(seed), chunk \(chunk)")
    }
  }
}
