import AllotCore
import AllotReaders
import AllotTestSupport
import Foundation
import Testing

/// Every row of `sheet` (default: first sheet) as row number → display texts.
func xlsxRows(_ path: String, sheet: String? = nil, limits: ReaderLimits = .default) throws -> [Int: [String]]
{
  try xlsxCells(path, sheet: sheet, limits: limits).mapValues { $0.map(\.text) }
}

func xlsxCells(_ path: String, sheet: String? = nil, limits: ReaderLimits = .default) throws -> [Int: [Cell]]
{
  let reader = try XLSXReader(path: path, limits: limits)
  let sheets = try reader.sheets()
  let info = try #require(sheet.map { name in sheets.first { $0.name == name } } ?? sheets.first)
  var out: [Int: [Cell]] = [:]
  try reader.readRows(of: info) { row in out[row.rowNumber] = row.cells }
  return out
}

func readerError(_ body: () throws -> Void) -> ReaderError? {
  do {
    try body()
    return nil
  } catch let error as ReaderError {
    return error
  } catch {
    return nil
  }
}

@Suite struct XLSXReaderTests {
  @Test func readsEveryCellType() throws {
    let rows = """
      <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>0.30000000000000004</v></c><c r="C1" t="b"><v>1</v></c>\
      <c r="D1" t="b"><v>0</v></c><c r="E1" t="e"><v>#N/A</v></c><c r="F1" t="str"><f>A1</f><v>formula text</v></c>\
      <c r="G1" t="inlineStr"><is><t>inline</t></is></c><c r="H1" t="d"><v>2021-01-01T10:10:10</v></c>\
      <c r="I1" t="n"><v>5E-07</v></c><c r="J1"><v>123456789012345678</v></c><c r="K1"><v>-0</v></c></row>
      """
    let path = try XLSXFixture.workbook(
      sheets: [.init(name: "S", rows: rows)], sharedStrings: ["<t>hello</t>"])
    let cells = try #require(try xlsxCells(path)[1])
    #expect(
      cells.map(\.text) == [
        "hello", "0.3", "TRUE", "FALSE", "#N/A", "formula text", "inline", "2021-01-01T10:10:10", "0.0000005",
        "123456789012346000", "0",
      ])
    #expect(
      cells.map(\.kind) == [
        .text, .number, .boolean, .boolean, .error, .text, .text, .date, .number, .number, .number,
      ])
    #expect(cells[1].raw == "0.30000000000000004")
    #expect(cells[8].raw == "5E-07")
  }

  @Test func dateFormatsComeFromStyles() throws {
    let styles = XLSXFixture.styles(
      numFmtIds: [0, 14, 164, 165, 166, 167, 22, 168],
      customFormats: [
        (164, "yyyy\\-mm\\-dd"), (165, "\"y\"0.00"), (166, "[h]:mm:ss"), (167, "[Red]0.00;[Blue]-0.00"),
        (168, "0.00\" days\""),
      ])
    let rows = """
      <row r="1"><c r="A1" s="0"><v>45658</v></c><c r="B1" s="1"><v>45658</v></c><c r="C1" s="2"><v>45658</v></c>\
      <c r="D1" s="3"><v>45658</v></c><c r="E1" s="4"><v>1.5</v></c><c r="F1" s="5"><v>45658</v></c>\
      <c r="G1" s="6"><v>45658.75</v></c><c r="H1" s="7"><v>2</v></c><c r="I1" s="99"><v>7</v></c>\
      <c r="J1" s="1" t="s"><v>0</v></c><c r="K1" s="1"><v>60</v></c></row>
      """
    let path = try XLSXFixture.workbook(
      sheets: [.init(name: "S", rows: rows)], sharedStrings: ["<t>not a date</t>"], styles: styles)
    let cells = try #require(try xlsxCells(path)[1])
    #expect(
      cells.map(\.text) == [
        "45658", "2025-01-01", "2025-01-01", "45658", "1900-01-01T12:00:00", "45658", "2025-01-01T18:00:00",
        "2",
        "7", "not a date", "1900-02-29",
      ])
    #expect(cells[1].kind == .date)
    #expect(cells[1].raw == "45658")
    #expect(cells[9].kind == .text)
  }

  @Test func date1904System() throws {
    let styles = XLSXFixture.styles(numFmtIds: [14])
    let path = try XLSXFixture.workbook(
      sheets: [.init(name: "S", rows: "<row r=\"1\"><c r=\"A1\" s=\"0\"><v>0</v></c></row>")], styles: styles,
      date1904: true)
    #expect(try XLSXReader(path: path).dateSystem == .excel1904)
    #expect(try xlsxRows(path)[1] == ["1904-01-01"])
  }

  @Test func sharedStringsRichTextPhoneticEscapesAndWhitespace() throws {
    let strings = [
      "<r><t xml:space=\"preserve\">rich </t></r><r><rPr><b/></rPr><t>text</t></r>",
      "<t>課きく</t><rPh sb=\"0\" eb=\"1\"><t>カ</t></rPh>",
      "<t>ABC_x000D_DEF</t>",
      "<t>a_x005F_x0041_b</t>",
      "",
      "<t>  trimmed \n</t>",
      "<t xml:space=\"preserve\">  kept  </t>",
      "<t>_xD83D__xDE00_</t>",
      "<r><t>a </t></r><r><t> b</t></r>",
    ]
    let rows = (0..<strings.count).map { "<c t=\"s\"><v>\($0)</v></c>" }.joined()
    let path = try XLSXFixture.workbook(
      sheets: [.init(name: "S", rows: "<row>\(rows)</row>")], sharedStrings: strings)
    #expect(
      try xlsxRows(path)[1] == [
        "rich text", "課きく", "ABC\rDEF", "a_x0041_b", "", "trimmed", "  kept  ", "😀", "ab",
      ])
  }

  @Test func missingAndLowerCaseReferences() throws {
    let rows = """
      <row><c><v>1</v></c><c><v>2</v></c></row><row r="4"><c r="c4"><v>3</v></c><c><v>4</v></c></row>\
      <row><c r="B5"><v>5</v></c></row><row r="7"></row><row><c r="A8" t="inlineStr"><is><t></t></is></c></row>
      """
    let path = try XLSXFixture.workbook(sheets: [.init(name: "S", rows: rows)])
    let got = try xlsxRows(path)
    #expect(got[1] == ["1", "2"])
    #expect(got[4] == ["", "", "3", "4"])
    #expect(got[5] == ["", "5"])
    #expect(got[7] == nil)
    #expect(got[8] == nil)
    #expect(got.count == 3)
  }

  @Test func inlineStringWinsOverStrayValueAndCDATA() throws {
    let rows = """
      <row r="1"><c r="A1" t="inlineStr"><v>1.0</v><is><t>1.</t></is></c>\
      <c r="B1" t="inlineStr"><is><t><![CDATA[Hello <CDATA>]]></t></is></c></row>
      """
    let path = try XLSXFixture.workbook(sheets: [.init(name: "S", rows: rows)])
    #expect(try xlsxRows(path)[1] == ["1.", "Hello <CDATA>"])
  }

  @Test func sheetVisibilityAndOrder() throws {
    let path = try XLSXFixture.workbook(sheets: [
      .init(name: "Hidden", rows: "", state: "hidden"), .init(name: "Data", rows: ""),
      .init(name: "Secret", rows: "", state: "veryHidden"),
    ])
    let sheets = try XLSXReader(path: path).sheets()
    #expect(sheets.map(\.name) == ["Hidden", "Data", "Secret"])
    #expect(sheets.map(\.visibility) == [.hidden, .visible, .veryHidden])
  }

  @Test func anyNamespacePrefixAbsoluteTargetsAndUnusualWorkbookLocation() throws {
    let ns = XLSXFixture.mainNS
    let parts: [(String, String)] = [
      (
        "_rels/.rels",
        "<p:Relationships xmlns:p=\"\(XLSXFixture.pkgRelNS)\"><p:Relationship Id=\"a\" Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument\" Target=\"/book/main.xml\"/></p:Relationships>"
      ),
      (
        "book/main.xml",
        "<x:workbook xmlns:x=\"\(ns)\" xmlns:rel=\"http://purl.oclc.org/ooxml/officeDocument/relationships\"><x:sheets><x:sheet name=\"Only\" sheetId=\"1\" rel:id=\"s1\"/></x:sheets></x:workbook>"
      ),
      (
        "book/_rels/main.xml.rels",
        "<Relationships xmlns=\"\(XLSXFixture.pkgRelNS)\"><Relationship Id=\"s1\" Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet\" Target=\"/data/one.xml\"/><Relationship Id=\"ss\" Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/sharedStrings\" Target=\"../strings/ss.xml\"/></Relationships>"
      ),
      (
        "data/one.xml",
        "<x:worksheet xmlns:x=\"\(ns)\"><x:sheetData><x:row x:r=\"2\"><x:c r=\"B2\" t=\"s\"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>"
      ),
      ("strings/ss.xml", "<s:sst xmlns:s=\"\(ns)\"><s:si><s:t>prefixed</s:t></s:si></s:sst>"),
    ]
    let path = try XLSXFixture.zip(parts)
    #expect(try XLSXReader(path: path).sheets().map(\.name) == ["Only"])
    #expect(try xlsxRows(path)[2] == ["", "prefixed"])
  }

  @Test func noStylesAndNoSharedStringsParts() throws {
    let path = try XLSXFixture.workbook(sheets: [.init(name: "S", rows: "<row><c><v>14</v></c></row>")])
    #expect(try xlsxRows(path)[1] == ["14"])
  }

  @Test func errorsFromTheRowCallbackPropagateUnchanged() throws {
    struct Stop: Error {}
    let path = try XLSXFixture.workbook(sheets: [.init(name: "S", rows: "<row><c><v>1</v></c></row>")])
    let reader = try XLSXReader(path: path)
    let sheet = try #require(try reader.sheets().first)
    #expect(throws: Stop.self) { try reader.readRows(of: sheet) { _ in throw Stop() } }
  }

  @Test func streamsManyRows() throws {
    var rows = ""
    for r in 1...5_000 {
      rows += "<row r=\"\(r)\"><c r=\"A\(r)\"><v>\(r)</v></c><c r=\"B\(r)\" t=\"s\"><v>0</v></c></row>"
    }
    let path = try XLSXFixture.workbook(sheets: [.init(name: "S", rows: rows)], sharedStrings: ["<t>x</t>"])
    let got = try xlsxRows(path)
    #expect(got.count == 5_000)
    #expect(got[4_321] == ["4321", "x"])
  }
}
