import AllotCore
import CLibXML2

/// Reads Excel 2003 XML spreadsheets (SpreadsheetML, namespace
/// `urn:schemas-microsoft-com:office:spreadsheet`), streaming with libxml2's SAX2 push parser.
///
/// - `ss:Index` on rows and cells skips to that row or column; `ss:MergeAcross` keeps the value in
///   the first cell of the merged range (as Excel stores it).
/// - `Data ss:Type`: `Number` → General-format display (`Cell.number`, raw text kept), `DateTime` →
///   `Cell(kind: .date)` with `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ss`, `Boolean` → `TRUE`/`FALSE`,
///   `Error` → as written, `String` → exact text, rich-text children (`html:Font`, `B`, `I`, ...)
///   concatenated. Comments (`<Comment>`) are ignored.
/// - A `Number` cell whose style has a date number format is converted with the workbook's date
///   system (`Date1904` in `ExcelWorkbook`).
/// - Hidden sheets (`x:Visible` `SheetHidden` / `SheetVeryHidden` in `WorksheetOptions`) are flagged.
///
/// Opening the reader parses the file once to list the sheets (the visibility comes after the
/// table); `readRows` parses it again for the rows.
public struct SpreadsheetMLReader: SheetReader {
  public let path: String
  public let limits: ReaderLimits
  public let fileName: String
  /// True when the workbook uses the 1904 date system.
  public let date1904: Bool
  private let sheetList: [SheetInfo]
  private let dateStyles: Set<String>

  /// - Throws: `file.not_found`, `file.unreadable`, `xml.malformed`, `xml.too_deep`, `xml.entities`,
  ///   `file.unsupported_format` (XML that is not a SpreadsheetML workbook).
  public init(path: String, limits: ReaderLimits = .default) throws(ReaderError) {
    self.path = path
    self.limits = limits
    self.fileName = FileInput.baseName(path)
    let handler = SpreadsheetMLHandler(fileName: fileName, limits: limits, target: nil)
    do {
      try SpreadsheetMLParser.parse(path: path, handler: handler)
    } catch let error as ReaderError {
      throw error
    } catch {
      throw ReaderError(code: "file.unreadable", file: fileName, message: "\(error)")
    }
    if !handler.sawWorkbook {
      throw ReaderError(
        code: "file.unsupported_format", file: fileName,
        message:
          "\(fileName) is an XML file but not an Excel 2003 XML spreadsheet; save it as .xlsx or .csv")
    }
    self.sheetList = handler.sheets
    self.date1904 = handler.date1904
    self.dateStyles = handler.dateStyles
  }

  public var format: WorkbookFormat { .xml2003 }

  public func sheets() throws(ReaderError) -> [SheetInfo] { sheetList }

  @discardableResult
  public func readRows(of sheet: SheetInfo, _ body: (SheetRow) throws -> Void) throws
    -> [ReaderWarning]
  {
    guard let index = sheetList.firstIndex(where: { $0.name == sheet.name }) else {
      throw ReaderError(
        code: "sheet.not_found", file: fileName, sheet: sheet.name,
        message:
          "no sheet named \"\(sheet.name)\"; the sheets are: "
          + sheetList.map { "\"\($0.name)\"" }.joined(separator: ", "))
    }
    let handler = SpreadsheetMLHandler(fileName: fileName, limits: limits, target: index)
    handler.dateStyles = dateStyles
    handler.system = date1904 ? .excel1904 : .excel1900
    handler.sheetName = sheet.name
    try withoutActuallyEscaping(body) { escapable in
      handler.body = escapable
      defer { handler.body = nil }
      try SpreadsheetMLParser.parse(path: path, handler: handler)
    }
    return []
  }
}

/// The SAX state of one pass over a SpreadsheetML file.
final class SpreadsheetMLHandler: SpreadsheetMLSAXHandler {
  /// Index of the worksheet whose rows are wanted; nil for the outline pass.
  let target: Int?
  var body: ((SheetRow) throws -> Void)?
  var sheetName: String?

