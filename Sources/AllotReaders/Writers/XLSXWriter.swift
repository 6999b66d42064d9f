import Foundation
import ZIPFoundation

/// Writes an `.xlsx` workbook: one or more sheets of text and number cells, a bold style for headers,
/// an error style (light red fill `FFFFC7CE`, dark red font) and cell comments (with the legacy VML
/// drawing Excel needs to show them). Used for `validate --errors-out x.xlsx` and `allot template`.
///
/// Text is always written as an inline string (XML-escaped, control characters removed), never as a
/// formula, so nothing in a cell ever runs. Sheet data streams to a temporary file, so large sheets do
/// not stay in memory; comments are kept until the sheet ends. The file is created with mode 0644.
///
///     let w = try XLSXWriter(path: "errors.xlsx")
///     try w.startSheet(name: "Grants", columnWidths: [14, 38])
///     try w.writeRow([.init("amount", style: .bold), .init("contractId", style: .bold)])
///     try w.writeRow([.init("-5", style: .error, comment: "amount must be positive"), .init("...")])
///     try w.finish()
public final class XLSXWriter {
  public enum Style: Int, Sendable { case plain = 0, bold = 1, error = 2, boldError = 3, wrap = 4 }

  public struct Cell: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
      case empty
      case text(String)
      /// A number given as its decimal text (`-12.5`); written as text when it is not a plain number.
      case number(String)
    }

    public var value: Value
    public var style: Style
    public var comment: String?

    public init(_ value: Value, style: Style = .plain, comment: String? = nil) {
      self.value = value
      self.style = style
      self.comment = comment
    }

    /// A text cell.
    public init(_ text: String, style: Style = .plain, comment: String? = nil) {
      self.init(text.isEmpty ? .empty : .text(text), style: style, comment: comment)
    }
  }

  public let path: String
  private let fileName: String
  private let tempDir: URL
  private var sheets: [SheetPart] = []
  private var current: SheetPart?
  private var finished = false

  private final class SheetPart {
    let name: String
    let url: URL
    let handle: FileHandle
    var buffer: [UInt8] = []
    var rowNumber = 0
    var comments: [(ref: String, row: Int, column: Int, text: String)] = []
    init(name: String, url: URL, handle: FileHandle) {
      self.name = name
      self.url = url
      self.handle = handle
    }
  }

  public init(path: String) throws(ReaderError) {
    self.path = path
    self.fileName = FileInput.baseName(path)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "allot-xlsx-\(UUID().uuidString)", isDirectory: true)
    do {
      try FileManager.default.createDirectory(
        at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw ReaderError(
        code: "output.unwritable", file: fileName,
        message: "cannot create a temporary folder to write \(path): \(error.localizedDescription)")
    }
    self.tempDir = dir
  }

  deinit {
    try? current?.handle.close()
    try? FileManager.default.removeItem(at: tempDir)
  }

  /// Starts a new sheet (ending the previous one). `columnWidths` are in characters, from column A.
  /// With `freezeHeader` the first row stays visible while scrolling.
  public func startSheet(name: String, columnWidths: [Double] = [], freezeHeader: Bool = false)
    throws(ReaderError)
  {
    try endSheet()
    let url = tempDir.appendingPathComponent("sheet\(sheets.count + 1).xml")
    guard FileManager.default.createFile(atPath: url.path, contents: nil),
      let handle = try? FileHandle(forWritingTo: url)
    else {
      throw ReaderError(
        code: "output.unwritable", file: fileName, message: "cannot write a temporary file for \(path)")
    }
    let part = SheetPart(name: Self.sheetName(name, existing: sheets.map(\.name)), url: url, handle: handle)
    var head =
      #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
      + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
      + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
    if freezeHeader {
      head +=
        #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" "#
        + #"activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
    }
    if !columnWidths.isEmpty {
      head += "<cols>"
      for (i, width) in columnWidths.enumerated() {
        let w = min(max(width, 1), 255)
        head += #"<col min="\#(i + 1)" max="\#(i + 1)" width="\#(w)" customWidth="1"/>"#
      }
      head += "</cols>"
    }
    head += "<sheetData>"
    part.buffer.append(contentsOf: head.utf8)
    current = part
  }

  /// Appends a row to the current sheet (row numbers follow one another from 1).
  public func writeRow(_ cells: [Cell]) throws(ReaderError) {
    guard let part = current else {
      throw ReaderError(
        code: "output.unwritable", file: fileName, message: "internal: a row was written before any sheet")
    }
    part.rowNumber += 1
    let r = part.rowNumber
    part.buffer.append(contentsOf: #"<row r="\#(r)">"#.utf8)
    for (column, cell) in cells.enumerated() {
      let ref = ColumnRef.letters(column) + String(r)
      if let comment = cell.comment, !comment.isEmpty {
        part.comments.append((ref, r - 1, column, comment))
      }
      let style = cell.style == .plain ? "" : #" s="\#(cell.style.rawValue)""#
      switch cell.value {
      case .empty:
        if cell.style != .plain || cell.comment != nil {
          part.buffer.append(contentsOf: #"<c r="\#(ref)"\#(style)/>"#.utf8)
        }
      case .number(let text) where CSVWriter.isPlainNumber(text) && text.utf8.count <= 30:
        let v = text.hasPrefix("+") ? String(text.dropFirst()) : text
        part.buffer.append(contentsOf: #"<c r="\#(ref)"\#(style)><v>\#(v)</v></c>"#.utf8)
      case .number(let text), .text(let text):
        part.buffer.append(
          contentsOf: #"<c r="\#(ref)"\#(style) t="inlineStr"><is><t xml:space="preserve">"#.utf8)
        XMLEscape.append(text, to: &part.buffer)
        part.buffer.append(contentsOf: "</t></is></c>".utf8)
      }
    }
    part.buffer.append(contentsOf: "</row>".utf8)
    if part.buffer.count >= 1 << 16 { try flush(part) }
  }

  /// Ends the last sheet and writes the workbook.
  public func finish() throws(ReaderError) {
    guard !finished else { return }
    try endSheet()
    if sheets.isEmpty { try startSheet(name: "Sheet1") }
    try endSheet()
    finished = true
    do {
      try writeArchive()
    } catch let error as ReaderError {
      throw error
    } catch {
      try? FileManager.default.removeItem(atPath: path)
      throw ReaderError(
        code: "output.unwritable", file: fileName,
        message: "cannot write \(path): \(error.localizedDescription)")
    }
  }

  // MARK: - Parts

  private func endSheet() throws(ReaderError) {
    guard let part = current else { return }
    current = nil
    part.buffer.append(contentsOf: "</sheetData>".utf8)
    if !part.comments.isEmpty {
      part.buffer.append(contentsOf: #"<legacyDrawing r:id="rId2"/>"#.utf8)
    }
    part.buffer.append(contentsOf: "</worksheet>".utf8)
    try flush(part)
    try? part.handle.close()
    sheets.append(part)
  }

  private func flush(_ part: SheetPart) throws(ReaderError) {
    do {
      try part.handle.write(contentsOf: Data(part.buffer))
    } catch {
      throw ReaderError(
        code: "output.unwritable", file: fileName,
        message: "cannot write a temporary file for \(path): \(error.localizedDescription)")
    }
    part.buffer.removeAll(keepingCapacity: true)
  }

  private func writeArchive() throws {
    let url = URL(fileURLWithPath: path)
    if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(at: url) }
    let archive = try Archive(url: url, accessMode: .create)
    func add(_ name: String, _ text: String) throws {
      let data = Data(text.utf8)
      try archive.addEntry(
        with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
        provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }
    try add("[Content_Types].xml", XLSXParts.contentTypes(sheets: sheets.count, commented: commentedSheets))
    try add("_rels/.rels", XLSXParts.rootRels)
    try add("docProps/app.xml", XLSXParts.app)
    try add("xl/workbook.xml", XLSXParts.workbook(names: sheets.map(\.name)))
    try add("xl/_rels/workbook.xml.rels", XLSXParts.workbookRels(sheets: sheets.count))
    try add("xl/styles.xml", XLSXParts.styles)
    var nextBlock = 1
    for (index, part) in sheets.enumerated() {
      let n = index + 1
      try archive.addEntry(
        with: "xl/worksheets/sheet\(n).xml", fileURL: part.url, compressionMethod: .deflate)
      if !part.comments.isEmpty {
        try add("xl/worksheets/_rels/sheet\(n).xml.rels", XLSXParts.sheetRels(n))
        try add("xl/comments\(n).xml", XLSXParts.comments(part.comments.map { ($0.ref, $0.text) }))
        let (vml, next) = XLSXParts.vml(
          firstBlock: nextBlock, cells: part.comments.map { ($0.row, $0.column) })
        nextBlock = next
        try add("xl/drawings/vmlDrawing\(n).vml", vml)
      }
    }
    _ = chmod(path, 0o644)
  }

  private var commentedSheets: [Int] {
    sheets.enumerated().filter { !$0.element.comments.isEmpty }.map { $0.offset + 1 }
  }

  /// Excel sheet names: at most 31 characters, none of `[]:*?/\`, unique.
  static func sheetName(_ name: String, existing: [String]) -> String {
    var clean = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
    if clean.isEmpty { clean = "Sheet\(existing.count + 1)" }
    var candidate = clean
    var k = 2
    while existing.contains(where: { $0.lowercased() == candidate.lowercased() }) {
      candidate = String(clean.prefix(28)) + " \(k)"
      k += 1
    }
    return candidate
  }
}

/// Column letters for cell references (0 → A).
enum ColumnRef {
  static func letters(_ index: Int) -> String {
    var n = index + 1
    var out: [UInt8] = []
    while n > 0 {
      let r = (n - 1) % 26
      out.append(UInt8(65 + r))
      n = (n - 1) / 26
    }
    return String(decoding: out.reversed(), as: UTF8.self)
  }
}

/// XML text escaping for generated parts.
enum XMLEscape {
  /// Appends `text` escaped for element content or attribute values. Characters XML 1.0 forbids
  /// (control characters other than tab, LF, CR) are dropped.
  static func append(_ text: String, to out: inout [UInt8]) {
    for u in text.utf8 {
      switch u {
      case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
      case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
      case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
      case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
      case 9, 10: out.append(u)
      case 13: out.append(contentsOf: "&#13;".utf8)
      case 0..<32: break
      default: out.append(u)
      }
    }
  }

  static func escape(_ text: String) -> String {
    var out: [UInt8] = []
    append(text, to: &out)
    return String(decoding: out, as: UTF8.self)
  }
}
