import AllotCore
import CLibXML2

/// Receives the SAX events of a libxml2 push parse. Subclasses override the event methods; to stop
/// the parse with an error they call `fail(_:)`.
class SpreadsheetMLSAXHandler {
  let fileName: String
  let limits: ReaderLimits
  /// Current element depth.
  var depth = 0
  /// The first error met (a `ReaderError`, or an error thrown by a row callback); stops the parse.
  var failure: (any Error)?
  /// The first fatal libxml2 message, for `xml.malformed`.
  var xmlMessage: String?
  var xmlLine = 0
  fileprivate var context: xmlParserCtxtPtr?

  init(fileName: String, limits: ReaderLimits) {
    self.fileName = fileName
    self.limits = limits
  }

  func startElement(
    local: UnsafePointer<xmlChar>, uri: UnsafePointer<xmlChar>?, attributes: SpreadsheetMLAttributes
  ) {}
  func endElement(local: UnsafePointer<xmlChar>, uri: UnsafePointer<xmlChar>?) {}
  func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}

  /// Records `error` (the first one wins) and stops the parser.
  final func fail(_ error: any Error) {
    if failure == nil { failure = error }
    if let context { xmlStopParser(context) }
  }
}

/// The attributes of a start tag as libxml2 hands them over (5 pointers per attribute).
struct SpreadsheetMLAttributes {
  let base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
  let count: Int

  /// The value of the attribute with this local name in no namespace or in `namespace`.
  func value(_ localName: StaticString, namespace: StaticString? = nil) -> String? {
    guard let base else { return nil }
    for k in 0..<count {
      guard let local = base[k * 5], SpreadsheetMLName.equals(local, localName) else { continue }
      if let namespace, let uri = base[k * 5 + 2], !SpreadsheetMLName.equals(uri, namespace) {
        continue
      }
      guard let start = base[k * 5 + 3], let end = base[k * 5 + 4] else { return "" }
      let n = end - start
      return String(decoding: UnsafeBufferPointer(start: start, count: max(0, n)), as: UTF8.self)
    }
    return nil
  }
}

enum SpreadsheetMLName {
  static let spreadsheet: StaticString = "urn:schemas-microsoft-com:office:spreadsheet"
  static let excel: StaticString = "urn:schemas-microsoft-com:office:excel"

  /// Compares a NUL-terminated libxml2 string with an ASCII static string.
  @inline(__always)
  static func equals(_ p: UnsafePointer<xmlChar>, _ s: StaticString) -> Bool {
    let q = s.utf8Start
    let n = s.utf8CodeUnitCount
    for i in 0..<n where p[i] != q[i] { return false }
    return p[n] == 0
  }

  static func equals(_ p: UnsafePointer<xmlChar>?, _ s: StaticString) -> Bool {
    guard let p else { return false }
    return equals(p, s)
  }
}

