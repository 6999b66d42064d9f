import AllotCore
import AllotReaders
import AllotTestSupport
import Foundation
import Testing

/// Rows of one SpreadsheetML sheet by row number.
func smlRows(_ path: String, sheet: String? = nil, limits: ReaderLimits = .default) throws -> [Int: [Cell]] {
  let reader = try SpreadsheetMLReader(path: path, limits: limits)
  let sheets = try reader.sheets()
  let info = try #require(sheet.map { SheetInfo(name: $0) } ?? sheets.first)
  var rows: [Int: [Cell]] = [:]
  try reader.readRows(of: info) { rows[$0.rowNumber] = $0.cells }
  return rows
}

func smlWorkbook(_ body: String, head: String = "") -> String {
  """
  <?xml version="1.0"?>
  <?mso-application progid="Excel.Sheet"?>
  \(head)<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
   xmlns:o="urn:schemas-microsoft-com:office:office"
   xmlns:x="urn:schemas-microsoft-com:office:excel"
   xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
   xmlns:html="http://www.w3.org/TR/REC-html40">
  \(body)
  </Workbook>
  """
}

struct SpreadsheetMLReaderTests {
  static var dir: String { TestPaths.corpora + "/xml2003" }

  @Test(
    .enabled(if: TestPaths.corporaAvailable || TestPaths.isCI),
    arguments: ["sheetjs-1900.xml", "sheetjs-1904.xml"])
  func dateSystemsGiveTheWrittenDates(file: String) throws {
    let rows = try smlRows(Self.dir + "/" + file)
    #expect(rows.count == 5)
    for (_, cells) in rows {
      // Column B is a DateTime cell; column C is Excel's own TEXT(B, "YYYY-MM-DD").
      #expect(cells[1].kind == .date)
      #expect(cells[1].text == cells[2].text)
      #expect(cells[0].kind == .number)
    }
    let first = try #require(rows[1])
    #expect(first[0] == Cell.number("1"))
    #expect(first[1].text == (file.contains("1904") ? "1904-01-02" : "1900-01-01"))
    #expect(try SpreadsheetMLReader(path: Self.dir + "/" + file).date1904 == file.contains("1904"))
  }

  @Test(.enabled(if: TestPaths.corporaAvailable || TestPaths.isCI)) func mergedCellsAndIndexGaps() throws {
    let rows = try smlRows(Self.dir + "/sheetjs-merge_cells.xml")
    #expect(rows[1]?.map(\.text) == ["A1:B2", "", "C1:C2", "Separate blocks"])
    #expect(rows[2] == nil)
    #expect(rows[3]?.map(\.text) == ["A3:B3", "", "C3"])
    #expect(rows[4]?.map(\.text) == ["… are merged separately"])
  }

  @Test(.enabled(if: TestPaths.corporaAvailable || TestPaths.isCI)) func numberFormatsFile() throws {
    let reader = try SpreadsheetMLReader(path: Self.dir + "/sheetjs-number_format.xml")
    let sheets = try reader.sheets()
    #expect(sheets.count >= 2)
    let rows = try smlRows(Self.dir + "/sheetjs-number_format.xml")
    #expect(rows[1]?.first?.text == "Format")
    #expect(rows.count > 10)
  }

  @Test func typesRichTextIndexesAndComments() throws {
    let xml = smlWorkbook(
      """
      <Styles><Style ss:ID="d"><NumberFormat ss:Format="Short Date"/></Style></Styles>
      <Worksheet ss:Name="Grants"><Table>
       <Row><Cell><Data ss:Type="String">amount</Data></Cell><Cell><Data ss:Type="String"> name </Data></Cell></Row>
       <Row ss:Index="4">
        <Cell><Data ss:Type="Number">0.30000000000000004</Data></Cell>
        <Cell ss:Index="3"><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>Bold</B><Font html:Color="#FF0000"> red</Font></ss:Data><Comment ss:Author="x"><ss:Data>not a value</ss:Data></Comment></Cell>
        <Cell><Data ss:Type="Boolean">1</Data></Cell>
        <Cell><Data ss:Type="Error">#N/A</Data></Cell>
        <Cell><Data ss:Type="DateTime">2026-03-01T12:30:05.000</Data></Cell>
        <Cell ss:StyleID="d"><Data ss:Type="Number">46082</Data></Cell>
        <Cell><Data ss:Type="Number">5E-07</Data></Cell>
       </Row>
       <Row><Cell/><Cell><Data ss:Type="String"></Data></Cell></Row>
       <Row><Cell ss:MergeAcross="2"><Data ss:Type="String">merged</Data></Cell><Cell><Data ss:Type="String">after</Data></Cell></Row>
      </Table></Worksheet>
      """)
    let path = csvTempFile(xml, name: "book.xml")
    let rows = try smlRows(path)
    #expect(rows[1] == [.text("amount"), .text(" name ")])
    let r4 = try #require(rows[4])
    #expect(r4[0] == Cell.number("0.3", raw: "0.30000000000000004"))
    #expect(r4[1] == .empty)
    #expect(r4[2] == .text("Bold red"))
    #expect(r4[3] == Cell(kind: .boolean, text: "TRUE"))
    #expect(r4[4] == Cell(kind: .error, text: "#N/A"))
    #expect(r4[5].kind == .date && r4[5].text == "2026-03-01T12:30:05")
    #expect(r4[6].kind == .date && r4[6].text == "2026-03-01")
    #expect(r4[7].text == "0.0000005")
    #expect(rows[5] == nil)  // a row with no value is not reported
    #expect(rows[6]?.map(\.text) == ["merged", "", "", "after"])
  }

