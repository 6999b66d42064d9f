/// Text and attribute values: references, line ends, UTF-8 and XML character checks.
extension XMLPartScanner {
  /// Decodes text or an attribute value into `out` (which has room for `count` bytes): references
  /// replaced, line ends normalised (and, in attribute values, whitespace turned into spaces),
  /// characters checked. Returns the number of bytes written.
  func decode(
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
        w += XMLBytes.encode(scalar, into: out + w)
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
  func reference(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) throws(ReaderError) -> UInt32 {
    func named(_ s: StaticString) -> Bool {
      s.utf8CodeUnitCount == count && XMLBytes.equal(b, UnsafeMutablePointer(mutating: s.utf8Start), count)
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
      guard digits > 0, XMLBytes.isXMLChar(value) else {
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
  @inline(__always) func utf8Length(_ b: UnsafeMutablePointer<UInt8>, _ i: Int, _ count: Int)
    throws(ReaderError) -> Int
  {
    guard let n = XMLBytes.nonASCIICharLength(b, i, count) else { throw notUTF8() }
    return n
  }

  /// Names may hold non-ASCII letters, but only as valid UTF-8.
  @inline(__always) func validateName(_ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ to: Int)
    throws(ReaderError)
  {
    var k = from
    while k < to {
      if b[k] >= 0x80 { return try validateUTF8(b + from, to - from) }
      k += 1
    }
  }

  func validateUTF8(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) throws(ReaderError) {
    var i = 0
    while i < count {
      if b[i] < 0x80 {
        i += 1
      } else {
        i += try utf8Length(b, i, count)
      }
    }
  }
}
