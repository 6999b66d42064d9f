import Foundation
import ZIPFoundation

/// Builds small `.xlsx` files (or any zip) for reader tests, in a temporary folder.
public enum XLSXFixture {
  /// A fresh temporary file path ending in `name`.
  public static func temporaryPath(_ name: String = "fixture.xlsx") -> String {
    TestScratch.directory("xlsx").appendingPathComponent(name).path
  }

  /// Writes a zip holding `entries` (path, content) in order and returns its path.
  public static func zip(
    _ entries: [(String, String)], name: String = "fixture.xlsx", compress: Bool = true
  ) throws -> String {
    try zipBytes(entries.map { ($0.0, Array($0.1.utf8)) }, name: name, compress: compress)
  }

  /// Writes a zip holding binary `entries` and returns its path.
  public static func zipBytes(
    _ entries: [(String, [UInt8])], name: String = "fixture.xlsx", compress: Bool = true
  ) throws -> String {
    let path = temporaryPath(name)
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for (entryPath, bytes) in entries {
      let data = Data(bytes)
      try archive.addEntry(
        with: entryPath, type: .file, uncompressedSize: Int64(data.count),
        compressionMethod: compress ? .deflate : .none,
        provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }
    return path
  }

  /// A sheet of a generated workbook.
  public struct Sheet {
    public var name: String
    public var xml: String
    public var state: String?
    public init(name: String, xml: String, state: String? = nil) {
      self.name = name
      self.xml = xml
      self.state = state
    }
    /// A worksheet whose `<sheetData>` holds `rows` (raw XML of the `<row>` elements).
    public init(name: String, rows: String, state: String? = nil) {
      self.init(name: name, xml: XLSXFixture.worksheet(rows), state: state)
    }
  }

  public static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
  public static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
  public static let pkgRelNS = "http://schemas.openxmlformats.org/package/2006/relationships"

  public static func worksheet(_ rows: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <worksheet xmlns="\(mainNS)" xmlns:r="\(relNS)"><sheetData>\(rows)</sheetData></worksheet>
    """
  }

  /// The parts of a standard workbook: content types, package and workbook relationships, workbook,
  /// sheets, optional shared strings (each entry is the raw XML inside `<si>`) and styles.
  public static func workbookParts(
    sheets: [Sheet], sharedStrings: [String]? = nil, styles: String? = nil, date1904: Bool = false
  ) -> [(String, String)] {
    var parts: [(String, String)] = []
    parts.append(
      (
        "[Content_Types].xml",
        """
        <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>
        """
      ))
    parts.append(
      (
        "_rels/.rels",
        """
        <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="\(pkgRelNS)">\
        <Relationship Id="rId1" Type="\(relNS)/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """
      ))
    var sheetElements = ""
    var rels = ""
    for (i, sheet) in sheets.enumerated() {
      let state = sheet.state.map { " state=\"\($0)\"" } ?? ""
      sheetElements += "<sheet name=\"\(sheet.name)\" sheetId=\"\(i + 1)\"\(state) r:id=\"rId\(i + 1)\"/>"
      rels +=
        "<Relationship Id=\"rId\(i + 1)\" Type=\"\(relNS)/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
    }
    if sharedStrings != nil {
      rels += "<Relationship Id=\"rIdS\" Type=\"\(relNS)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    }
    if styles != nil {
      rels += "<Relationship Id=\"rIdY\" Type=\"\(relNS)/styles\" Target=\"styles.xml\"/>"
    }
    let pr = date1904 ? "<workbookPr date1904=\"1\"/>" : ""
    parts.append(
      (
        "xl/workbook.xml",
        """
        <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(mainNS)" xmlns:r="\(relNS)">\(pr)<sheets>\(sheetElements)</sheets></workbook>
        """
      ))
    parts.append(
      (
        "xl/_rels/workbook.xml.rels",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"\(pkgRelNS)\">\(rels)</Relationships>"
      ))
    for (i, sheet) in sheets.enumerated() {
      parts.append(("xl/worksheets/sheet\(i + 1).xml", sheet.xml))
    }
    if let sharedStrings {
      let items = sharedStrings.map { "<si>\($0)</si>" }.joined()
      parts.append(
        (
          "xl/sharedStrings.xml",
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"\(mainNS)\" count=\"\(sharedStrings.count)\">\(items)</sst>"
        ))
    }
    if let styles {
      parts.append(("xl/styles.xml", styles))
    }
    return parts
  }

  /// Writes a standard workbook (see `workbookParts`) and returns its path.
  public static func workbook(
    sheets: [Sheet], sharedStrings: [String]? = nil, styles: String? = nil, date1904: Bool = false,
    name: String = "fixture.xlsx"
  ) throws -> String {
    try zip(
      workbookParts(sheets: sheets, sharedStrings: sharedStrings, styles: styles, date1904: date1904),
      name: name)
  }

  /// Escapes text for an XML attribute value or element content.
  public static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  /// A styles part whose `cellXfs` use `numFmtIds` in order, with `customFormats` (id, code).
  public static func styles(numFmtIds: [Int], customFormats: [(Int, String)] = []) -> String {
    let fmts = customFormats.map { "<numFmt numFmtId=\"\($0.0)\" formatCode=\"\(escape($0.1))\"/>" }.joined()
    let xfs = numFmtIds.map { "<xf numFmtId=\"\($0)\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>" }
      .joined()
    return """
      <?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="\(mainNS)"><numFmts count="\(customFormats.count)">\(fmts)</numFmts>\
      <cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="\(numFmtIds.count)">\(xfs)</cellXfs></styleSheet>
      """
  }
}