  @Test func hiddenSheetsAndDate1904() throws {
    let xml = smlWorkbook(
      """
      <ExcelWorkbook xmlns="urn:schemas-microsoft-com:office:excel"><Date1904/></ExcelWorkbook>
      <Styles><Style ss:ID="d"><NumberFormat ss:Format="yyyy\\-mm\\-dd;@"/></Style></Styles>
      <Worksheet ss:Name="Secret"><Table><Row><Cell><Data ss:Type="String">s</Data></Cell></Row></Table>
       <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions></Worksheet>
      <Worksheet ss:Name="Very"><Table/>
       <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetVeryHidden</Visible></WorksheetOptions></Worksheet>
      <Worksheet ss:Name="Data"><Table><Row><Cell ss:StyleID="d"><Data ss:Type="Number">1</Data></Cell></Row></Table></Worksheet>
      """)
    let path = csvTempFile(xml, name: "hidden.xml")
    let reader = try SpreadsheetMLReader(path: path)
    #expect(try reader.sheets().map(\.visibility) == [.hidden, .veryHidden, .visible])
    #expect(reader.date1904)
    #expect(try smlRows(path, sheet: "Data")[1]?.first?.text == "1904-01-02")
    #expect(try smlRows(path, sheet: "Secret")[1]?.first?.text == "s")
    #expect(csvError { _ = try smlRows(path, sheet: "Nope") }?.code == "sheet.not_found")
  }

  @Test func externalEntityIsNeverResolved() throws {
    let xml = smlWorkbook(
      """
      <Worksheet ss:Name="S"><Table><Row><Cell><Data ss:Type="String">&xxe;</Data></Cell></Row></Table></Worksheet>
      """, head: "<!DOCTYPE Workbook [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n")
    let path = csvTempFile(xml, name: "xxe.xml")
    var leaked = false
    let error = csvError {
      let reader = try SpreadsheetMLReader(path: path)
      try reader.readRows(of: try reader.sheets()[0]) { row in
        if row.cells.contains(where: { $0.text.contains("root:") }) { leaked = true }
      }
    }
    #expect(!leaked)
    #expect(error?.code == "xml.entities")
    #expect(error?.description.contains("root:") == false)
    // Through Workbook.open too.
    #expect(csvError { _ = try Workbook.open(path: path) }?.code == "xml.entities")
  }

  @Test func billionLaughsIsRefused() throws {
    var dtd = "<!DOCTYPE Workbook [<!ENTITY lol0 \"lol\">"
    for i in 1...9 { dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">" }
    dtd += "]>\n"
    let xml = smlWorkbook(
      "<Worksheet ss:Name=\"S\"><Table><Row><Cell><Data ss:Type=\"String\">&lol9;</Data></Cell></Row></Table></Worksheet>",
      head: dtd)
    let error = csvError { _ = try SpreadsheetMLReader(path: csvTempFile(xml, name: "lol.xml")) }
    #expect(error?.code == "xml.entities")
  }

  @Test func deepNestingIsRefused() throws {
    let depth = 200_000
    let xml =
      smlWorkbook(
        "<Worksheet ss:Name=\"S\"><Table>" + String(repeating: "<a>", count: depth)
          + String(repeating: "</a>", count: depth) + "</Table></Worksheet>")
    let error = csvError { _ = try SpreadsheetMLReader(path: csvTempFile(xml, name: "deep.xml")) }
    #expect(error?.code == "xml.too_deep")
  }

  @Test func malformedAndTruncated() throws {
    let xml = smlWorkbook(
      "<Worksheet ss:Name=\"S\"><Table><Row><Cell><Data ss:Type=\"String\">x</Data></Cell>")
    let error = csvError {
      _ = try SpreadsheetMLReader(path: csvTempFile(String(xml.prefix(400)), name: "cut.xml"))
    }
    #expect(error?.code == "xml.malformed")
    #expect(error?.message.contains("cut.xml") == true)
  }

  @Test func tooManyCellsAndTooLargeCell() throws {
    let wide = smlWorkbook(
      "<Worksheet ss:Name=\"S\"><Table><Row><Cell ss:Index=\"2000000000\"><Data ss:Type=\"String\">x</Data></Cell></Row></Table></Worksheet>"
    )
    let wideError = csvError { _ = try smlRows(csvTempFile(wide, name: "wide.xml")) }
    #expect(wideError?.code == "row.too_many_cells")
    var limits = ReaderLimits()
    limits.maxCellBytes = 10
    let big = smlWorkbook(
      "<Worksheet ss:Name=\"S\"><Table><Row><Cell><Data ss:Type=\"String\">01234567890</Data></Cell></Row></Table></Worksheet>"
    )
    #expect(
      csvError { _ = try smlRows(csvTempFile(big, name: "big.xml"), limits: limits) }?.code
        == "cell.too_large")
  }

  @Test func otherXMLIsNotASpreadsheet() throws {
    let path = csvTempFile("<?xml version=\"1.0\"?><root><a/></root>", name: "other.xml")
    #expect(csvError { _ = try SpreadsheetMLReader(path: path) }?.code == "file.unsupported_format")
  }
}
