import AllotCore
import AllotReaders
import AllotTestSupport
import Foundation
import Testing

@Suite struct XLSXReaderErrorTests {
  private func write(_ bytes: [UInt8], name: String = "bad.xlsx") throws -> String {
    let path = XLSXFixture.temporaryPath(name)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  private func openError(_ path: String, limits: ReaderLimits = .default) -> ReaderError? {
    readerError { _ = try XLSXReader(path: path, limits: limits) }
  }

  private func readError(_ path: String, limits: ReaderLimits = .default) -> ReaderError? {
    readerError { _ = try xlsxRows(path, limits: limits) }
  }

  @Test func notAZip() throws {
    let error = openError(try write(Array("name,amount\nx,1\n".utf8)))
    #expect(error?.code == "zip.invalid")
    #expect(error?.message.contains("is not a readable .xlsx file") == true)
    #expect(error?.message.contains("save it again as .xlsx or .csv") == true)
  }

  @Test func ole2FileSaysWhatItIs() throws {
    let error = openError(
      try write([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)))
    #expect(error?.code == "zip.invalid")
    #expect(error?.message.contains("password-protected") == true)
  }

  @Test func emptyFileAndEmptyZip() throws {
    #expect(openError(try write([]))?.code == "file.empty")
    #expect(
      openError(try write([0x50, 0x4B, 0x05, 0x06] + Array(repeating: 0, count: 18)))?.code
        == "xlsx.empty_zip")
  }

  @Test func missingFile() {
    #expect(openError("/nonexistent/none.xlsx")?.code == "file.not_found")
  }

  @Test func truncatedZip() throws {
    let path = try XLSXFixture.workbook(sheets: [.init(name: "S", rows: "<row><c><v>1</v></c></row>")])
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let error = openError(try write(Array(bytes.prefix(bytes.count / 2))))
    #expect(error?.code == "zip.truncated")
  }

  @Test func odsAndXlsbAreNamed() throws {
    let ods = try XLSXFixture.zip(
      [("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")],
      name: "a.ods",
      compress: false)
    let odsError = openError(ods)
    #expect(odsError?.code == "file.unsupported_format")
    #expect(odsError?.message.contains("OpenDocument spreadsheet (.ods)") == true)
    let xlsb = try XLSXFixture.zip([
      (
        "_rels/.rels",
        "<Relationships xmlns=\"\(XLSXFixture.pkgRelNS)\"><Relationship Id=\"r\" Type=\"\(XLSXFixture.relNS)/officeDocument\" Target=\"xl/workbook.bin\"/></Relationships>"
      ), ("xl/workbook.bin", "binary"),
    ])
    let xlsbError = openError(xlsb)
    #expect(xlsbError?.code == "file.unsupported_format")
    #expect(xlsbError?.message.contains("Excel binary workbook (.xlsb)") == true)
  }

  @Test func zipWithoutWorkbook() throws {
    let path = try XLSXFixture.zip([("readme.txt", "hello")])
    #expect(openError(path)?.code == "xlsx.no_workbook")
  }

  @Test func malformedSheetXMLNamesThePart() throws {
    let path = try XLSXFixture.workbook(sheets: [
      .init(name: "S", xml: "<worksheet><sheetData><row><c><v>1</v></row>")
    ])
    let error = readError(path)
    #expect(error?.code == "xml.malformed")
    #expect(error?.message.contains("xl/worksheets/sheet1.xml") == true)
  }

  @Test func doctypeAndEntitiesAreRefused() throws {
    let laughs = """
      <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\
      <!ENTITY ext SYSTEM "file:///etc/passwd">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&lol2;&ext;</t></is></c></row></sheetData></worksheet>
      """
    let path = try XLSXFixture.workbook(sheets: [.init(name: "S", xml: laughs)])
    #expect(readError(path)?.code == "xml.dtd_not_allowed")
    let undeclared = try XLSXFixture.workbook(sheets: [
      .init(name: "S", rows: "<row><c t=\"inlineStr\"><is><t>&nope;</t></is></c></row>")
    ])
    #expect(readError(undeclared)?.code == "xml.malformed")
  }