  // Outline.
  var sawWorkbook = false
  var sheets: [SheetInfo] = []
  var date1904 = false
  var dateStyles: Set<String> = []
  var system: DateSystem = .excel1900

  private var sheetIndex = -1
  private var inExcelWorkbook = false
  private var inWorksheetOptions = false
  private var styleID: String?
  private var collecting = false
  private var collected: [UInt8] = []

  // Rows.
  private var inTarget = false
  private var inTable = false
  private var rowNumber = 0
  private var inRow = false
  private var cells: [Cell] = []
  private var lastNonEmpty = -1
  private var nextColumn = 0
  private var cellColumn = 0
  private var cellMerge = 0
  private var cellStyle: String?
  private var inCell = false
  private var commentDepth = 0
  private var dataDepth = 0
  private var dataType = ""

  init(fileName: String, limits: ReaderLimits, target: Int?) {
    self.target = target
    super.init(fileName: fileName, limits: limits)
  }

  override func startElement(
    local: UnsafePointer<xmlChar>, uri: UnsafePointer<xmlChar>?, attributes: SpreadsheetMLAttributes
  ) {
    if dataDepth > 0 { return }  // rich-text children of <Data>
    let ss = SpreadsheetMLName.equals(uri, SpreadsheetMLName.spreadsheet)
    let x = SpreadsheetMLName.equals(uri, SpreadsheetMLName.excel)
    if depth == 1 {
      sawWorkbook = ss && SpreadsheetMLName.equals(local, "Workbook")
      return
    }
    if ss {
      if SpreadsheetMLName.equals(local, "Worksheet") {
        sheetIndex += 1
        let name = attributes.value("Name") ?? "Sheet\(sheetIndex + 1)"
        if target == nil { sheets.append(SheetInfo(name: name)) }
        inTarget = sheetIndex == target
      } else if SpreadsheetMLName.equals(local, "Table") {
        inTable = inTarget
        rowNumber = 0
      } else if inTable && SpreadsheetMLName.equals(local, "Row") {
        startRow(attributes)
      } else if inRow && SpreadsheetMLName.equals(local, "Cell") {
        startCell(attributes)
      } else if inCell && SpreadsheetMLName.equals(local, "Comment") {
        commentDepth = depth
      } else if inCell && commentDepth == 0 && SpreadsheetMLName.equals(local, "Data") {
        dataDepth = depth
        dataType = attributes.value("Type") ?? "String"
        collected.removeAll(keepingCapacity: true)
      } else if target == nil && SpreadsheetMLName.equals(local, "Style") {
        styleID = attributes.value("ID")
      } else if target == nil, let id = styleID, SpreadsheetMLName.equals(local, "NumberFormat") {
        if let format = attributes.value("Format"), SpreadsheetMLDates.isDateFormat(format) {
          dateStyles.insert(id)
        }
      }
    } else if x && target == nil {
      if SpreadsheetMLName.equals(local, "ExcelWorkbook") {
        inExcelWorkbook = true
      } else if inExcelWorkbook && SpreadsheetMLName.equals(local, "Date1904") {
        date1904 = true
      } else if SpreadsheetMLName.equals(local, "WorksheetOptions") {
        inWorksheetOptions = sheetIndex >= 0
      } else if inWorksheetOptions && SpreadsheetMLName.equals(local, "Visible") {
        collecting = true
        collected.removeAll(keepingCapacity: true)
      }
    }
  }

