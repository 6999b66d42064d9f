/// A fast reader for the shared-strings part as spreadsheet writers almost always write it: an optional
/// UTF-8 XML declaration, `<sst …>`, then items `<si><t>text</t></si>` (or `<t xml:space="preserve">`)
/// whose text holds no markup, reference or carriage return, and `</sst>`.
///
/// It reads the bytes directly instead of going through the XML scanner's events (about five times
/// faster on a 600,000-string table), and gives exactly what ``SharedStringsHandler`` gives for such a
/// part: it uses the same trimming and `_xHHHH_` decoding. At the first thing it does not know (rich
/// text, a phonetic run, an entity, a comment, another encoding, a malformed tag, a string over the
/// cell limit, …) it gives up, and the part is read again by the general scanner, which also writes any
/// error message. So it never accepts a file the scanner would refuse.
struct SharedStringsFastPath {
  /// Gave up: read the part with the general scanner.
  struct Unsupported: Error {}

  private(set) var strings: [String] = []
  private let maxCellBytes: Int
  /// Bytes received and not consumed yet (an item cut by the end of a chunk).
  private var carry: [UInt8] = []
  private var state = State.declaration
  private let text = ByteBuffer()

  private enum State { case declaration, startTag, items, done }

  init(maxCellBytes: Int) {
    self.maxCellBytes = maxCellBytes
  }

  /// The strings read since the last call, in order (the loader publishes them as it goes).
  mutating func takeStrings() -> [String] {
    guard !strings.isEmpty else { return [] }
    defer { strings = [] }
    return strings
  }

  mutating func feed(_ chunk: UnsafeRawBufferPointer) throws(Unsupported) {
    if carry.isEmpty {
      let used = try consume(chunk.assumingMemoryBound(to: UInt8.self), final: false)
      if used < chunk.count { carry.append(contentsOf: chunk[used...]) }
    } else {
      carry.append(contentsOf: chunk)
      let used = try carry.withUnsafeBufferPointer { b throws(Unsupported) in try consume(b, final: false) }
      carry.removeFirst(used)
    }
    // An item longer than a cell may be: the scanner says so properly.
    if carry.count > maxCellBytes + 4096 { throw Unsupported() }
  }

  /// Checks that the part ended where it should; returns the strings not taken yet.
  mutating func finish() throws(Unsupported) -> [String] {
    let used = try carry.withUnsafeBufferPointer { b throws(Unsupported) in try consume(b, final: true) }
    guard used == carry.count, state == .done else { throw Unsupported() }
    return strings
  }

  /// Consumes the complete items at the start of `b`; returns how many bytes were used.
  private mutating func consume(_ b: UnsafeBufferPointer<UInt8>, final: Bool) throws(Unsupported) -> Int {
    var p = 0
    let n = b.count
    func skipSpace(_ i: Int) -> Int {
      var i = i
      while i < n && XLSXText.isXMLWhitespace(b[i]) { i += 1 }
      return i
    }
    func startsWith(_ literal: StaticString, at i: Int) -> Bool? {
      let count = literal.utf8CodeUnitCount
      let l = literal.utf8Start
      var k = 0
      while k < count {
        if i + k >= n { return nil }  // more bytes needed
        if b[i + k] != l[k] { return false }
        k += 1
      }
      return true
    }
    /// The bytes from `p` through the next `>`; nil when they are not all here yet.
    func wholeTag() throws(Unsupported) -> UnsafeBufferPointer<UInt8>? {
      guard let end = b[p...].firstIndex(of: UInt8(ascii: ">")) else {
        if n - p > 4096 || final { throw Unsupported() }
        return nil
      }
      return UnsafeBufferPointer(rebasing: b[p...end])
    }
    while true {
      switch state {
      case .declaration:
        // At the very start: `<?xml …?>` or nothing.
        switch startsWith("<?xml", at: p) {
        case nil: if final { throw Unsupported() } else { return p }
        case false?: state = .startTag
        case true?:
          guard let tag = try wholeTag() else { return p }
          try Self.checkDeclaration(tag)
          p += tag.count
          state = .startTag
        }
      case .startTag:
        p = skipSpace(p)
        guard let tag = try wholeTag() else { return p }
        try Self.checkStartTag(tag)
        p += tag.count
        state = .items
      case .items:
        p = skipSpace(p)
        if p == n { return p }
        if b[p] != UInt8(ascii: "<") { throw Unsupported() }
        switch startsWith("</sst>", at: p) {
        case true?:
          p = skipSpace(p + 6)
          state = .done
          continue
        case nil: return p
        case false?: break
        }
        let open: Int
        var preserve = false
        switch startsWith("<si><t>", at: p) {
        case true?: open = 7
        case nil: return p
        case false?:
          switch startsWith("<si><t xml:space=\"preserve\">", at: p) {
          case true?:
            open = 28
            preserve = true
          case nil: return p
          case false?: throw Unsupported()
          }
        }
        // The text: up to the next '<', which must start `</t></si>`.
        var i = p + open
        while i < n {
          let c = b[i]
          if c == UInt8(ascii: "<") { break }
          if c < 0x80 {
            // No reference, no line end to normalise, no `]]>`, no control character.
            if c == UInt8(ascii: "&") || c == 13 || (c < 0x20 && c != 9 && c != 10) { throw Unsupported() }
            if c == UInt8(ascii: ">") && i >= p + open + 2 && b[i - 1] == UInt8(ascii: "]")
              && b[i - 2] == UInt8(ascii: "]")
            {
              throw Unsupported()
            }
            i += 1
          } else {
            guard let length = XMLBytes.nonASCIICharLength(b.baseAddress!, i, n) else {
              if i + 4 > n && !final { return p }  // a character cut by the chunk's end
              throw Unsupported()
            }
            i += length
          }
        }
        if i == n { return p }
        switch startsWith("</t></si>", at: i) {
        case true?: break
        case nil: return p
        case false?: throw Unsupported()
        }
        let count = i - (p + open)
        if count > maxCellBytes { throw Unsupported() }
        text.removeAll()
        text.append(UnsafeBufferPointer(rebasing: b[(p + open)..<i]))
        if !preserve { text.trimEdges(from: 0) }
        strings.append(XLSXText.decode(text.bytes))
        p = i + 9
      case .done:
        p = skipSpace(p)
        if p < n { throw Unsupported() }
        return p
      }
    }
  }

