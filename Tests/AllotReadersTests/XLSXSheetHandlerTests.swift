import AllotCore
import Testing

@testable import AllotReaders

/// The sheet handler gives the same rows whether the shared-strings table was there from the start or
/// arrived after the rows were parsed (the reader loads it on another thread meanwhile).
@Suite struct XLSXSheetHandlerTests {
  static let table = ["alpha", "", "gamma", "  spaced  "]

  /// Parses `rows` (the inside of `<sheetData>`) with the table given up front, or with no table and
  /// `resolve` afterwards; returns the rows or the error.
  static func parse(_ rows: String, deferred: Bool) -> Result<[SheetRow], ReaderError> {
    let handler = XLSXSheetHandler(
      sharedStrings: deferred ? SharedStringTable() : SharedStringTable(table), dateStyles: [],
      dateSystem: .excel1900, file: "t.xlsx",
      sheet: "S", limits: .default)
    let xml =
      #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
      + rows + "</sheetData></worksheet>"
    do {
      let parser = try XMLStreamParser(handler: handler, file: "t.xlsx", part: "sheet1.xml", maxDepth: 64)
      let bytes = Array(xml.utf8)
      try bytes.withUnsafeBytes { try parser.feed($0) }
      try parser.finish()
      if deferred {
        handler.resolve(SharedStringTable(table))
        if let failure = handler.failure { return .failure(failure) }
      }
      return .success(handler.takeRows(handler.readyRows))
    } catch let error as ReaderError {
      if deferred {
        handler.resolve(SharedStringTable(table))
        if let failure = handler.failure { return .failure(failure) }
      }
      return .failure(error)
    } catch {
      Issue.record("unexpected error \(error)")
      return .success([])
    }
  }

  @Test(arguments: [
    // plain shared strings between other cell types
    #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>5</v></c><c r="C1" t="s"><v>2</v></c></row>"#,
    // an empty shared string at the end of a row is trimmed; a row of only empty ones is dropped
    #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row><row r="3"><c r="C3" t="s"><v>3</v></c></row>"#,
    // a later cell with the same reference replaces a placeholder, and the other way round
    #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="A1" t="inlineStr"><is><t>inline</t></is></c><c r="B1"><v>1</v></c><c r="B1" t="s"><v>2</v></c></row>"#,
    // cells without references, rows without numbers
    #"<row><c t="s"><v>2</v></c><c t="s"><v>1</v></c><c t="s"><v>0</v></c></row><row><c t="s"><v>1</v></c></row>"#,
  ])
  func deferredTableGivesTheSameRows(rows: String) throws {
    let direct = try Self.parse(rows, deferred: false).get()
    let deferred = try Self.parse(rows, deferred: true).get()
    #expect(direct == deferred)
    #expect(!direct.isEmpty)
    #expect(!deferred.contains { row in row.cells.contains { $0.text == "\u{FFFF}" } })
  }

  @Test func theTableArrivingInTheMiddleOfARowFillsThatRowToo() throws {
    let head =
      #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
      + #"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c>"#
    let tail = #"<c r="B2" t="s"><v>3</v></c></row></sheetData></worksheet>"#
    let handler = XLSXSheetHandler(
      sharedStrings: SharedStringTable(), dateStyles: [], dateSystem: .excel1900, file: "t.xlsx", sheet: "S",
      limits: .default)
    let parser = try XMLStreamParser(handler: handler, file: "t.xlsx", part: "sheet1.xml", maxDepth: 64)
    try Array(head.utf8).withUnsafeBytes { try parser.feed($0) }
    handler.resolve(SharedStringTable(Self.table))
    try Array(tail.utf8).withUnsafeBytes { try parser.feed($0) }
    try parser.finish()
    #expect(handler.failure == nil)
    #expect(handler.readyRows == 2)
    #expect(
      handler.takeRows(handler.readyRows).map { $0.cells.map(\.text) } == [
        ["alpha"], ["gamma", "  spaced  "],
      ])
  }

  /// The table loading a segment at a time: rows are ready, in order, as soon as the strings they use
  /// are loaded; a row waiting for a later segment holds back the rows after it.
  @Test func rowsAreReadyAsTheirStringsLoad() throws {
    let all = (0..<40_000).map { "s\($0)" }
    var first = SharedStringTable()
    first.append(segment: Array(all[..<SharedStringTable.segmentSize]))
    let rows = [5, 35_000, 10, 7].enumerated().map { i, index in
      #"<row r="\#(i + 1)"><c r="A\#(i + 1)" t="s"><v>\#(index)</v></c></row>"#
    }.joined()
    let xml =
      #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
      + rows + "</sheetData></worksheet>"
    let handler = XLSXSheetHandler(
      sharedStrings: SharedStringTable(), dateStyles: [], dateSystem: .excel1900, file: "t.xlsx", sheet: "S",
      limits: .default)
    let parser = try XMLStreamParser(handler: handler, file: "t.xlsx", part: "sheet1.xml", maxDepth: 64)
    try Array(xml.utf8).withUnsafeBytes { try parser.feed($0) }
    try parser.finish()
    #expect(handler.readyRows == 0)
    handler.resolve(first)
    #expect(handler.readyRows == 1)
    #expect(handler.takeRows(handler.readyRows).map { $0.cells.map(\.text) } == [["s5"]])
    #expect(handler.readyRows == 0)
    handler.resolve(SharedStringTable(all))
    #expect(handler.failure == nil)
    #expect(
      handler.takeRows(handler.readyRows).map { $0.cells.map(\.text) } == [["s35000"], ["s10"], ["s7"]])
    #expect(handler.pending.isEmpty)
  }

  @Test func aBadIndexFailsWithItsCellEitherWay() {
    let rows =
      #"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="7"><c r="C7" t="s"><v>99</v></c></row>"#
    for deferred in [false, true] {
      guard case .failure(let error) = Self.parse(rows, deferred: deferred) else {
        Issue.record("no error (deferred: \(deferred))")
        continue
      }
      #expect(error.code == "xlsx.bad_shared_string")
      #expect(error.row == 7)
      #expect(error.column == "C")
    }
  }

  @Test func anEarlierBadIndexWinsOverALaterParseError() {
    // Row 2 refers to a string the table lacks; row 3 is malformed XML. Read in order, the bad
    // reference is met first, so it is the error either way.
    let rows = #"<row r="2"><c r="A2" t="s"><v>42</v></c></row><row r="3"><c r="A3"><v>1</v></row>"#
    for deferred in [false, true] {
      guard case .failure(let error) = Self.parse(rows, deferred: deferred) else {
        Issue.record("no error (deferred: \(deferred))")
        continue
      }
      #expect(error.code == "xlsx.bad_shared_string", "deferred: \(deferred)")
    }
  }
}
