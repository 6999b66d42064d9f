import CLibXML2

/// An element name as libxml2 reports it: the local name and the namespace URI, both NUL-terminated
/// UTF-8 owned by the parser for the duration of the callback. Matching on local names and namespace
/// URIs (never prefixes) makes any namespace prefix work.
struct XMLName {
  let local: UnsafePointer<UInt8>
  let uri: UnsafePointer<UInt8>?

  /// True when the local name equals `name` (an ASCII literal).
  @inline(__always) func `is`(_ name: StaticString) -> Bool {
    xmlStrEqual(local, name.utf8Start) != 0
  }
}

/// The attributes of a start tag (libxml2's localname/prefix/URI/value/end quintuples).
struct XMLAttributes {
  let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
  let count: Int
  /// libxml2's SAX2 (entities not substituted) reports `&amp;` in attribute values as `&#38;`;
  /// `string(_:)` turns it back into `&`.
  var ampersandsEscaped = false

  /// The value bytes of the first attribute whose local name is `name` (any namespace).
  @inline(__always) func value(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
    guard let base else { return nil }
    var i = 0
    while i < count {
      let q = base + i * 5
      if let local = q[0], xmlStrEqual(local, name.utf8Start) != 0, let start = q[3], let end = q[4] {
        return UnsafeBufferPointer(start: start, count: end - start)
      }
      i += 1
    }
    return nil
  }

  /// The value of the first attribute with local name `name` in a namespace (any prefix), such as
  /// `r:id` in the relationships namespace or `xml:space`.
  func namespacedValue(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
    guard let base else { return nil }
    for i in 0..<count {
      let q = base + i * 5
      if let local = q[0], q[2] != nil, xmlStrEqual(local, name.utf8Start) != 0, let start = q[3],
        let end = q[4]
      {
        return UnsafeBufferPointer(start: start, count: end - start)
      }
    }
    return nil
  }

  func string(_ name: StaticString) -> String? {
    guard let bytes = value(name) else { return nil }
    let text = String(decoding: bytes, as: UTF8.self)
    return ampersandsEscaped && text.contains("&#38;") ? text.replacing("&#38;", with: "&") : text
  }
}

/// Receives the events of an `XMLStreamParser`. Set `failure` (and `failed`) to stop parsing with
/// that error; `failed` is the cheap flag checked after every event.
protocol XMLEventHandler: AnyObject {
  func startElement(_ name: XMLName, _ attributes: XMLAttributes)
  func endElement(_ name: XMLName)
  func characters(_ bytes: UnsafeBufferPointer<UInt8>)
  var failed: Bool { get }
  var failure: ReaderError? { get }
}

/// A libxml2 SAX2 push parser fed chunk by chunk (`xmlCreatePushParserCtxt` + `xmlParseChunk`).
///
/// Hardened for untrusted input: no DTD (a `<!DOCTYPE` stops parsing with `xml.dtd_not_allowed`, so no
/// entity can be declared or expanded), no external entities, no network (`XML_PARSE_NONET`), element
/// depth capped (`xml.too_deep`). Malformed XML ends with `xml.malformed` naming the part.
final class XMLStreamParser {
  private let handler: any XMLEventHandler
  private let maxDepth: Int
  private let file: String
  private let part: String
  private var ctxt: xmlParserCtxtPtr?
  @exclusivity(unchecked) fileprivate var depth = 0
  fileprivate var ownError: ReaderError?
  fileprivate var libxmlMessage: String?
  fileprivate var libxmlLine = 0

  init(handler: any XMLEventHandler, file: String, part: String, maxDepth: Int) throws(ReaderError) {
    self.handler = handler
    self.file = file
    self.part = part
    self.maxDepth = maxDepth
    var sax = xmlSAXHandler()
    sax.initialized = UInt32(XML_SAX2_MAGIC)
    sax.startElementNs = saxStartElement
    sax.endElementNs = saxEndElement
    sax.characters = saxCharacters
    sax.ignorableWhitespace = saxCharacters
    sax.internalSubset = saxInternalSubset
    sax.serror = saxStructuredError
    let context = Unmanaged.passUnretained(self).toOpaque()
    guard let ctxt = xmlCreatePushParserCtxt(&sax, context, nil, 0, nil) else {
      throw ReaderError(
        code: "xml.malformed", file: file, message: "could not start the XML parser for part \(part)")
    }
    self.ctxt = ctxt
    xmlCtxtUseOptions(ctxt, Int32(XML_PARSE_NONET.rawValue))
  }

  deinit {
    if let ctxt { xmlFreeParserCtxt(ctxt) }
  }