  /// Reads `name = "value"` (or single quotes) at `i`; nil when it is not one this path accepts (the
  /// value holds only printable ASCII other than `<` and `&`).
  private static func attribute(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> (
    name: [UInt8], value: [UInt8]
  )? {
    let n = b.count
    let nameStart = i
    while i < n, isNameByte(b[i], first: i == nameStart) { i += 1 }
    guard i > nameStart else { return nil }
    let name = Array(b[nameStart..<i])
    while i < n && XLSXText.isXMLWhitespace(b[i]) { i += 1 }
    guard i < n, b[i] == UInt8(ascii: "=") else { return nil }
    i += 1
    while i < n && XLSXText.isXMLWhitespace(b[i]) { i += 1 }
    guard i < n, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else { return nil }
    let quote = b[i]
    i += 1
    let valueStart = i
    while i < n && b[i] != quote {
      if b[i] == UInt8(ascii: "<") || b[i] == UInt8(ascii: "&") || b[i] >= 0x80 || b[i] < 0x20 { return nil }
      i += 1
    }
    guard i < n else { return nil }
    let value = Array(b[valueStart..<i])
    i += 1
    return (name, value)
  }

  /// `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`: version first, then optionally encoding
  /// (UTF-8, any case) and standalone (yes or no), in that order.
  private static func checkDeclaration(_ b: UnsafeBufferPointer<UInt8>) throws(Unsupported) {
    let n = b.count
    guard n >= 7, b[n - 2] == UInt8(ascii: "?") else { throw Unsupported() }
    var i = 5  // after `<?xml`
    var seen: [String] = []
    while true {
      let before = i
      while i < n - 2 && XLSXText.isXMLWhitespace(b[i]) { i += 1 }
      if i == n - 2 { break }
      guard i > before, let (name, value) = attribute(UnsafeBufferPointer(rebasing: b[..<(n - 2)]), &i) else {
        throw Unsupported()
      }
      let key = String(decoding: name, as: UTF8.self)
      let v = String(decoding: value, as: UTF8.self)
      switch key {
      case "version" where seen.isEmpty && v == "1.0": break
      case "encoding" where seen == ["version"] && v.lowercased() == "utf-8": break
      case "standalone" where seen.last == "version" || seen.last == "encoding":
        guard v == "yes" || v == "no" else { throw Unsupported() }
      default: throw Unsupported()
      }
      seen.append(key)
    }
    guard seen.first == "version" else { throw Unsupported() }
  }

  /// `<sst …>` with distinct, well-formed attributes (not an empty `<sst/>`, no namespace prefix).
  private static func checkStartTag(_ b: UnsafeBufferPointer<UInt8>) throws(Unsupported) {
    let n = b.count
    guard n >= 5, b[0] == UInt8(ascii: "<"), b[1] == UInt8(ascii: "s"), b[2] == UInt8(ascii: "s"),
      b[3] == UInt8(ascii: "t"), b[n - 1] == UInt8(ascii: ">"), b[n - 2] != UInt8(ascii: "/")
    else { throw Unsupported() }
    var i = 4
    var names: Set<[UInt8]> = []
    while true {
      let before = i
      while i < n - 1 && XLSXText.isXMLWhitespace(b[i]) { i += 1 }
      if i == n - 1 { break }
      guard i > before, let (name, _) = attribute(UnsafeBufferPointer(rebasing: b[..<(n - 1)]), &i),
        names.insert(name).inserted
      else { throw Unsupported() }
    }
  }

  private static func isNameByte(_ c: UInt8, first: Bool) -> Bool {
    switch c {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"),
      UInt8(ascii: ":"):
      return true
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
      return !first
    default:
      return false
    }
  }
}