  @Test func depthCellsAndCellSizeLimits() throws {
    var limits = ReaderLimits()
    limits.maxXMLDepth = 10
    let deep = String(repeating: "<x>", count: 20) + String(repeating: "</x>", count: 20)
    let deepPath = try XLSXFixture.workbook(sheets: [
      .init(name: "S", rows: "<row><c><v>1</v></c></row>\(deep)")
    ])
    #expect(readError(deepPath, limits: limits)?.code == "xml.too_deep")

    limits = ReaderLimits()
    limits.maxCellsPerRow = 3
    let wide = try XLSXFixture.workbook(sheets: [
      .init(name: "S", rows: "<row r=\"2\"><c r=\"D2\"><v>1</v></c></row>")
    ])
    let wideError = readError(wide, limits: limits)
    #expect(wideError?.code == "row.too_many_cells")
    #expect(wideError?.row == 2)

    limits = ReaderLimits()
    limits.maxCellBytes = 10
    let big = try XLSXFixture.workbook(sheets: [
      .init(
        name: "S",
        rows: "<row><c t=\"inlineStr\"><is><t>\(String(repeating: "a", count: 50))</t></is></c></row>")
    ])
    #expect(readError(big, limits: limits)?.code == "cell.too_large")
  }

  @Test func badSharedStringIndex() throws {
    let path = try XLSXFixture.workbook(
      sheets: [.init(name: "S", rows: "<row><c r=\"A1\" t=\"s\"><v>5</v></c></row>")],
      sharedStrings: ["<t>a</t>"])
    let error = readError(path)
    #expect(error?.code == "xlsx.bad_shared_string")
    #expect(error?.column == "A")
  }

  @Test func uncompressedSizeCap() throws {
    var limits = ReaderLimits()
    limits.maxUncompressedBytes = 1_000
    let rows = String(repeating: "<row><c><v>1</v></c></row>", count: 200)
    let path = try XLSXFixture.workbook(sheets: [.init(name: "S", rows: rows)])
    #expect(readError(path, limits: limits)?.code == "zip.too_large")
  }

  @Test func compressionRatioCapBeforeInflating() throws {
    let rows = String(repeating: "<row/>", count: 1_000_000)
    let path = try XLSXFixture.workbook(sheets: [.init(name: "S", rows: rows)])
    #expect(readError(path)?.code == "zip.ratio_exceeded")
  }

  /// A zip bomb that lies about its sizes in the zip directory is still stopped while inflating.
  @Test func compressionRatioCapWhileInflating() throws {
    let rows = String(repeating: "<row/>", count: 1_000_000)
    let path = try XLSXFixture.workbook(sheets: [.init(name: "S", rows: rows)])
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let declared = UInt32(rows.utf8.count + XLSXFixture.worksheet("").utf8.count)
    // Rewrite every uncompressed-size field equal to the sheet's real size to a small lie.
    func le(_ i: Int) -> UInt32 {
      UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
    }
    var patched = 0
    for i in 0..<(bytes.count - 30) where bytes[i] == 0x50 && bytes[i + 1] == 0x4B {
      let field: Int
      if bytes[i + 2] == 0x01 && bytes[i + 3] == 0x02 {
        field = i + 24
      } else if bytes[i + 2] == 0x03 && bytes[i + 3] == 0x04 {
        field = i + 22
      } else {
        continue
      }
      if le(field) == declared {
        bytes.replaceSubrange(field..<(field + 4), with: [0xE8, 0x03, 0, 0])
        patched += 1
      }
    }
    #expect(patched >= 1)
    let lying = try write(bytes)
    #expect(readError(lying)?.code == "zip.ratio_exceeded")
  }
}
