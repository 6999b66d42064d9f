/// A streaming XML scanner for the two big parts of a workbook (worksheets and shared strings), several
/// times faster than libxml2's SAX2 parser on them; it drives the same `XMLEventHandler`s.
///
/// It checks what a well-formed UTF-8 document needs: tags nest and match, attributes are quoted,
/// unique and separated, only the five predefined entities and valid character references appear,
/// text and attribute values are valid UTF-8 XML characters, `]]>` never appears in text, nothing but
/// comments, processing instructions and whitespace sits outside the root element. It normalises line
/// ends (CRLF and CR → LF) and attribute-value whitespace as XML requires. Namespace prefixes are
/// stripped (handlers match local names); `xmlns` declarations are not reported as attributes, as
/// with libxml2. Like `XMLStreamParser`: a `<!DOCTYPE` stops with `xml.dtd_not_allowed` (so no entity
/// can ever be declared), nesting is capped (`xml.too_deep`), malformed XML ends with `xml.malformed`.
///
/// A part that is not UTF-8 (a UTF-16 byte order mark, or another `encoding` in its XML declaration)
/// is handed to `XMLStreamParser` whole.
final class XMLPartScanner {
  private let handler: any XMLEventHandler
  private let file: String
  private let part: String
  private let maxDepth: Int
  /// The longest tag, or text run without markup, held while waiting for the rest of it.
  private let maxPendingBytes: Int

  /// Bytes received and not consumed yet (an incomplete tag, text waiting for its end).
  private let pending = ByteBuffer(capacity: 1 << 17)
  /// Qualified names of the open elements, one after the other; `openEnds` marks their ends.
  private let openNames = ByteBuffer()
  private let openEnds = IntStack()
  @exclusivity(unchecked) private var rootSeen = false
  @exclusivity(unchecked) private var rootClosed = false
  @exclusivity(unchecked) private var decided = false
  @exclusivity(unchecked) private var fallback: XMLStreamParser?
  /// Bytes consumed so far (an XML declaration is allowed only at 0).
  @exclusivity(unchecked) private var consumed = 0

