/// One relationship of a `.rels` part.
struct XLSXRelationship {
  var id: String
  var type: String
  var target: String
  var external: Bool

  /// The last segment of the type URI (`officeDocument`, `worksheet`, `sharedStrings`, `styles`);
  /// works for transitional (`http://schemas.openxmlformats.org/...`) and strict ISO
  /// (`http://purl.oclc.org/ooxml/...`) relationship types alike.
  var kind: Substring { type.split(separator: "/").last ?? "" }
}

extension XLSXArchive {
  /// Parses the XML part `path` with `handler`, streaming it.
  func parse(_ path: String, with handler: some XMLEventHandler) throws {
    let parser = try XMLStreamParser(
      handler: handler, file: displayName, part: path, maxDepth: limits.maxXMLDepth)
    try stream(path) { chunk in try parser.feed(chunk) }
    try parser.finish()
  }

  /// Parses a big part (a worksheet or the shared strings) with `XMLPartScanner`, or with libxml2
  /// when `limits.libxml2Only` is set; `afterChunk` runs after each chunk.
  func scan(_ path: String, with handler: some XMLEventHandler, afterChunk: () throws -> Void = {}) throws {
    if limits.libxml2Only {
      let parser = try XMLStreamParser(
        handler: handler, file: displayName, part: path, maxDepth: limits.maxXMLDepth)
      try stream(path) { chunk in
        try parser.feed(chunk)
        try afterChunk()
      }
      try parser.finish()
    } else {
      let scanner = XMLPartScanner(
        handler: handler, file: displayName, part: path, maxDepth: limits.maxXMLDepth,
        maxPendingBytes: limits.maxCellBytes + (1 << 16))
      try stream(path) { chunk in
        try scanner.feed(chunk)
        try afterChunk()
      }
      try scanner.finish()
    }
  }

  /// The relationships of the part `source` (`""` for the package root), targets resolved to archive
  /// paths. Missing `.rels` part → empty.
  func relationships(of source: String) throws -> [XLSXRelationship] {
    let folder = Self.folder(of: source)
    let name = source.split(separator: "/").last.map(String.init) ?? ""
    let relsPath = folder + "_rels/" + name + ".rels"
    guard contains(relsPath) else { return [] }
    let handler = RelationshipsHandler()
    try parse(relsPath, with: handler)
    return handler.relationships.map { rel in
      var rel = rel
      if !rel.external { rel.target = Self.resolve(rel.target, from: folder) }
      return rel
    }
  }

  static func folder(of part: String) -> String {
    guard let slash = part.lastIndex(of: "/") else { return "" }
    return String(part[...slash])
  }

  /// Resolves a relationship target against the folder of its source part: relative (`worksheets/
  /// sheet1.xml`, `../x.xml`, `./x.xml`) or absolute (`/xl/workbook.xml`).
  static func resolve(_ target: String, from folder: String) -> String {
    let decoded = target.replacingPercentSpaces()
    let joined = decoded.hasPrefix("/") ? decoded : folder + decoded
    var parts: [Substring] = []
    for segment in joined.split(separator: "/", omittingEmptySubsequences: true) {
      if segment == "." { continue }
      if segment == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(segment)
    }
    return parts.joined(separator: "/")
  }
}

extension String {
  /// `%20` in relationship targets (the only escape office suites write in practice).
  fileprivate func replacingPercentSpaces() -> String {
    guard contains("%20") else { return self }
    return split(separator: "%20", omittingEmptySubsequences: false).joined(separator: " ")
  }
}

final class RelationshipsHandler: XMLEventHandler {
  var relationships: [XLSXRelationship] = []
  var failure: ReaderError?
  var failed: Bool { false }

  func startElement(_ name: XMLName, _ attributes: XMLAttributes) {
    guard name.is("Relationship") else { return }
    relationships.append(
      XLSXRelationship(
        id: attributes.string("Id") ?? "", type: attributes.string("Type") ?? "",
        target: attributes.string("Target") ?? "",
        external: attributes.string("TargetMode")?.lowercased() == "external"))
  }
  func endElement(_ name: XMLName) {}
  func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// `xl/workbook.xml`: sheet names, visibility, relationship ids and the date system.
final class WorkbookHandler: XMLEventHandler {
  struct SheetEntry {
    var name: String
    var state: String
    var relationshipId: String
  }
  var sheets: [SheetEntry] = []
  var date1904 = false
  var failure: ReaderError?
  var failed: Bool { false }