  override func endElement(local: UnsafePointer<xmlChar>, uri: UnsafePointer<xmlChar>?) {
    if dataDepth > 0 {
      if depth == dataDepth {
        dataDepth = 0
        endData()
      }
      return
    }
    if commentDepth > 0 {
      if depth == commentDepth { commentDepth = 0 }
      return
    }
    let ss = SpreadsheetMLName.equals(uri, SpreadsheetMLName.spreadsheet)
    if ss {
      if inCell && SpreadsheetMLName.equals(local, "Cell") {
        inCell = false
        nextColumn = cellColumn + 1 + cellMerge
      } else if inRow && SpreadsheetMLName.equals(local, "Row") {
        endRow()
      } else if SpreadsheetMLName.equals(local, "Table") {
        inTable = false
      } else if SpreadsheetMLName.equals(local, "Worksheet") {
        inTarget = false
      } else if SpreadsheetMLName.equals(local, "Style") {
        styleID = nil
      }
    } else if SpreadsheetMLName.equals(uri, SpreadsheetMLName.excel) && target == nil {
      if SpreadsheetMLName.equals(local, "ExcelWorkbook") {
        inExcelWorkbook = false
      } else if SpreadsheetMLName.equals(local, "WorksheetOptions") {
        inWorksheetOptions = false
      } else if collecting && SpreadsheetMLName.equals(local, "Visible") {
        collecting = false
        let value = String(decoding: collected, as: UTF8.self)
        if sheetIndex >= 0 && sheetIndex < sheets.count {
          switch value.trimmingSpaces {
          case "SheetHidden": sheets[sheetIndex].visibility = .hidden
          case "SheetVeryHidden": sheets[sheetIndex].visibility = .veryHidden
          default: break
          }
        }
      }
    }
  }

  override func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard dataDepth > 0 || collecting else { return }
    if collected.count + bytes.count > limits.maxCellBytes {
      fail(
        ReaderError(
          code: "cell.too_large", file: fileName, sheet: sheetName, row: rowNumber,
          column: ColumnName.letters(cellColumn),
          message: "a cell is \(limits.cellSizeHint)"))
      return
    }
    collected.append(contentsOf: bytes)
  }

  // MARK: - Rows and cells

  private func startRow(_ attributes: SpreadsheetMLAttributes) {
    if let index = attributes.value("Index").flatMap({ Int($0) }), index > 0 {
      rowNumber = index
    } else {
      rowNumber += 1
    }
    inRow = true
    nextColumn = 0
    cells.removeAll(keepingCapacity: true)
    lastNonEmpty = -1
  }

  private func startCell(_ attributes: SpreadsheetMLAttributes) {
    var column = nextColumn
    if let index = attributes.value("Index").flatMap({ Int($0) }), index > 0 {
      column = index - 1
    }
    guard column < limits.maxCellsPerRow else {
      fail(
        ReaderError(
          code: "row.too_many_cells", file: fileName, sheet: sheetName, row: rowNumber,
          message: "the row has more cells than allot reads, \(limits.cellsPerRowHint)"))
      return
    }
    cellColumn = column
    cellMerge = min(max(0, attributes.value("MergeAcross").flatMap { Int($0) } ?? 0), limits.maxCellsPerRow)
    cellStyle = attributes.value("StyleID")
    inCell = true
  }

  private func endData() {
    guard inRow && target != nil else { return }
    let text = String(decoding: collected, as: UTF8.self)
    let cell = SpreadsheetMLDates.cell(
      type: dataType, text: text, isDateStyle: cellStyle.map { dateStyles.contains($0) } ?? false,
      system: system)
    if cell.isEmpty { return }
    while cells.count < cellColumn { cells.append(.empty) }
    if cells.count == cellColumn {
      cells.append(cell)
    } else {
      cells[cellColumn] = cell
    }
    lastNonEmpty = max(lastNonEmpty, cellColumn)
  }

  private func endRow() {
    inRow = false
    guard lastNonEmpty >= 0, let body else { return }
    if cells.count > lastNonEmpty + 1 { cells.removeSubrange((lastNonEmpty + 1)...) }
    do {
      try body(SheetRow(rowNumber: rowNumber, cells: cells))
    } catch {
      fail(error)
    }
  }
}

extension String {
  fileprivate var trimmingSpaces: String {
    var s = Substring(self)
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return String(s)
  }
}