  /// Scratch space for the current tag's NUL-terminated names and decoded values, and libxml2-style
  /// attribute quintuples (local name, prefix, URI, value start, value end) pointing into it.
  @exclusivity(unchecked) private var arena: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) private var arenaCapacity = 4096
  @exclusivity(unchecked) private var quints: UnsafeMutablePointer<UnsafePointer<UInt8>?>
  @exclusivity(unchecked) private var quintCapacity = 16
  /// Decoded text when it needs decoding (entities, line ends).
  private let text = ByteBuffer(capacity: 4096)

  init(handler: any XMLEventHandler, file: String, part: String, maxDepth: Int, maxPendingBytes: Int) {
    self.handler = handler
    self.file = file
    self.part = part
    self.maxDepth = maxDepth
    self.maxPendingBytes = max(1 << 16, maxPendingBytes)
    arena = .allocate(capacity: arenaCapacity)
    quints = .allocate(capacity: quintCapacity * 5)
  }

  deinit {
    arena.deallocate()
    quints.deallocate()
  }

  /// Feeds the next chunk of the part.
  func feed(_ bytes: UnsafeRawBufferPointer) throws(ReaderError) {
    if let fallback { return try fallback.feed(bytes) }
    pending.append(bytes.bindMemory(to: UInt8.self))
    if !decided {
      guard pending.count >= 512 else { return }
      try decide()
      if let fallback { return try handOver(to: fallback) }
    }
    try scan(final: false)
  }

  /// Signals the end of the part; throws when the document is incomplete.
  func finish() throws(ReaderError) {
    if !decided {
      try decide()
      if let fallback { try handOver(to: fallback) }
    }
    if let fallback { return try fallback.finish() }
    try scan(final: true)
    if !rootSeen { throw malformed("Document is empty") }
    if !openEnds.isEmpty { throw malformed("Premature end of data in tag \(openName(openEnds.count - 1))") }
  }

  // MARK: - Encoding

  /// UTF-8 (with or without a byte order mark) is scanned here; anything else goes to libxml2.
  private func decide() throws(ReaderError) {
    decided = true
    let b = pending.bytes
    if b.count >= 2
      && ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE) || b[0] == 0 || b[1] == 0)
    {
      fallback = try XMLStreamParser(handler: handler, file: file, part: part, maxDepth: maxDepth)
      return
    }
    if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { pending.remove(0..<3) }
    guard let encoding = XMLBytes.declaredEncoding(pending.bytes) else { return }
    let name = String(decoding: encoding, as: UTF8.self).lowercased()
    if name != "utf-8" && name != "utf8" {
      fallback = try XMLStreamParser(handler: handler, file: file, part: part, maxDepth: maxDepth)
    }
  }

  private func handOver(to parser: XMLStreamParser) throws(ReaderError) {
    let bytes = pending.bytes
    try parser.feed(UnsafeRawBufferPointer(bytes))
    pending.removeAll()
  }

  // MARK: - Scanning

  private func scan(final: Bool) throws(ReaderError) {
    let base = pending.base
    let n = pending.count
    var p = 0
    defer {
      consumed += p
      pending.remove(0..<p)
    }
    while p < n {
      if base[p] != UInt8(ascii: "<") {
        // Text up to the next tag.
        var lt = p
        while lt < n && base[lt] != UInt8(ascii: "<") { lt += 1 }
        if lt == n && !final {
          // Wait for the rest, unless the run is very long: then hand on what is safely complete.
          guard n - p > maxPendingBytes else { return }
          let cut = XMLBytes.safeCut(base, p, n)
          try text(base + p, cut - p)
          p = cut
          return
        }
        try text(base + p, lt - p)
        p = lt
        continue
      }
      guard p + 1 < n else {
        if final { throw malformed("Premature end of data") }
        return
      }
      let next = base[p + 1]
      if next == UInt8(ascii: "/") {
        guard let gt = find(UInt8(ascii: ">"), base, p + 2, n) else {
          if final { throw malformed("Premature end of data in end tag") }
          try checkPendingSize(n - p)
          return
        }
        try endTag(base + p + 2, gt - (p + 2))
        p = gt + 1
      } else if next == UInt8(ascii: "!") {
        guard let after = try declaration(base, p, n, final: final) else {
          try checkPendingSize(n - p)
          return
        }
        p = after
      } else if next == UInt8(ascii: "?") {
        guard let close = find2(UInt8(ascii: "?"), UInt8(ascii: ">"), base, p + 2, n) else {
          if final { throw malformed("Premature end of data in processing instruction") }
          try checkPendingSize(n - p)
          return
        }
        try processingInstruction(base + p + 2, close - (p + 2), atStart: consumed + p == 0)
        p = close + 2
      } else {
        guard let gt = tagEnd(base, p + 1, n) else {
          if final { throw malformed("Premature end of data in start tag") }
          try checkPendingSize(n - p)
          return
        }
        try startTag(base + p + 1, gt - (p + 1))
        p = gt + 1
      }
    }
  }

  private func checkPendingSize(_ size: Int) throws(ReaderError) {
    if size > maxPendingBytes {
      throw malformed("a tag or declaration is longer than \(maxPendingBytes) bytes")
    }
  }

  /// The end of a start tag: the `>` outside quoted attribute values.
  @inline(__always) private func tagEnd(_ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ n: Int) -> Int? {
    var i = from
    var quote: UInt8 = 0
    while i < n {
      let c = b[i]
      if quote != 0 {
        if c == quote { quote = 0 }
      } else if c == UInt8(ascii: ">") {
        return i
      } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
        quote = c
      }
      i += 1
    }
    return nil
  }

  @inline(__always) private func find(_ c: UInt8, _ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ n: Int)
    -> Int?
  {
    var i = from
    while i < n {
      if b[i] == c { return i }
      i += 1
    }
    return nil
  }

  private func find2(_ c1: UInt8, _ c2: UInt8, _ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ n: Int)
    -> Int?
  {
    var i = from
    while i + 1 < n {
      if b[i] == c1 && b[i + 1] == c2 { return i }
      i += 1
    }
    return nil
  }

  /// `<!--…-->`, `<![CDATA[…]]>` or `<!DOCTYPE`: the position after it, nil when incomplete.
  private func declaration(_ b: UnsafeMutablePointer<UInt8>, _ p: Int, _ n: Int, final: Bool)
    throws(ReaderError)
    -> Int?
  {
    func starts(_ s: StaticString) -> Bool? {
      let count = s.utf8CodeUnitCount
      for k in 0..<count {
        if p + k >= n { return final ? false : nil }
        if b[p + k] != s.utf8Start[k] { return false }
      }
      return true
    }
    guard let comment = starts("<!--") else { return nil }
    if comment {
      var i = p + 4
      while i + 2 < n {
        if b[i] == UInt8(ascii: "-") && b[i + 1] == UInt8(ascii: "-") {
          guard b[i + 2] == UInt8(ascii: ">") else { throw malformed("Double hyphen within comment") }
          try validateUTF8(b + p + 4, i - (p + 4))
          return i + 3
        }
        i += 1
      }
      if final { throw malformed("Comment not terminated") }
      return nil
    }
    guard let cdata = starts("<![CDATA[") else { return nil }
    if cdata {
      guard let close = find3(b, p + 9, n) else {
        if final { throw malformed("CData section not finished") }
        return nil
      }
      guard !openEnds.isEmpty else { throw malformed("CData section outside the root element") }
      try cdataText(b + p + 9, close - (p + 9))
      return close + 3
    }
    guard let doctype = starts("<!DOCTYPE") else { return nil }
    if doctype {
      throw ReaderError(
        code: "xml.dtd_not_allowed", file: file,
        message: "the part \(part) declares a DTD, which spreadsheets never do; the file was not read")
    }
    throw malformed("StartTag: invalid element name")
  }

  /// The position of the next `]]>`.
  private func find3(_ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ n: Int) -> Int? {
    var i = from
    while i + 2 < n {
      if b[i] == UInt8(ascii: "]") && b[i + 1] == UInt8(ascii: "]") && b[i + 2] == UInt8(ascii: ">") {
        return i
      }
      i += 1
    }
    return nil
  }

  private func processingInstruction(_ b: UnsafeMutablePointer<UInt8>, _ count: Int, atStart: Bool)
    throws(ReaderError)
  {
    var end = 0
    while end < count && !XMLBytes.isSpace(b[end]) { end += 1 }
    guard end > 0 else { throw malformed("xmlParsePI : no target name") }
    let isXML =
      end == 3 && (b[0] | 0x20) == UInt8(ascii: "x") && (b[1] | 0x20) == UInt8(ascii: "m")
      && (b[2] | 0x20) == UInt8(ascii: "l")
    if isXML && !atStart { throw malformed("XML declaration allowed only at the start of the document") }
    try validateUTF8(b, count)
  }

  // MARK: - Tags

  private func startTag(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) throws(ReaderError) {
    guard !rootClosed else { throw malformed("Extra content at the end of the document") }
    var len = count
    var empty = false
    if len > 0 && b[len - 1] == UInt8(ascii: "/") {
      empty = true
      len -= 1
    }
    // The element name.
    var i = 0
    while i < len && XMLBytes.isNameByte(b[i]) { i += 1 }
    guard i > 0, XMLBytes.isNameStart(b[0]) else { throw malformed("StartTag: invalid element name") }
    let nameEnd = i
    try validateName(b, 0, nameEnd)
    // Room for every name and value, decoded values never being longer than their source.
    let needed = count + 64
    if needed > arenaCapacity {
      arena.deallocate()
      arenaCapacity = max(needed, arenaCapacity * 2)
      arena = .allocate(capacity: arenaCapacity)
    }
    var used = 0
    let elementLocal = copyName(b, 0, nameEnd, &used)
    // Attributes.
    var attributeCount = 0
    while i < len {
      let spaceStart = i
      while i < len && XMLBytes.isSpace(b[i]) { i += 1 }
      if i == len { break }
      guard i > spaceStart else { throw malformed("attributes construct error") }
      let nameStart = i
      while i < len && XMLBytes.isNameByte(b[i]) { i += 1 }
      guard i > nameStart, XMLBytes.isNameStart(b[nameStart]) else {
        throw malformed("error parsing attribute name")
      }
      let attrNameEnd = i
      try validateName(b, nameStart, attrNameEnd)
      while i < len && XMLBytes.isSpace(b[i]) { i += 1 }
      guard i < len, b[i] == UInt8(ascii: "=") else {
        throw malformed(
          "Specification mandates value for attribute \(string(b + nameStart, attrNameEnd - nameStart))")
      }
      i += 1
      while i < len && XMLBytes.isSpace(b[i]) { i += 1 }
      guard i < len, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else {
        throw malformed("AttValue: \" or ' expected")
      }
      let quote = b[i]
      i += 1
      let valueStart = i
      var special = false
      while i < len && b[i] != quote {
        special = special || XMLBytes.needsDecoding(b[i])
        i += 1
      }
      guard i < len else { throw malformed("AttValue: ' expected") }
      let valueEnd = i
      i += 1
      // Duplicate attribute names (compared as written).
      let nameLength = attrNameEnd - nameStart
      for k in 0..<attributeCount {
        if attributeLengths[k] == nameLength
          && XMLBytes.equal(b + attributeStarts[k], b + nameStart, nameLength)
        {
          throw malformed("Attribute \(string(b + nameStart, nameLength)) redefined")
        }
      }
      attributeStarts.truncate(to: attributeCount)
      attributeLengths.truncate(to: attributeCount)
      attributeStarts.append(nameStart)
      attributeLengths.append(nameLength)
      attributeCount += 1
      // xmlns and xmlns:* declare namespaces; libxml2 does not report them as attributes.
      if XMLBytes.isXMLNS(b + nameStart, nameLength) {
        try validateUTF8(b + valueStart, valueEnd - valueStart)
        continue
      }
      try addAttribute(b, nameStart, attrNameEnd, valueStart, valueEnd, special, &used)
    }
    let reported = reportedAttributes
    reportedAttributes = 0
    try open(b, nameEnd)
    handler.startElement(
      XMLName(local: UnsafePointer(elementLocal), uri: nil), XMLAttributes(base: quints, count: reported))
    if handler.failed, let failure = handler.failure { throw failure }
    if empty {
      try close(b, nameEnd)
    }
  }

  /// Where each attribute name of the current tag starts and how long it is (duplicates check).
  private let attributeStarts = IntStack()
  private let attributeLengths = IntStack()
  @exclusivity(unchecked) private var reportedAttributes = 0

  private func addAttribute(
    _ b: UnsafeMutablePointer<UInt8>, _ nameStart: Int, _ nameEnd: Int, _ valueStart: Int, _ valueEnd: Int,
    _ needsDecoding: Bool, _ used: inout Int
  ) throws(ReaderError) {
    if reportedAttributes == quintCapacity {
      let bigger = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: quintCapacity * 10)
      bigger.update(from: quints, count: quintCapacity * 5)
      quints.deallocate()
      quints = bigger
      quintCapacity *= 2
    }
    var colon = -1
    for k in nameStart..<nameEnd where b[k] == UInt8(ascii: ":") {
      colon = k
      break
    }
    let local = copyName(b, colon >= 0 ? colon + 1 : nameStart, nameEnd, &used)
    // Attribute values: references decoded, each whitespace character becomes a space.
    let start: UnsafePointer<UInt8>
    let end: UnsafePointer<UInt8>
    if needsDecoding {
      let out = arena + used
      let written = try decode(b + valueStart, valueEnd - valueStart, into: out, attribute: true)
      start = UnsafePointer(out)
      end = UnsafePointer(out + written)
      used += written
    } else {
      start = UnsafePointer(b + valueStart)
      end = UnsafePointer(b + valueEnd)
    }
    let q = quints + reportedAttributes * 5
    q[0] = UnsafePointer(local)
    q[1] = nil
    // A prefixed attribute is in a namespace; which one does not matter to the handlers.
    q[2] = colon >= 0 ? UnsafePointer(local) : nil
    q[3] = start
    q[4] = end
    reportedAttributes += 1
  }

  /// Copies the local part of the name `b[from..<to]` (after any prefix) NUL-terminated into the arena.
  private func copyName(_ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ to: Int, _ used: inout Int)
    -> UnsafeMutablePointer<UInt8>
  {
    var start = from
    for k in from..<to where b[k] == UInt8(ascii: ":") { start = k + 1 }
    let out = arena + used
    out.update(from: b + start, count: to - start)
    out[to - start] = 0
    used += to - start + 1
    return out
  }

  private func endTag(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) throws(ReaderError) {
    var len = count
    while len > 0 && XMLBytes.isSpace(b[len - 1]) { len -= 1 }
    guard len > 0 else { throw malformed("expected '>'") }
    for k in 0..<len where !XMLBytes.isNameByte(b[k]) { throw malformed("expected '>'") }
    try validateName(b, 0, len)
    try close(b, len)
  }

  private func open(_ name: UnsafeMutablePointer<UInt8>, _ length: Int) throws(ReaderError) {
    if rootClosed { throw malformed("Extra content at the end of the document") }
    if openEnds.count >= maxDepth {
      throw ReaderError(
        code: "xml.too_deep", file: file,
        message:
          "the part \(part) nests XML elements more than \(maxDepth) deep; this is not a normal spreadsheet")
    }
    rootSeen = true
    openNames.append(UnsafeBufferPointer(start: name, count: length))
    openEnds.append(openNames.count)
  }

  private func close(_ name: UnsafeMutablePointer<UInt8>, _ length: Int) throws(ReaderError) {
    guard let last = openEnds.last else { throw malformed("Extra content at the end of the document") }
    let start = openEnds.count > 1 ? openEnds[openEnds.count - 2] : 0
    guard last - start == length, XMLBytes.equal(openNames.base + start, name, length) else {
      throw malformed(
        "Opening and ending tag mismatch: \(openName(openEnds.count - 1)) and \(string(name, length))")
    }
    // The local name, NUL-terminated, for the handler.
    var colon = 0
    for k in 0..<length where name[k] == UInt8(ascii: ":") { colon = k + 1 }
    let localLength = length - colon
    if localLength + 1 > arenaCapacity {
      arena.deallocate()
      arenaCapacity = localLength + 64
      arena = .allocate(capacity: arenaCapacity)
    }
    arena.update(from: name + colon, count: localLength)
    arena[localLength] = 0
    openEnds.removeLast()
    openNames.truncate(to: start)
    if openEnds.isEmpty { rootClosed = true }
    handler.endElement(XMLName(local: UnsafePointer(arena), uri: nil))
    if handler.failed, let failure = handler.failure { throw failure }
  }

  private func openName(_ index: Int) -> String {
    let start = index > 0 ? openEnds[index - 1] : 0
    return string(openNames.base + start, openEnds[index] - start)
  }

  // MARK: - Text

  /// Text between tags: outside the root element only whitespace may appear.
  private func text(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) throws(ReaderError) {
    guard count > 0 else { return }
    if openEnds.isEmpty {
      for k in 0..<count where !XMLBytes.isSpace(b[k]) {
        throw malformed(
          rootClosed ? "Extra content at the end of the document" : "Start tag expected, '<' not found")
      }
      return
    }
    // Plain text (printable ASCII, tab, LF, no `&`, `]`, CR) goes to the handler as it is.
    var k = 0
    while k < count {
      let c = b[k]
      if c >= 0x80 || c == UInt8(ascii: "&") || c == UInt8(ascii: "]") || c == 13
        || (c < 0x20 && c != 9 && c != 10)
      {
        break
      }
      k += 1
    }
    if k == count {
      deliver(UnsafeBufferPointer(start: b, count: count))
    } else {
      text.removeAll()
      text.reserve(count)
      let written = try decode(b, count, into: text.base, attribute: false)
      deliver(UnsafeBufferPointer(start: text.base, count: written))
    }
    if handler.failed, let failure = handler.failure { throw failure }
  }

  @inline(__always) private func deliver(_ bytes: UnsafeBufferPointer<UInt8>) {
    handler.characters(bytes)
  }

  /// A CDATA section's text: as it is, line ends normalised, characters checked.
  private func cdataText(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) throws(ReaderError) {
    guard count > 0 else { return }
    text.removeAll()
    text.reserve(count)
    let out = text.base
    var w = 0
    var i = 0
    while i < count {
      let c = b[i]
      if c == 13 {
        out[w] = 10
        w += 1
        i += (i + 1 < count && b[i + 1] == 10) ? 2 : 1
        continue
      }
      if c < 0x80 {
        guard c >= 0x20 || c == 9 || c == 10 else { throw malformed("PCDATA invalid Char value \(c)") }
        out[w] = c
        w += 1
        i += 1
        continue
      }
      let n = try utf8Length(b, i, count)
      (out + w).update(from: b + i, count: n)
      w += n
      i += n
    }
    deliver(UnsafeBufferPointer(start: out, count: w))
    if handler.failed, let failure = handler.failure { throw failure }
  }

  func string(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: b, count: min(count, 200)), as: UTF8.self)
  }

  func notUTF8() -> ReaderError {
    malformed("Input is not proper UTF-8, indicate encoding !")
  }

  func malformed(_ detail: String) -> ReaderError {
    ReaderError(
      code: "xml.malformed", file: file,
      message:
        "the part \(part) is not well-formed XML (after byte \(consumed): \(detail)); open the file in Excel and save it again as .xlsx or .csv"
    )
  }
}
