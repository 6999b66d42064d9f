import AllotCore

/// Opens any spreadsheet file allot reads, choosing the reader by the file's content (then its
/// extension): zip → XLSX, Excel 2003 XML → SpreadsheetML, text → CSV. Everything else gets one clear
/// sentence saying what the file is and what to do.
public enum Workbook {
  /// - Throws: `file.not_found`, `file.unreadable`, `file.empty`, `xlsx.encrypted`,
  ///   `file.unsupported_format`, and the errors of the chosen reader.
  public static func open(path: String, limits: ReaderLimits = .default) throws(ReaderError)
    -> any SheetReader
  {
    let name = FileInput.baseName(path)
    let ext = FileInput.fileExtension(path)
    let head = try FileInput.prefix(path: path, count: 8192)
    if head.isEmpty {
      throw ReaderError(
        code: "file.empty", file: name,
        message: "\(name) is empty (0 bytes); export the spreadsheet again")
    }
    switch Sniff.kind(of: head) {
    case .zip:
      if ext == "numbers" {
        throw ReaderError(
          code: "file.unsupported_format", file: name,
          message:
            "\(name) is an Apple Numbers file; in Numbers choose File › Export To › Excel (or CSV) "
            + "and use that file")
      }
      return try XLSXReader(path: path, limits: limits)
    case .ole2:
      if try Sniff.isEncryptedOffice(path: path) {
        throw ReaderError(
          code: "xlsx.encrypted", file: name,
          message:
            "\(name) is password-protected; remove the password in Excel (File › Info › Protect "
            + "Workbook) and save it again")
      }
      throw ReaderError(
        code: "file.unsupported_format", file: name,
        message: "\(name) is a legacy Excel 97-2003 workbook (.xls); save it as .xlsx or .csv")
    case .spreadsheetML:
      return try SpreadsheetMLReader(path: path, limits: limits)
    case .html:
      throw ReaderError(
        code: "file.unsupported_format", file: name,
        message:
          "\(name) is a web page (HTML), not a spreadsheet; open it in Excel and save it as .xlsx or .csv")
    case .otherXML:
      throw ReaderError(
        code: "file.unsupported_format", file: name,
        message:
          "\(name) is an XML file but not an Excel 2003 XML spreadsheet; save it as .xlsx or .csv")
    case .pdf:
      throw ReaderError(
        code: "file.unsupported_format", file: name,
        message: "\(name) is a PDF document, not a spreadsheet; use the .xlsx or .csv file instead")
    case .other:
      if let format = Sniff.spreadsheetExtensions[ext] {
        throw ReaderError(
          code: "file.unsupported_format", file: name,
          message:
            "\(name) has the .\(ext) extension but is not a valid \(format) file (it may be damaged "
            + "or renamed); open it in a spreadsheet app and save it as .xlsx or .csv")
      }
      return try CSVReader(path: path, limits: limits)
    }
  }
}

/// Format sniffing from the first bytes of a file.
enum Sniff {
  enum Kind: Equatable { case zip, ole2, spreadsheetML, html, otherXML, pdf, other }

  static let spreadsheetExtensions: [String: String] = [
    "xlsx": "Excel workbook (.xlsx)", "xlsm": "Excel workbook (.xlsm)", "xls": "Excel workbook (.xls)",
    "xlsb": "Excel binary workbook (.xlsb)", "ods": "OpenDocument spreadsheet (.ods)",
    "numbers": "Apple Numbers", "zip": "zip",
  ]

  static func kind(of head: [UInt8]) -> Kind {
    if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06])
      || head.starts(with: [0x50, 0x4B, 0x07, 0x08])
    {
      return .zip
    }
    if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .ole2 }
    if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
    var i = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    while i < head.count && (head[i] == 32 || head[i] == 9 || head[i] == 10 || head[i] == 13) { i += 1 }
    guard i < head.count, head[i] == UInt8(ascii: "<") else { return .other }
    return markupKind(Array(head[i...]))
  }

  /// Looks at the first element of XML or HTML text.
  private static func markupKind(_ text: [UInt8]) -> Kind {
    let lower = String(decoding: text.prefix(8192).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    let original = String(decoding: text.prefix(8192), as: UTF8.self)
    if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || lower.hasPrefix("<table") {
      return .html
    }
    // Skip the prolog: <?...?>, <!--...-->, <!DOCTYPE ...>.
    var rest = Substring(original)
    while rest.hasPrefix("<?") || rest.hasPrefix("<!") {
      var terminator = rest.hasPrefix("<!--") ? "-->" : (rest.hasPrefix("<?") ? "?>" : ">")
      if terminator == ">", let bracket = rest.firstIndex(of: "["),
        bracket < (rest.firstIndex(of: ">") ?? rest.endIndex)
      {
        terminator = "]>"  // a DOCTYPE with an internal subset
        rest = rest[bracket...]
      }
      guard let r = rest.firstRange(of: terminator) else { return .otherXML }
      rest = rest[r.upperBound...].drop(while: { $0.isWhitespace })
    }
    guard rest.hasPrefix("<") else { return .otherXML }
    let tagEnd = rest.firstIndex(of: ">") ?? rest.endIndex
    let tag = rest[rest.index(after: rest.startIndex)..<tagEnd]
    let nameEnd = tag.firstIndex(where: { $0.isWhitespace || $0 == "/" }) ?? tag.endIndex
    let qname = tag[..<nameEnd]
    let local = qname.split(separator: ":").last.map(String.init) ?? ""
    if local.lowercased() == "html" { return .html }
    if local == "Workbook" && tag.contains("urn:schemas-microsoft-com:office:spreadsheet") {
      return .spreadsheetML
    }
    return .otherXML
  }

  /// True when an OLE2 compound file holds the `EncryptedPackage` or `EncryptionInfo` stream of an
  /// encrypted Office Open XML file (names stored as UTF-16LE in the directory).
  static func isEncryptedOffice(path: String) throws(ReaderError) -> Bool {
    let patterns: [[UInt8]] = ["EncryptedPackage", "EncryptionInfo"].map { name in
      name.utf8.flatMap { [$0, 0] }
    }
    let input = try FileInput(path: path)
    defer { input.close() }
    let size = 1 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    defer { buffer.deallocate() }
    var window: [UInt8] = []
    let overlap = 64
    while true {
      let n = try input.read(into: buffer)
      if n == 0 { break }
      window.append(contentsOf: buffer[0..<n])
      for p in patterns where contains(window, p) { return true }
      if window.count > overlap { window.removeFirst(window.count - overlap) }
    }
    return false
  }

  private static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
    guard hay.count >= needle.count, let first = needle.first else { return false }
    var i = 0
    let last = hay.count - needle.count
    while i <= last {
      if hay[i] == first && hay[i + 1] == needle[1] {
        var k = 2
        while k < needle.count && hay[i + k] == needle[k] { k += 1 }
        if k == needle.count { return true }
      }
      i += 1
    }
    return false
  }
}
