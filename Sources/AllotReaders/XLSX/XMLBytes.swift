/// Byte-level helpers of `XMLPartScanner`: character classes, UTF-8, the XML declaration.
enum XMLBytes {
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

  /// Where a long run of text can be cut without splitting a reference, a line end, `]]>` or a
  /// UTF-8 sequence.
  static func safeCut(_ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
    var cut = to
    var k = to - 1
    while k >= from && to - k <= 24 {
      let c = b[k]
      if c == UInt8(ascii: "&") || c == 13 || c == UInt8(ascii: "]") || c >= 0x80 { cut = k }
      k -= 1
    }
    return max(from + 1, cut)
  }

  /// Bit c set for the bytes c < 64 of each class.
  static let spaceMask: UInt64 = 1 << 0x20 | 1 << 0x09 | 1 << 0x0A | 1 << 0x0D
  /// Controls, space, `/ > = " ' < &`.
  static let notNameMask: UInt64 = 0x700080C5FFFFFFFF
  /// Controls, `&`, `<`.
  static let decodeMask: UInt64 = 0x10000040FFFFFFFF

  @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
    c <= 0x20 && (spaceMask >> UInt64(c)) & 1 != 0
  }

  /// A byte of an attribute value that needs `decode`: a control character, `&`, `<` or non-ASCII.
  @inline(__always) static func needsDecoding(_ c: UInt8) -> Bool {
    c >= 0x80 || (c < 64 && (decodeMask >> UInt64(c)) & 1 != 0)
  }

  /// A byte that may be part of a name (lenient: anything but markup, quotes, `=` and spaces).
  @inline(__always) static func isNameByte(_ c: UInt8) -> Bool {
    c >= 64 || (notNameMask >> UInt64(c)) & 1 == 0
  }

  @inline(__always) static func isNameStart(_ c: UInt8) -> Bool {
    !(c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) && c != UInt8(ascii: "-") && c != UInt8(ascii: ".")
      && c != UInt8(ascii: ":")
  }

  static func isXMLNS(_ b: UnsafeMutablePointer<UInt8>, _ count: Int) -> Bool {
    guard count >= 5, b[0] == UInt8(ascii: "x"), b[1] == UInt8(ascii: "m"), b[2] == UInt8(ascii: "l"),
      b[3] == UInt8(ascii: "n"), b[4] == UInt8(ascii: "s")
    else { return false }
    return count == 5 || b[5] == UInt8(ascii: ":")
  }

  /// The length of the valid UTF-8 encoding of an XML `Char` (not ASCII) at `b[i]`, where `count` bytes
  /// are readable; nil when there is none (invalid or overlong UTF-8, a surrogate, U+FFFE, U+FFFF, or
  /// cut by `count`).
  @inline(__always) static func nonASCIICharLength(_ b: UnsafePointer<UInt8>, _ i: Int, _ count: Int) -> Int?
  {
    let c0 = b[i]
    let n: Int
    var scalar: UInt32
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
      return nil
    }
    guard i + n <= count else { return nil }
    for k in 1..<n {
      let c = b[i + k]
      guard c & 0xC0 == 0x80 else { return nil }
      scalar = scalar << 6 | UInt32(c & 0x3F)
    }
    let minimum: UInt32 = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000
    guard scalar >= minimum, isXMLChar(scalar) else { return nil }
    return n
  }

  static func isXMLChar(_ v: UInt32) -> Bool {
    v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
      || (0x10000...0x10FFFF).contains(v)
  }

  /// Writes `scalar` as UTF-8 at `out`; returns the byte count.
  static func encode(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
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

  @inline(__always)
  static func equal(_ a: UnsafeMutablePointer<UInt8>, _ b: UnsafeMutablePointer<UInt8>, _ count: Int) -> Bool
  {
    var k = 0
    while k < count {
      if a[k] != b[k] { return false }
      k += 1
    }
    return true
  }
}
