import AllotCore

/// Reads an Excel `.xlsx` workbook (Office Open XML, transitional or strict).
///
/// The zip is read in place with ZIPFoundation (never extracted to disk, size and ratio capped) and
/// every part is parsed with libxml2's SAX2 push parser, chunk by chunk: a worksheet is streamed row by
/// row, only the shared-strings table is held in memory. The table is parsed on a second thread while
/// the sheet is read (see `SharedStringsLoader`); a row is handed on once the strings it uses are loaded.
public struct XLSXReader: SheetReader {
  public var format: WorkbookFormat { .xlsx }
  /// The workbook's date system (`date1904` in `workbookPr`).
  public var dateSystem: DateSystem
  /// The file name shown in messages.
  public var fileName: String { archive.displayName }

  private let archive: XLSXArchive
  private let limits: ReaderLimits
  private let sheetList: [(info: SheetInfo, part: String)]
  private let sharedStrings: SharedStringsLoader
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
        guard archive.contains(ssPart) else {
          throw ReaderError(
            code: "xlsx.missing_part", file: name,
            message:
              "\(name) is not a readable .xlsx file (the part \(ssPart) is missing); open it in Excel and save it again as .xlsx or .csv"
          )
        }
        sharedStrings = SharedStringsLoader(archive: archive, part: ssPart, maxCellBytes: limits.maxCellBytes)
      } else {
        sharedStrings = SharedStringsLoader()
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
      sharedStrings: try sharedStrings.current(), dateStyles: dateStyles, dateSystem: dateSystem,
      file: archive.displayName, sheet: sheet.name, limits: limits)
    /// Resolves what the strings loaded since the last call allow and hands on the rows that are ready,
    /// in order. `latest` gives the table, from the number of strings the handler has (it may wait).
    func handOn(_ latest: (Int) throws -> SharedStringTable = { _ in try sharedStrings.current() }) throws {
      if !handler.table.complete {
        let count = handler.table.count
        let table = try latest(count)
        if table.count > count || table.complete { handler.resolve(table) }
        if let failure = handler.failure { throw failure }
      }
      for row in handler.takeRows(handler.readyRows) { try body(row) }
    }
    do {
      try archive.scan(part, with: handler) {
        try handOn()
        // Rows wait for their shared strings (what is left in `pending` waits); a bounded number of
        // them, then the reader waits too.
        while handler.pending.count >= Self.maxRowsWaitingForStrings {
          try handOn { try sharedStrings.waitForMore(than: $0) }
        }
      }
    } catch let error as ReaderError {
      // The error the file would have shown first wins: the shared strings (read before any sheet)
      // or a bad shared-string reference earlier in the sheet.
      if !handler.table.complete {
        handler.resolve(try sharedStrings.waitForAll())
        if let failure = handler.failure { throw failure }
      }
      throw error
    }
    try handOn { _ in try sharedStrings.waitForAll() }
    return []
  }

  /// How many parsed rows may wait for their shared strings before the reader waits for more of them.
  static let maxRowsWaitingForStrings = 8_192

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
