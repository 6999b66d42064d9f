import AllotCore
import AllotReaders
import AllotTestSupport
import Foundation
import Testing

/// Every XLSX file of the shared corpus is read correctly or refused with its specific error, and what
/// is read matches python-calamine cell by cell (differences listed in `expectedFromCalamine`).
@Suite(
  .enabled(if: TestPaths.corporaAvailable || TestPaths.isCI, "corpora folder missing (set ALLOT_CORPORA)"))
struct XLSXCorpusTests {
  /// Files that must be refused, with the error code.
  static let refused: [String: String] = [
    "xlsx/calamine-pass_protected.xlsx": "zip.invalid",  // OLE2 (encrypted); Workbook.open names it
    "xlsx/edr-EmptyZipFile.xlsx": "xlsx.no_workbook",  // a zip holding only test.txt
    "unsupported/calamine-any_sheets.xls": "zip.invalid",  // OLE2 .xls; Workbook.open names it
    "unsupported/calamine-any_sheets.xlsb": "file.unsupported_format",
    "unsupported/calamine-any_sheets.ods": "file.unsupported_format",
  ]

  static var files: [String] {
    var out: [String] = []
    for folder in ["xlsx", "unsupported"] {
      let dir = TestPaths.corpora + "/" + folder
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
      out += names.filter {
        $0.hasSuffix(".xlsx") || $0.hasSuffix(".xlsb") || $0.hasSuffix(".ods") || $0.hasSuffix(".xls")
      }
      .map { folder + "/" + $0 }
    }
    return out.sorted()
  }

  static let calamineAvailable: Bool = {
    (try? runBlocking(["python3", "-c", "import python_calamine"]))?.status == 0
  }()

  @Test func corpusIsPresent() throws {
    try #require(TestPaths.corporaAvailable, "corpora missing at \(TestPaths.corpora) while CI is set")
    #expect(Self.files.count >= 50)
  }

  @Test(arguments: files)
  func readsOrRefuses(_ file: String) throws {
    let path = TestPaths.corpora + "/" + file
    if let code = Self.refused[file] {
      let error = readerError { _ = try readWorkbook(path) }
      #expect(error?.code == code, "\(file)")
      #expect(error?.message.isEmpty == false)
      return
    }
    let book = try readWorkbook(path)
    #expect(!book.isEmpty, "\(file) has no sheets")
  }

  @Test(.enabled(if: calamineAvailable || TestPaths.isCI, "python-calamine not installed"), arguments: files)
  func matchesCalamine(_ file: String) async throws {
    guard Self.refused[file] == nil else { return }
    let path = TestPaths.corpora + "/" + file
    let expected = try await Self.calamine(path)
    let ours = try readWorkbook(path)
    let visible = ours.filter { $0.info.visibility == .visible }
    #expect(visible.map(\.info.name) == expected.map(\.name), "\(file): visible sheets")
    for (sheet, theirs) in zip(visible, expected) {
      var mine: [Int: [Cell]] = [:]
      for row in sheet.rows {
        // Difference 1: calamine gives error cells (#N/A, #DIV/0!) as empty; we keep the error text.
        let cells = row.cells.map { $0.kind == .error ? Cell.empty : $0 }
        if !SheetRow(rowNumber: row.rowNumber, cells: cells).isBlank { mine[row.rowNumber] = cells }
      }
      #expect(Set(mine.keys) == Set(theirs.rows.keys), "\(file) [\(sheet.info.name)]: row numbers")
      for (rowNumber, theirCells) in theirs.rows.sorted(by: { $0.key < $1.key }) {
        let myCells = mine[rowNumber] ?? []
        let width = max(myCells.count, theirCells.count)
        for column in 0..<width {
          let mineCell = column < myCells.count ? myCells[column] : .empty
          let their = column < theirCells.count ? theirCells[column] : ("", "")
          let place = "\(file) [\(sheet.info.name)] \(ColumnName.letters(column))\(rowNumber)"
          #expect(Self.agree(mineCell, their), "\(place): ours \(mineCell) vs calamine \(their)")
        }
      }
    }
  }

  @Test func errorCellsAreKeptAsWritten() throws {
    let path = TestPaths.corpora + "/xlsx/calamine-errors.xlsx"
    let rows = try xlsxCells(path)
    #expect(rows.keys.sorted() == Array(1...7))
    #expect(rows.values.allSatisfy { $0.first?.kind == .error })
    #expect(rows[1]?.first?.text == "#DIV/0!")
    #expect(rows[7]?.first?.text == "#N/A")
  }

