import AllotCore
import AllotReaders
import Foundation
import Testing
import ZIPFoundation

struct CSVWriterTests {
  @Test func quotingAndFormulaNeutralising() {
    #expect(CSVWriter.field("plain") == "plain")
    #expect(CSVWriter.field("a,b") == "\"a,b\"")
    #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSVWriter.field("two\nlines") == "\"two\nlines\"")
    #expect(CSVWriter.field("=SUM(A1:A2)") == "'=SUM(A1:A2)")
    #expect(CSVWriter.field("+1") == "'+1")
    #expect(CSVWriter.field("-5") == "'-5")
    #expect(CSVWriter.field("-5", numeric: true) == "-5")
    #expect(CSVWriter.field("-5+A1", numeric: true) == "'-5+A1")
    #expect(CSVWriter.field("@cmd") == "'@cmd")
    #expect(CSVWriter.field("\tx") == "'\tx")
    #expect(CSVWriter.field("\rx") == "\"'\rx\"")
    #expect(CSVWriter.field("=1,2") == "\"'=1,2\"")
    #expect(CSVWriter.field("=x", neutraliseFormulas: false) == "=x")
  }

  @Test func roundTripThroughTheReaderAndMode() throws {
    let path = csvTempFile([], name: "out.csv")
    let writer = try CSVWriter(path: path, numericColumns: [0])
    let rows = [
      ["amount", "name", "errors"], ["-5", "Doe, \"Jane\"", "amount.not_positive: must be > 0"],
      ["10", "Zoë\nLine", ""],
    ]
    for row in rows { try writer.writeRow(row) }
    try writer.finish()
    let (read, _) = try csvRead(path)
    #expect(read.map(\.1) == [rows[0], rows[1], ["10", "Zoë\nLine"]])
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o644)
  }
}

struct XLSXWriterTests {
  func entries(_ path: String) throws -> [String: String] {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    var out: [String: String] = [:]
    for entry in archive {
      var data = Data()
      _ = try archive.extract(entry) { data.append($0) }
      out[entry.path] = String(decoding: data, as: UTF8.self)
    }
    return out
  }

  @Test func workbookWithStylesCommentsAndNotes() throws {
    let path = csvTempFile([], name: "errors.xlsx")
    let w = try XLSXWriter(path: path)
    try w.startSheet(name: "Grants", columnWidths: [12, 40], freezeHeader: true)
    try w.writeRow([
      .init("amount", style: .bold), .init("name", style: .bold), .init("errors", style: .bold),
    ])
    try w.writeRow([
      .init("-5", style: .error, comment: "amount must be positive <not 0 & not negative>"),
      .init("=HYPERLINK(\"http://evil\")"), .init("amount: must be positive"),
    ])
    try w.writeRow([.init(.number("12.5")), .init("Zoë & Co")])
    try w.startSheet(name: "Notes")
    try w.writeRow([.init("column", style: .bold), .init("meaning", style: .bold)])
    try w.finish()

    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o644)
    let parts = try entries(path)
    let sheet = try #require(parts["xl/worksheets/sheet1.xml"])
    #expect(!sheet.contains("<f>"))
    #expect(sheet.contains("=HYPERLINK(&quot;http://evil&quot;)"))
    #expect(sheet.contains(#"<c r="A2" s="2" t="inlineStr">"#))
    #expect(sheet.contains(#"<c r="A3"><v>12.5</v></c>"#))
    #expect(sheet.contains("<legacyDrawing"))
    #expect(
      parts["xl/comments1.xml"]?.contains("amount must be positive &lt;not 0 &amp; not negative&gt;") == true)
    #expect(parts["xl/drawings/vmlDrawing1.vml"]?.contains("<x:Row>1</x:Row><x:Column>0</x:Column>") == true)
    #expect(parts["xl/styles.xml"]?.contains("FFFFC7CE") == true)
    #expect(parts["xl/workbook.xml"]?.contains(#"<sheet name="Notes""#) == true)
    #expect(parts["xl/worksheets/sheet2.xml"] != nil)
    #expect(parts["xl/comments2.xml"] == nil)

    // Read back with allot's own reader.
    let reader = try XLSXReader(path: path)
    #expect(try reader.sheets().map(\.name) == ["Grants", "Notes"])
    var rows: [Int: [Cell]] = [:]
    try reader.readRows(of: try reader.sheets()[0]) { rows[$0.rowNumber] = $0.cells }
    #expect(rows[1]?.map(\.text) == ["amount", "name", "errors"])
    #expect(rows[2]?.map(\.text) == ["-5", "=HYPERLINK(\"http://evil\")", "amount: must be positive"])
    #expect(rows[2]?.first?.kind == .text)
    #expect(rows[3]?.first == Cell.number("12.5"))
    #expect(rows[3]?[1].text == "Zoë & Co")
  }

  @Test func sheetNamesAreMadeValid() throws {
    let path = csvTempFile([], name: "names.xlsx")
    let w = try XLSXWriter(path: path)
    try w.startSheet(name: "a/b:c*?[x]")
    try w.startSheet(name: "A/B:C*?[X]")
    try w.startSheet(name: String(repeating: "n", count: 40))
    try w.finish()
    let names = try XLSXReader(path: path).sheets().map(\.name)
    #expect(names == ["a_b_c___x_", "A_B_C___X_ 2", String(repeating: "n", count: 31)])
  }
}
