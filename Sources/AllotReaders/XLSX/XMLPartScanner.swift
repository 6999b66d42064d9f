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
    guard let encoding = Self.declaredEncoding(pending.bytes) else { return }
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

  /// The `encoding` value of an XML declaration at the start of `b`, if any.
  static func declaredEncoding(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
    guard b.count >= 6, b[0] == UInt8(ascii: "<"), b[1] == UInt8(ascii: "?"), b[2] == UInt8(ascii: "x"),
      b[3] == UInt8(ascii: "m"), b[4] == UInt8(ascii: "l"), isSpace(b[5])
    else { return nil }
    var end = 6
    while end + 1 < b.count && !(b[end] == UInt8(ascii: "?") && b[end + 1] == UInt8(ascii: ">")) { end += 1 }
    let key = Array("encoding".utf8)
    var i = 6
    while i + key.count < end {
      if b[i] == key[0] && (0..<key.count).allSatisfy({ b[i + $0] == key[$0] }) {
        var j = i + key.count
        while j < end && isSpace(b[j]) { j += 1 }
        guard j < end, b[j] == UInt8(ascii: "=") else { return nil }
        j += 1
        while j < end && isSpace(b[j]) { j += 1 }
        guard j < end, b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") else { return nil }
        let quote = b[j]
        var k = j + 1
        while k < end && b[k] != quote { k += 1 }
        return UnsafeBufferPointer(rebasing: b[(j + 1)..<k])
      }
      i += 1
    }
    return nil
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
          let cut = Self.safeCut(base, p, n)
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
    while end < count && !Self.isSpace(b[end]) { end += 1 }
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
    while i < len && Self.isNameByte(b[i]) { i += 1 }
    guard i > 0, Self.isNameStart(b[0]) else { throw malformed("StartTag: invalid element name") }
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
      while i < len && Self.isSpace(b[i]) { i += 1 }
      if i == len { break }
      guard i > spaceStart else { throw malformed("attributes construct error") }
      let nameStart = i
      while i < len && Self.isNameByte(b[i]) { i += 1 }
      guard i > nameStart, Self.isNameStart(b[nameStart]) else {
        throw malformed("error parsing attribute name")
      }
      let attrNameEnd = i
      try validateName(b, nameStart, attrNameEnd)
      while i < len && Self.isSpace(b[i]) { i += 1 }
      guard i < len, b[i] == UInt8(ascii: "=") else {
        throw malformed(
          "Specification mandates value for attribute \(string(b + nameStart, attrNameEnd - nameStart))")
      }
      i += 1
      while i < len && Self.isSpace(b[i]) { i += 1 }
      guard i < len, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else {
        throw malformed("AttValue: \" or ' expected")
      }
      let quote = b[i]
      i += 1
      let valueStart = i
      var special = false
      while i < len && b[i] != quote {
        special = special || Self.needsDecoding(b[i])
        i += 1
      }
      guard i < len else { throw malformed("AttValue: ' expected") }
      let valueEnd = i
      i += 1
      // Duplicate attribute names (compared as written).
      let nameLength = attrNameEnd - nameStart
      for k in 0..<attributeCount {
        if attributeLengths[k] == nameLength && memcmpEqual(b + attributeStarts[k], b + nameStart, nameLength)
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
      if Self.isXMLNS(b + nameStart, nameLength) {
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
    while len > 0 && Self.isSpace(b[len - 1]) { len -= 1 }
    guard len > 0 else { throw malformed("expected '>'") }
    for k in 0..<len where !Self.isNameByte(b[k]) { throw malformed("expected '>'") }
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
    guard last - start == length, memcmpEqual(openNames.base + start, name, length) else {
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
      for k in 0..<count where !Self.isSpace(b[k]) {
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

  /// Decodes text or an attribute value into `out` (which has room for `count` bytes): references
  /// replaced, line ends normalised (and, in attribute values, whitespace turned into spaces),
  /// characters checked. Returns the number of bytes written.
  private func decode(
    _ b: UnsafeMutablePointer<UInt8>, _ count: Int, into out: UnsafeMutablePointer<UInt8>, attribute: Bool
  )
    throws(ReaderError) -> Int
  {
    var w = 0
    var i = 0
    while i < count {
      let c = b[i]
      switch c {
      case UInt8(ascii: "&"):
        var semicolon = i + 1
        while semicolon < count && b[semicolon] != UInt8(ascii: ";") && semicolon - i < 16 { semicolon += 1 }
        guard semicolon < count, b[semicolon] == UInt8(ascii: ";") else {
          throw malformed("EntityRef: expecting ';'")
        }
        let scalar = try reference(b + i + 1, semicolon - i - 1)
        w += Self.encode(scalar, into: out + w)
        i = semicolon + 1
      case 13:
        out[w] = attribute ? 0x20 : 10
        w += 1
        i += (i + 1 < count && b[i + 1] == 10) ? 2 : 1
      case 9, 10:
        out[w] = attribute ? 0x20 : c
        w += 1
        i += 1
      case UInt8(ascii: "<"):
        throw malformed("Unescaped '<' not allowed in attributes values")
      case UInt8(ascii: "]") where !attribute:
        if i + 2 < count && b[i + 1] == UInt8(ascii: "]") && b[i + 2] == UInt8(ascii: ">") {
          throw malformed("Sequence ']]>' not allowed in content")
        }
        out[w] = c
        w += 1
        i += 1
      default:
        if c < 0x20 { throw malformed("PCDATA invalid Char value \(c)") }
        if c < 0x80 {
          out[w] = c
          w += 1
          i += 1
        } else {
          let n = try utf8Length(b, i, count)
          (out + w).update(from: b + i, count: n)
          w += n
          i += n
        }
      }
    }
    return w
  }

  /// The character an entity or character reference (between `&` and `;`) stands for.
  private func reference(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) throws(ReaderError) -> UInt32 {
    func named(_ s: StaticString) -> Bool {
      s.utf8CodeUnitCount == count && memcmpEqual(b, UnsafeMutablePointer(mutating: s.utf8Start), count)
    }
    if count >= 2 && b[0] == UInt8(ascii: "#") {
      var value: UInt32 = 0
      var digits = 0
      if b[1] == UInt8(ascii: "x") {
        for k in 2..<count {
          let c = b[k]
          let d: UInt32
          switch c {
          case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
          case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
          case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
          default: throw malformed("xmlParseCharRef: invalid hexadecimal value")
          }
          value = value * 16 + d
          digits += 1
          if value > 0x10FFFF { throw malformed("xmlParseCharRef: character reference out of bounds") }
        }
      } else {
        for k in 1..<count {
          let c = b[k]
          guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else {
            throw malformed("xmlParseCharRef: invalid decimal value")
          }
          value = value * 10 + UInt32(c - UInt8(ascii: "0"))
          digits += 1
          if value > 0x10FFFF { throw malformed("xmlParseCharRef: character reference out of bounds") }
        }
      }
      guard digits > 0, Self.isXMLChar(value) else {
        throw malformed("xmlParseCharRef: invalid xmlChar value \(value)")
      }
      return value
    }
    if named("lt") { return 0x3C }
    if named("gt") { return 0x3E }
    if named("amp") { return 0x26 }
    if named("quot") { return 0x22 }
    if named("apos") { return 0x27 }
    throw malformed("Entity '\(string(b, count))' not defined")
  }

  /// The length of the valid UTF-8 XML character starting at `b[i]`; throws when there is none.
  @inline(__always) private func utf8Length(_ b: UnsafeMutablePointer<UInt8>, _ i: Int, _ count: Int)
    throws(ReaderError) -> Int
  {
    let c0 = b[i]
    var n = 0
    var scalar: UInt32 = 0
    if c0 & 0xE0 == 0xC0 {
      n = 2
      scalar = UInt32(c0 & 0x1F)
    } else if c0 & 0xF0 == 0xE0 {
      n = 3
      scalar = UInt32(c0 & 0x0F)
    } else if c0 & 0xF8 == 0xF0 {
      n = 4
      scalar = UInt32(c0 & 0x07)
    } else {
      throw notUTF8()
    }
    guard i + n <= count else { throw notUTF8() }
    for k in 1..<n {
      let c = b[i + k]
      guard c & 0xC0 == 0x80 else { throw notUTF8() }
      scalar = scalar << 6 | UInt32(c & 0x3F)
    }
    let minimum: UInt32 = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000
    guard scalar >= minimum, Self.isXMLChar(scalar) else { throw notUTF8() }
    return n
  }

  /// Names may hold non-ASCII letters, but only as valid UTF-8.
  @inline(__always) private func validateName(_ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ to: Int)
    throws(ReaderError)
  {
    var k = from
    while k < to {
      if b[k] >= 0x80 { return try validateUTF8(b + from, to - from) }
      k += 1
    }
  }

  private func validateUTF8(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) throws(ReaderError) {
    var i = 0
    while i < count {
      if b[i] < 0x80 {
        i += 1
      } else {
        i += try utf8Length(b, i, count)
      }
    }
  }

  /// Where a long run of text can be cut without splitting a reference, a line end, `]]>` or a
  /// UTF-8 sequence.
  private static func safeCut(_ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
    var cut = to
    var k = to - 1
    while k >= from && to - k <= 24 {
      let c = b[k]
      if c == UInt8(ascii: "&") || c == 13 || c == UInt8(ascii: "]") || c >= 0x80 { cut = k }
      k -= 1
    }
    return max(from + 1, cut)
  }

  // MARK: - Helpers

  /// Bit c set for the bytes c < 64 of each class.
  private static let spaceMask: UInt64 = 1 << 0x20 | 1 << 0x09 | 1 << 0x0A | 1 << 0x0D
  /// Controls, space, `/ > = " ' < &`.
  private static let notNameMask: UInt64 = 0x700080C5FFFFFFFF
  /// Controls, `&`, `<`.
  private static let decodeMask: UInt64 = 0x10000040FFFFFFFF

  @inline(__always) private static func isSpace(_ c: UInt8) -> Bool {
    c <= 0x20 && (spaceMask >> UInt64(c)) & 1 != 0
  }

  /// A byte of an attribute value that needs `decode`: a control character, `&`, `<` or non-ASCII.
  @inline(__always) private static func needsDecoding(_ c: UInt8) -> Bool {
    c >= 0x80 || (c < 64 && (decodeMask >> UInt64(c)) & 1 != 0)
  }

  /// A byte that may be part of a name (lenient: anything but markup, quotes, `=` and spaces).
  @inline(__always) private static func isNameByte(_ c: UInt8) -> Bool {
    c >= 64 || (notNameMask >> UInt64(c)) & 1 == 0
  }

  @inline(__always) private static func isNameStart(_ c: UInt8) -> Bool {
    !(c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) && c != UInt8(ascii: "-") && c != UInt8(ascii: ".")
      && c != UInt8(ascii: ":")
  }

  private static func isXMLNS(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) -> Bool {
    guard count >= 5, b[0] == UInt8(ascii: "x"), b[1] == UInt8(ascii: "m"), b[2] == UInt8(ascii: "l"),
      b[3] == UInt8(ascii: "n"), b[4] == UInt8(ascii: "s")
    else { return false }
    return count == 5 || b[5] == UInt8(ascii: ":")
  }

  static func isXMLChar(_ v: UInt32) -> Bool {
    v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
      || (0x10000...0x10FFFF).contains(v)
  }

  /// Writes `scalar` as UTF-8 at `out`; returns the byte count.
  private static func encode(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
    switch scalar {
    case 0..<0x80:
      out[0] = UInt8(scalar)
      return 1
    case 0x80..<0x800:
      out[0] = UInt8(0xC0 | (scalar >> 6))
      out[1] = UInt8(0x80 | (scalar & 0x3F))
      return 2
    case 0x800..<0x10000:
      out[0] = UInt8(0xE0 | (scalar >> 12))
      out[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
      out[2] = UInt8(0x80 | (scalar & 0x3F))
      return 3
    default:
      out[0] = UInt8(0xF0 | (scalar >> 18))
      out[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
      out[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
      out[3] = UInt8(0x80 | (scalar & 0x3F))
      return 4
    }
  }

  private func string(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: b, count: min(count, 200)), as: UTF8.self)
  }

  private func notUTF8() -> ReaderError {
    malformed("Input is not proper UTF-8, indicate encoding !")
  }

  private func malformed(_ detail: String) -> ReaderError {
    ReaderError(
      code: "xml.malformed", file: file,
      message:
        "the part \(part) is not well-formed XML (after byte \(consumed): \(detail)); open the file in Excel and save it again as .xlsx or .csv"
    )
  }
}

@inline(__always) private func memcmpEqual(
  _ a: UnsafeMutablePointer<UInt8>, _ b: UnsafeMutablePointer<UInt8>, _ count: Int
) -> Bool {
  var k = 0
  while k < count {
    if a[k] != b[k] { return false }
    k += 1
  }
  return true
}

/// A stack of integers without Array's uniqueness and exclusivity checks (the scanner's hot path).
private final class IntStack {
  @exclusivity(unchecked) private var base = UnsafeMutablePointer<Int>.allocate(capacity: 64)
  @exclusivity(unchecked) private var capacity = 64
  @exclusivity(unchecked) private(set) var count = 0

  deinit { base.deallocate() }

  var isEmpty: Bool { count == 0 }
  var last: Int? { count > 0 ? base[count - 1] : nil }

  subscript(i: Int) -> Int { base[i] }

  @inline(__always) func append(_ value: Int) {
    if count == capacity {
      let bigger = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 2)
      bigger.update(from: base, count: count)
      base.deallocate()
      base = bigger
      capacity *= 2
    }
    base[count] = value
    count += 1
  }

  @inline(__always) func removeLast() { count -= 1 }

  @inline(__always) func truncate(to n: Int) { count = min(count, n) }
}