  @Test func hiddenSheetsAreFlagged() throws {
    let reader = try XLSXReader(path: TestPaths.corpora + "/xlsx/calamine-any_sheets.xlsx")
    let sheets = try reader.sheets()
    // The chart sheet holds no cells and is not listed.
    #expect(sheets.map(\.name) == ["Visible", "Hidden", "VeryHidden"])
    #expect(sheets.map(\.visibility) == [.visible, .hidden, .veryHidden])
  }

  @Test func dateSystems() throws {
    #expect(
      try XLSXReader(path: TestPaths.corpora + "/xlsx/calamine-date_1904.xlsx").dateSystem == .excel1904)
    #expect(try XLSXReader(path: TestPaths.corpora + "/xlsx/sheetjs-1900.xlsx").dateSystem == .excel1900)
    #expect(try xlsxRows(TestPaths.corpora + "/xlsx/calamine-date_1904.xlsx")[1]?.first == "2021-01-01")
  }

  // MARK: - Comparison rules

  /// Whether our cell agrees with calamine's (type, text), allowing only the documented differences.
  static func agree(_ mine: Cell, _ their: (String, String)) -> Bool {
    let (type, text) = their
    switch type {
    case "":
      return mine.isEmpty
    case "s", "i", "b":
      return mine.text == text
    case "f":
      // Difference 2: we render numbers as Excel's General format (15 significant digits, plain
      // notation) from the stored decimal text; calamine gives the binary double.
      // The stored text and calamine's shortest repr of the same double can round differently at the
      // 15th digit (stored 884.95575221238948 → 884.955752212389, repr 884.9557522123895 would
      // double-round to 884.95575221239): then the two must be the same double and our text the
      // rounding of the stored text.
      guard mine.kind == .number else { return false }
      if mine.text == ExcelGeneralFormat.display(text) { return true }
      let stored = mine.raw ?? mine.text
      return Double(stored) == Double(text) && ExcelGeneralFormat.display(stored) == mine.text
    case "date":
      return mine.kind == .date && mine.text == text
    case "datetime":
      // Difference 3: dates are ISO text rounded to the second, midnight shown as the date alone.
      var t = text
      if let dot = t.firstIndex(of: ".") { t = String(t[..<dot]) }
      if t.hasSuffix("T00:00:00") { t = String(t.dropLast(9)) }
      return mine.kind == .date && mine.text == t
    case "time":
      // Difference 4: a time of day alone is a numeric serial below 1 shown on calamine's day 0
      // (1899-12-31T10:10:10) or, for an ISO `t="d"` cell, the text as written (10:10:10).
      return mine.text == text || mine.text == "1899-12-31T" + text
    case "timedelta":
      // Difference 5: durations (`[h]:mm:ss` formats) are shown as the date-time of their serial;
      // calamine gives a Python timedelta.
      return mine.kind == .date
    default:
      return false
    }
  }

  struct CalamineSheet {
    var name: String
    var rows: [Int: [(String, String)]]
  }

  static func calamine(_ path: String) async throws -> [CalamineSheet] {
    let result = try await run(["python3", TestPaths.packageRoot + "/scripts/calamine_dump.py", path])
    try #require(result.status == 0, "calamine_dump failed: \(result.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let sheets = try #require(json["sheets"] as? [[String: Any]])
    return try sheets.map { sheet in
      var rows: [Int: [(String, String)]] = [:]
      for row in try #require(sheet["rows"] as? [[String: Any]]) {
        let number = try #require(row["row"] as? Int)
        let cells = try #require(row["cells"] as? [[String]])
        rows[number] = cells.map { ($0[0], $0[1]) }
      }
      return CalamineSheet(name: try #require(sheet["name"] as? String), rows: rows)
    }
  }

  /// ``runBlocking(_:)`` on a thread of its own, off the cooperative pool.
  static func run(_ arguments: [String]) async throws -> (status: Int32, stdout: Data, stderr: String) {
    try await offPool { try runBlocking(arguments) }
  }

  /// Runs `arguments` through `env`; stderr goes to a file so that neither pipe can fill up and stall it.
  static func runBlocking(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let out = Pipe()
    let errURL = FileManager.default.temporaryDirectory.appendingPathComponent(
      "allot-calamine-err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errURL) }
    let err = try FileHandle(forWritingTo: errURL)
    defer { try? err.close() }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errData = (try? Data(contentsOf: errURL)) ?? Data()
    return (process.terminationStatus, data, String(decoding: errData, as: UTF8.self))
  }
}

struct ReadSheet {
  var info: SheetInfo
  var rows: [SheetRow]
}

/// Every sheet of an XLSX file with all its rows.
func readWorkbook(_ path: String) throws -> [ReadSheet] {
  let reader = try XLSXReader(path: path)
  return try reader.sheets().map { info in
    var rows: [SheetRow] = []
    try reader.readRows(of: info) { rows.append($0) }
    return ReadSheet(info: info, rows: rows)
  }
}
