import AllotCore
import AllotReaders
import AllotTestSupport
import Foundation
import Testing

struct WorkbookTests {
  static var corpora: String { TestPaths.corpora }

  @Test(
    .enabled(if: TestPaths.corporaAvailable || TestPaths.isCI),
    arguments: [
      (
        "unsupported/calamine-any_sheets.xls", "file.unsupported_format",
        "legacy Excel 97-2003 workbook (.xls)"
      ),
      ("unsupported/calamine-any_sheets.xlsb", "file.unsupported_format", ".xlsb"),
      ("unsupported/calamine-any_sheets.ods", "file.unsupported_format", ".ods"),
      ("xlsx/calamine-pass_protected.xlsx", "xlsx.encrypted", "password-protected"),
    ])
  func unsupportedFilesGetTheirSpecificError(file: String, code: String, words: String) {
    let error = csvError { _ = try Workbook.open(path: Self.corpora + "/" + file) }
    #expect(error?.code == code, "\(file): \(String(describing: error))")
    #expect(error?.message.contains(words) == true, "\(file): \(String(describing: error?.message))")
    #expect(error?.message.contains(URL(fileURLWithPath: file).lastPathComponent) == true)
  }

  @Test(.enabled(if: TestPaths.corporaAvailable || TestPaths.isCI)) func formatsByContent() throws {
    #expect(try Workbook.open(path: Self.corpora + "/csv/spectrum-simple.csv").format == .csv)
    #expect(try Workbook.open(path: Self.corpora + "/xml2003/sheetjs-1900.xml").format == .xml2003)
    #expect(try Workbook.open(path: Self.corpora + "/xlsx/sheetjs-1900.xlsx").format == .xlsx)
  }

  @Test func emptyMissingAndFolder() {
    #expect(
      csvError { _ = try Workbook.open(path: csvTempFile([], name: "empty.xlsx")) }?.code == "file.empty")
    #expect(csvError { _ = try Workbook.open(path: "/nonexistent/grants.xlsx") }?.code == "file.not_found")
    #expect(csvError { _ = try Workbook.open(path: "/tmp") }?.code == "file.unreadable")
  }

  @Test func sniffingBeatsTheExtension() throws {
    // SpreadsheetML saved with an .xls name is read as SpreadsheetML.
    let xml = smlWorkbook(
      "<Worksheet ss:Name=\"S\"><Table><Row><Cell><Data ss:Type=\"String\">x</Data></Cell></Row></Table></Worksheet>"
    )
    #expect(try Workbook.open(path: csvTempFile(xml, name: "export.xls")).format == .xml2003)
    // A CSV with a .txt name is a CSV.
    #expect(try Workbook.open(path: csvTempFile("a,b\n", name: "export.txt")).format == .csv)
  }

  @Test func clearSentencesForOtherContent() {
    let html = csvTempFile("<!DOCTYPE html><html><body><table></table></body></html>", name: "report.xls")
    #expect(csvError { _ = try Workbook.open(path: html) }?.message.contains("web page") == true)
    let xml = csvTempFile("<?xml version=\"1.0\"?><feed/>", name: "feed.xml")
    #expect(csvError { _ = try Workbook.open(path: xml) }?.code == "file.unsupported_format")
    let fakeXlsx = csvTempFile("this is not a zip", name: "grants.xlsx")
    let error = csvError { _ = try Workbook.open(path: fakeXlsx) }
    #expect(error?.code == "file.unsupported_format")
    #expect(error?.message.contains("grants.xlsx") == true)
    let ods = csvTempFile("garbage", name: "sheet.ods")
    #expect(csvError { _ = try Workbook.open(path: ods) }?.message.contains("OpenDocument") == true)
    let pdf = csvTempFile("%PDF-1.7 ...", name: "grants.csv")
    #expect(csvError { _ = try Workbook.open(path: pdf) }?.message.contains("PDF") == true)
  }

  @Test func encryptedOLE2IsDetected() throws {
    // A minimal OLE2 header followed by a directory entry name in UTF-16LE.
    var bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 600)
    bytes += "EncryptionInfo".utf8.flatMap { [$0, 0] }
    let error = csvError { _ = try Workbook.open(path: csvTempFile(bytes, name: "locked.xlsx")) }
    #expect(error?.code == "xlsx.encrypted")
    #expect(
      error?.message
        == "locked.xlsx is password-protected; remove the password in Excel (File › Info › Protect Workbook) and save it again"
    )
    let legacy = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: UInt8(0), count: 2000)
    let legacyError = csvError { _ = try Workbook.open(path: csvTempFile(legacy, name: "old.xls")) }
    #expect(
      legacyError?.message == "old.xls is a legacy Excel 97-2003 workbook (.xls); save it as .xlsx or .csv")
  }
}