/// Streams an XML file through libxml2's SAX2 push parser, safely: no DTD loading, no network, no
/// entity substitution, and any `<!ENTITY>` declaration refused (`xml.entities`), so external entities
/// (`file:///etc/passwd`) are never resolved and entity expansion bombs never expand. Element nesting
/// deeper than `limits.maxXMLDepth` stops the parse with `xml.too_deep`.
enum SpreadsheetMLParser {
  static func parse(path: String, handler: SpreadsheetMLSAXHandler) throws {
    let input = try FileInput(path: path)
    defer { input.close() }
    let unmanaged = Unmanaged.passRetained(handler)
    defer { unmanaged.release() }
    let user = unmanaged.toOpaque()

    var sax = xmlSAXHandler()
    sax.initialized = UInt32(XML_SAX2_MAGIC)
    sax.startElementNs = { ctx, local, _, uri, _, _, nbAttributes, _, attributes in
      guard let ctx, let local else { return }
      let h = Unmanaged<SpreadsheetMLSAXHandler>.fromOpaque(ctx).takeUnretainedValue()
      guard h.failure == nil else { return }
      h.depth += 1
      if h.depth > h.limits.maxXMLDepth {
        h.fail(
          ReaderError(
            code: "xml.too_deep", file: h.fileName,
            message:
              "\(h.fileName) nests XML elements more than \(h.limits.maxXMLDepth) levels deep; it is "
              + "not a spreadsheet allot can read"))
        return
      }
      h.startElement(
        local: local, uri: uri,
        attributes: SpreadsheetMLAttributes(base: attributes, count: Int(nbAttributes)))
    }
    sax.endElementNs = { ctx, local, _, uri in
      guard let ctx, let local else { return }
      let h = Unmanaged<SpreadsheetMLSAXHandler>.fromOpaque(ctx).takeUnretainedValue()
      guard h.failure == nil else { return }
      h.endElement(local: local, uri: uri)
      h.depth -= 1
    }
    let characters: charactersSAXFunc = { ctx, ch, len in
      guard let ctx, let ch, len > 0 else { return }
      let h = Unmanaged<SpreadsheetMLSAXHandler>.fromOpaque(ctx).takeUnretainedValue()
      guard h.failure == nil else { return }
      h.characters(UnsafeBufferPointer(start: ch, count: Int(len)))
    }
    sax.characters = characters
    sax.cdataBlock = characters
    sax.entityDecl = { ctx, _, _, _, _, _ in
      guard let ctx else { return }
      let h = Unmanaged<SpreadsheetMLSAXHandler>.fromOpaque(ctx).takeUnretainedValue()
      h.fail(
        ReaderError(
          code: "xml.entities", file: h.fileName,
          message:
            "\(h.fileName) declares XML entities (<!ENTITY>), which spreadsheet files never use; "
            + "it was not read"))
    }
    sax.getEntity = { _, _ in nil }
    sax.getParameterEntity = { _, _ in nil }
    sax.serror = { ctx, error in
      guard let ctx, let error else { return }
      let h = Unmanaged<SpreadsheetMLSAXHandler>.fromOpaque(ctx).takeUnretainedValue()
      let e = error.pointee
      guard e.level == XML_ERR_FATAL || e.level == XML_ERR_ERROR else { return }
      if h.xmlMessage == nil {
        var message = e.message.map { String(cString: $0) } ?? "unknown error"
        while message.last == "\n" || message.last == " " { message.removeLast() }
        h.xmlMessage = message
        h.xmlLine = Int(e.line)
      }
    }

    let chunkSize = 1 << 18
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    let first = try input.read(into: buffer)
    guard
      let ctxt = xmlCreatePushParserCtxt(
        &sax, user, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(first),
        handler.fileName)
    else {
      throw ReaderError(
        code: "file.unreadable", file: handler.fileName,
        message: "could not start the XML parser for \(handler.fileName)")
    }
    defer {
      handler.context = nil
      xmlFreeParserCtxt(ctxt)
    }
    handler.context = ctxt
    _ = xmlCtxtUseOptions(ctxt, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue))
    ctxt.pointee.replaceEntities = 0
    ctxt.pointee.loadsubset = 0
    ctxt.pointee.validate = 0

    var done = false
    while !done && handler.failure == nil && ctxt.pointee.wellFormed != 0 {
      let n = try input.read(into: buffer)
      let status = xmlParseChunk(
        ctxt, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(n), n == 0 ? 1 : 0)
      if n == 0 || status != 0 { done = true }
    }
    if !done && handler.failure == nil && ctxt.pointee.wellFormed != 0 {
      _ = xmlParseChunk(ctxt, nil, 0, 1)
    }
    if let failure = handler.failure { throw failure }
    if ctxt.pointee.wellFormed == 0 {
      let message = handler.xmlMessage ?? "unexpected content"
      if message.contains("Excessive depth") {
        throw ReaderError(
          code: "xml.too_deep", file: handler.fileName,
          message: "\(handler.fileName) nests XML elements too deeply; it is not a spreadsheet allot can read"
        )
      }
      if message.lowercased().contains("entity") {
        throw ReaderError(
          code: "xml.entities", file: handler.fileName,
          message:
            "\(handler.fileName) uses XML entities that were not expanded (\(message)); it was not read")
      }
      throw ReaderError(
        code: "xml.malformed", file: handler.fileName, row: nil,
        message:
          "\(handler.fileName) is not well-formed XML (line \(handler.xmlLine): \(message)); "
          + "it may be damaged or cut short — export it again")
    }
  }
}