  func startElement(_ name: XMLName, _ attributes: XMLAttributes) {
    if name.is("sheet") {
      let rid = attributes.namespacedValue("id").map { String(decoding: $0, as: UTF8.self) }
      sheets.append(
        SheetEntry(
          name: attributes.string("name") ?? "Sheet\(sheets.count + 1)",
          state: attributes.string("state") ?? "visible", relationshipId: rid ?? ""))
    } else if name.is("workbookPr") {
      if let v = attributes.string("date1904")?.lowercased() { date1904 = v == "1" || v == "true" }
    }
  }
  func endElement(_ name: XMLName) {}
  func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// `xl/styles.xml`: for each cell format (`cellXfs/xf`) whether its number format is a date.
final class StylesHandler: XMLEventHandler {
  private var customFormats: [Int: String] = [:]
  private var xfFormatIds: [Int] = []
  private var inCellXfs = false
  private var inNumFmts = false
  var failure: ReaderError?
  var failed: Bool { false }

  func startElement(_ name: XMLName, _ attributes: XMLAttributes) {
    if name.is("numFmts") {
      inNumFmts = true
    } else if name.is("cellXfs") {
      inCellXfs = true
    } else if inNumFmts && name.is("numFmt") {
      if let id = attributes.value("numFmtId").flatMap({ XLSXText.integer($0) }) {
        customFormats[id] = attributes.string("formatCode") ?? ""
      }
    } else if inCellXfs && name.is("xf") {
      xfFormatIds.append(attributes.value("numFmtId").flatMap { XLSXText.integer($0) } ?? 0)
    }
  }

  func endElement(_ name: XMLName) {
    if name.is("numFmts") {
      inNumFmts = false
    } else if name.is("cellXfs") {
      inCellXfs = false
    }
  }
  func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}

  /// Whether each cell format index is a date format.
  var dateStyles: [Bool] {
    xfFormatIds.map { id in
      if let code = customFormats[id] { return XLSXNumberFormat.isDateFormat(code) }
      return XLSXNumberFormat.isBuiltInDate(id)
    }
  }
}

/// `xl/sharedStrings.xml`: every `<si>` in order (empty ones kept), rich-text runs concatenated,
/// phonetic `rPh` runs ignored, `_xHHHH_` escapes decoded, edge whitespace trimmed unless the `<t>` is
/// marked `xml:space="preserve"`.
final class SharedStringsHandler: XMLEventHandler {
  /// The strings read and not taken yet (`takeStrings()`).
  @exclusivity(unchecked) var strings: [String] = []
  /// Items read so far, the skipped ones included.
  @exclusivity(unchecked) private var items = 0
  /// The first items are not kept: another reader gave them already.
  private let skipping: Int
  @exclusivity(unchecked) private(set) var failure: ReaderError?
  @exclusivity(unchecked) private(set) var failed = false
  private let file: String
  private let maxCellBytes: Int
  private let buffer = ByteBuffer()
  @exclusivity(unchecked) private var inSI = false
  @exclusivity(unchecked) private var inT = false
  @exclusivity(unchecked) private var preserve = false
  @exclusivity(unchecked) private var phoneticDepth = 0
  @exclusivity(unchecked) private var tStart = 0

  init(file: String, maxCellBytes: Int, skipping: Int = 0) {
    self.file = file
    self.maxCellBytes = maxCellBytes
    self.skipping = skipping
  }

  /// The strings read since the last call, in order.
  func takeStrings() -> [String] {
    guard !strings.isEmpty else { return [] }
    defer { strings = [] }
    return strings
  }

  func startElement(_ name: XMLName, _ attributes: XMLAttributes) {
    let l = name.local
    if l[0] == UInt8(ascii: "t") && l[1] == 0 {
      guard inSI && phoneticDepth == 0 else { return }
      inT = true
      tStart = buffer.count
      preserve = attributes.value("space").map { $0.elementsEqual("preserve".utf8) } ?? false
    } else if name.is("si") {
      inSI = true
      buffer.removeAll()
    } else if inSI && name.is("rPh") {
      phoneticDepth += 1
    }
  }

  func endElement(_ name: XMLName) {
    let l = name.local
    if l[0] == UInt8(ascii: "t") && l[1] == 0 {
      guard inT else { return }
      inT = false
      if !preserve { buffer.trimEdges(from: tStart) }
    } else if name.is("si") {
      inSI = false
      items += 1
      if items > skipping { strings.append(XLSXText.decode(buffer.bytes)) }
    } else if name.is("rPh") {
      phoneticDepth = max(0, phoneticDepth - 1)
    }
  }

  func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard inT && phoneticDepth == 0 else { return }
    buffer.append(bytes)
    if buffer.count > maxCellBytes {
      failure = ReaderError(
        code: "cell.too_large", file: file,
        message:
          "shared string \(items + 1) is \(ReaderLimits.cellSizeHint(maxCellBytes)); the file was not read"
      )
      failed = true
    }
  }
}
