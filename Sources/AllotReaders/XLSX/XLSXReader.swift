import AllotCore

/// Reads an Excel `.xlsx` workbook (Office Open XML, transitional or strict).
///
/// The zip is read in place with ZIPFoundation (never extracted to disk, size and ratio capped) and
/// every part is parsed with libxml2's SAX2 push parser, chunk by chunk: a worksheet is streamed row by
/// row, only the shared-strings table is held in memory.
public struct XLSXReader: SheetReader {
  public var format: WorkbookFormat { .xlsx }
  /// The workbook's date system (`date1904` in `workbookPr`).
  public var dateSystem: DateSystem
  /// The file name shown in messages.
  public var fileName: String { archive.displayName }

  private let archive: XLSXArchive
  private let limits: ReaderLimits
  private let sheetList: [(info: SheetInfo, part: String)]
  private let sharedStrings: [String]
  private let dateStyles: [Bool]

  public init(path: String, limits: ReaderLimits = .default) throws(ReaderError) {
    let archive = try XLSXArchive(path: path, limits: limits)
    self.archive = archive
    self.limits = limits
    let name = archive.displayName
    do {
      try Self.rejectOtherFormats(archive)
      let workbookPart = try Self.workbookPart(archive)
      let handler = WorkbookHandler()
      try archive.parse(workbookPart, with: handler)
      dateSystem = handler.date1904 ? .excel1904 : .excel1900
      let rels = try archive.relationships(of: workbookPart)
      var byId: [String: XLSXRelationship] = [:]
      for rel in rels where byId[rel.id] == nil { byId[rel.id] = rel }
      var list: [(SheetInfo, String)] = []
      for (index, sheet) in handler.sheets.enumerated() {
        let part: String
        if let rel = byId[sheet.relationshipId] {
          guard rel.kind == "worksheet", !rel.external else { continue }  // chart, dialog, macro sheets
          part = rel.target
        } else {
          // No relationship: fall back to the conventional location, when it exists.
          let guess = XLSXArchive.folder(of: workbookPart) + "worksheets/sheet\(index + 1).xml"
          guard archive.contains(guess) else { continue }
          part = guess
        }
        let visibility: SheetInfo.Visibility
        switch sheet.state.lowercased() {
        case "hidden": visibility = .hidden
        case "veryhidden": visibility = .veryHidden
        default: visibility = .visible
        }
        list.append((SheetInfo(name: sheet.name, visibility: visibility), part))
      }
      sheetList = list
      if let ssPart = rels.first(where: { $0.kind == "sharedStrings" && !$0.external })?.target
        ?? Self.existing(archive, XLSXArchive.folder(of: workbookPart) + "sharedStrings.xml")
      {
        let ss = SharedStringsHandler(file: name, maxCellBytes: limits.maxCellBytes)
        try archive.parse(ssPart, with: ss)
        sharedStrings = ss.strings
      } else {
        sharedStrings = []
      }
      if let stylesPart = rels.first(where: { $0.kind == "styles" && !$0.external })?.target
        ?? Self.existing(archive, XLSXArchive.folder(of: workbookPart) + "styles.xml")
      {
        let styles = StylesHandler()
        try archive.parse(stylesPart, with: styles)
        dateStyles = styles.dateStyles
      } else {
        dateStyles = []
      }
    } catch let error as ReaderError {
      throw error
    } catch {
      throw XLSXArchive.unreadable("xlsx.invalid", name, "\(error)")
    }
  }

  public func sheets() throws(ReaderError) -> [SheetInfo] {
    sheetList.map(\.info)
  }

  @discardableResult
  public func readRows(of sheet: SheetInfo, _ body: (SheetRow) throws -> Void) throws -> [ReaderWarning] {
    guard let part = sheetList.first(where: { $0.info.name == sheet.name })?.part else {
      throw ReaderError(
        code: "sheet.not_found", file: archive.displayName, sheet: sheet.name,
        message:
          "\(archive.displayName) has no sheet named \"\(sheet.name)\"; its sheets are: \(sheetList.map { "\"\($0.info.name)\"" }.joined(separator: ", "))"
      )
    }
    let handler = XLSXSheetHandler(
      sharedStrings: sharedStrings, dateStyles: dateStyles, dateSystem: dateSystem,
      file: archive.displayName, sheet: sheet.name, limits: limits)
    let parser = try XMLStreamParser(
      handler: handler, file: archive.displayName, part: part, maxDepth: limits.maxXMLDepth)
    try archive.stream(part) { chunk in
      try parser.feed(chunk)
      try Self.drain(handler, body)
    }
    try parser.finish()
    try Self.drain(handler, body)
    return []
  }

  private static func drain(_ handler: XLSXSheetHandler, _ body: (SheetRow) throws -> Void) throws {
    guard !handler.pending.isEmpty else { return }
    let rows = handler.pending
    handler.pending.removeAll(keepingCapacity: true)
    for row in rows { try body(row) }
  }

  private static func existing(_ archive: XLSXArchive, _ path: String) -> String? {
    archive.contains(path) ? path : nil
  }

  /// ODS and XLSB files are zips too: say what they are.
  private static func rejectOtherFormats(_ archive: XLSXArchive) throws(ReaderError) {
    let name = archive.displayName
    if let mime = archive.smallEntry("mimetype", maxBytes: 256) {
      let text = String(decoding: mime, as: UTF8.self)
      if text.hasPrefix("application/vnd.oasis.opendocument.spreadsheet") {
        throw ReaderError(
          code: "file.unsupported_format", file: name,
          message:
            "\(name) is an OpenDocument spreadsheet (.ods); open it in LibreOffice or Excel and save it as .xlsx or .csv"
        )
      }
      if text.hasPrefix("application/vnd.oasis.opendocument") {
        throw ReaderError(
          code: "file.unsupported_format", file: name,
          message: "\(name) is an OpenDocument file, not a spreadsheet allot reads; save it as .xlsx or .csv")
      }
    }
    if archive.contains("xl/workbook.bin") && !archive.contains("xl/workbook.xml") {
      throw ReaderError(
        code: "file.unsupported_format", file: name,
        message: "\(name) is an Excel binary workbook (.xlsb); open it in Excel and save it as .xlsx or .csv")
    }
  }

  /// The workbook part named by the package's officeDocument relationship, else `xl/workbook.xml`.
  private static func workbookPart(_ archive: XLSXArchive) throws -> String {
    let rels = try archive.relationships(of: "")
    if let target = rels.first(where: { $0.kind == "officeDocument" && !$0.external })?.target,
      archive.contains(target)
    {
      if target.hasSuffix(".bin") {
        throw ReaderError(
          code: "file.unsupported_format", file: archive.displayName,
          message:
            "\(archive.displayName) is an Excel binary workbook (.xlsb); open it in Excel and save it as .xlsx or .csv"
        )
      }
      return target
    }
    if archive.contains("xl/workbook.xml") { return "xl/workbook.xml" }
    throw XLSXArchive.unreadable(
      "xlsx.no_workbook", archive.displayName, "it is a zip archive without an Excel workbook inside")
  }
}