  /// Feeds the next chunk of the part.
  func feed(_ bytes: UnsafeRawBufferPointer) throws(ReaderError) {
    guard let ctxt else { return }
    var offset = 0
    // xmlParseChunk takes an Int32 size: feed large buffers in slices.
    while offset < bytes.count {
      let n = min(bytes.count - offset, 1 << 24)
      let base = bytes.baseAddress.map { $0.advanced(by: offset).assumingMemoryBound(to: CChar.self) }
      let rc = xmlParseChunk(ctxt, base, Int32(n), 0)
      try check(rc)
      offset += n
    }
  }

  /// Signals the end of the part; throws when the document is incomplete.
  func finish() throws(ReaderError) {
    guard let ctxt else { return }
    let rc = xmlParseChunk(ctxt, nil, 0, 1)
    try check(rc)
  }

  fileprivate func stop(_ error: ReaderError) {
    if ownError == nil { ownError = error }
    if let ctxt { xmlStopParser(ctxt) }
  }

  private func check(_ rc: Int32) throws(ReaderError) {
    if let ownError { throw ownError }
    if handler.failed, let failure = handler.failure { throw failure }
    if rc != 0 || libxmlMessage != nil {
      let detail = (libxmlMessage ?? "error \(rc)").trimmingXMLWhitespace()
      throw ReaderError(
        code: "xml.malformed", file: file,
        message:
          "the part \(part) is not well-formed XML (line \(libxmlLine): \(detail)); open the file in Excel and save it again as .xlsx or .csv"
      )
    }
  }

  @inline(__always) fileprivate func start(_ name: XMLName, _ attributes: XMLAttributes) {
    depth += 1
    if depth > maxDepth {
      stop(
        ReaderError(
          code: "xml.too_deep", file: file,
          message:
            "the part \(part) nests XML elements more than \(maxDepth) deep; this is not a normal spreadsheet"
        ))
      return
    }
    handler.startElement(name, attributes)
    if handler.failed { failFromHandler() }
  }

  @inline(__always) fileprivate func end(_ name: XMLName) {
    depth -= 1
    handler.endElement(name)
    if handler.failed { failFromHandler() }
  }

  @inline(__always) fileprivate func text(_ bytes: UnsafeBufferPointer<UInt8>) {
    handler.characters(bytes)
    if handler.failed { failFromHandler() }
  }

  private func failFromHandler() {
    if let failure = handler.failure { stop(failure) }
  }

  fileprivate func doctype() {
    stop(
      ReaderError(
        code: "xml.dtd_not_allowed", file: file,
        message: "the part \(part) declares a DTD, which spreadsheets never do; the file was not read"))
  }
}

extension String {
  func trimmingXMLWhitespace() -> String {
    let bytes = Array(utf8)
    let range = XLSXText.trimmedRange(bytes[...])
    return String(decoding: bytes[range], as: UTF8.self)
  }
}

@inline(__always) private func parser(_ ctx: UnsafeMutableRawPointer?) -> XMLStreamParser? {
  guard let ctx else { return nil }
  return Unmanaged<XMLStreamParser>.fromOpaque(ctx).takeUnretainedValue()
}

/// Calls `body` with the parser behind `ctx` without retaining it (it outlives the parse).
@inline(__always) private func withParser(_ ctx: UnsafeMutableRawPointer?, _ body: (XMLStreamParser) -> Void)
{
  guard let ctx else { return }
  Unmanaged<XMLStreamParser>.fromOpaque(ctx)._withUnsafeGuaranteedRef(body)
}

private let saxStartElement: startElementNsSAX2Func = {
  ctx, localname, _, uri, _, _, nbAttributes, _, attributes in
  guard let localname else { return }
  withParser(ctx) {
    $0.start(
      XMLName(local: localname, uri: uri),
      XMLAttributes(base: attributes, count: Int(nbAttributes), ampersandsEscaped: true))
  }
}

private let saxEndElement: endElementNsSAX2Func = { ctx, localname, _, uri in
  guard let localname else { return }
  withParser(ctx) { $0.end(XMLName(local: localname, uri: uri)) }
}

private let saxCharacters: charactersSAXFunc = { ctx, ch, len in
  guard let ch, len > 0 else { return }
  withParser(ctx) { $0.text(UnsafeBufferPointer(start: ch, count: Int(len))) }
}

private let saxInternalSubset: internalSubsetSAXFunc = { ctx, _, _, _ in
  parser(ctx)?.doctype()
}

private let saxStructuredError: xmlStructuredErrorFunc = { ctx, error in
  guard let p = parser(ctx), let error else { return }
  // Keep the first fatal error; warnings are ignored.
  guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue, p.libxmlMessage == nil else { return }
  if let message = error.pointee.message {
    p.libxmlMessage = String(cString: message)
  } else {
    p.libxmlMessage = "error \(error.pointee.code)"
  }
  p.libxmlLine = Int(error.pointee.line)
}
