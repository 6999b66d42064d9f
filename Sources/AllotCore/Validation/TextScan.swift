/// Small byte-level text helpers for the validation hot path (no regex, no Foundation).
public enum TextScan {
  /// True for the bytes of ASCII white space.
  @inline(__always)
  static func isASCIISpace(_ u: UInt8) -> Bool {
    u == 0x20 || u == 0x09 || u == 0x0A || u == 0x0D || u == 0x0B || u == 0x0C
  }

  /// `s` without leading and trailing white space: ASCII spaces, tabs, line breaks, no-break spaces
  /// (U+00A0, U+2007, U+202F) and a stray byte-order mark (U+FEFF). Returns `s` itself (no copy) when
  /// there is nothing to trim.
  static func trimmed(_ s: String) -> String {
    let clean = withBytes(s) { b -> Bool in
      guard let first = b.first, let last = b.last else { return true }
      return first < 0x80 && !isASCIISpace(first) && last < 0x80 && !isASCIISpace(last)
    }
    if clean { return s }
    let scalars = s.unicodeScalars
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end, isTrimmable(scalars[start]) { start = scalars.index(after: start) }
    while end > start {
      let before = scalars.index(before: end)
      guard isTrimmable(scalars[before]) else { break }
      end = before
    }
    if start == scalars.startIndex && end == scalars.endIndex { return s }
    return String(scalars[start..<end])
  }

  /// Runs `body` on the UTF-8 bytes of `s` (no copy for native strings).
  @inlinable @inline(__always)
  public static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
    let copy = Array(s.utf8)
    return copy.withUnsafeBufferPointer(body)
  }

  static func isTrimmable(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x2007, 0x202F, 0xFEFF: return true
    default: return false
    }
  }

  @inline(__always)
  static func isDigit(_ u: UInt8) -> Bool { u >= 48 && u <= 57 }

  @inline(__always)
  static func isASCIILetter(_ u: UInt8) -> Bool { (u | 0x20) >= 97 && (u | 0x20) <= 122 }

  @inline(__always)
  static func lower(_ u: UInt8) -> UInt8 { u >= 65 && u <= 90 ? u + 32 : u }

  /// ASCII case-insensitive equality with an ASCII lower-case literal.
  static func equalsLowercased(_ s: String, _ lowerLiteral: StaticString) -> Bool {
    s.utf8.count == lowerLiteral.utf8CodeUnitCount && hasPrefixIgnoringCase(s, lowerLiteral)
  }

  /// True when every byte of `s` is ASCII: then each byte is one `Character` (a CR LF pair aside, which
  /// the byte scans below treat alike), so a scan of the bytes finds what a scan of the characters would.
  static func isASCII(_ s: String) -> Bool { s.utf8.allSatisfy { $0 < 0x80 } }

  /// Whether `s` begins with the ASCII lower-case literal `prefix`, ignoring ASCII case (for an ASCII
  /// `s`, the same as `s.lowercased().hasPrefix(prefix)`).
  static func hasPrefixIgnoringCase(_ s: String, _ prefix: StaticString) -> Bool {
    let a = s.utf8
    guard a.count >= prefix.utf8CodeUnitCount else { return false }
    var p = prefix.utf8Start
    for u in a.prefix(prefix.utf8CodeUnitCount) {
      if lower(u) != p.pointee { return false }
      p += 1
    }
    return true
  }

  /// `s` upper-cased for ASCII letters; returns `s` itself when it has none in lower case.
  static func asciiUppercased(_ s: String) -> String {
    guard s.utf8.contains(where: { $0 >= 97 && $0 <= 122 }) else { return s }
    return String(decoding: s.utf8.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
  }

  /// `s` lower-cased for ASCII letters; returns `s` itself when it has none in upper case.
  static func asciiLowercased(_ s: String) -> String {
    guard s.utf8.contains(where: { $0 >= 65 && $0 <= 90 }) else { return s }
    return String(decoding: s.utf8.map { lower($0) }, as: UTF8.self)
  }

  /// Text for a message: the value in quotes-free form, shortened to `limit` characters.
  static func shown(_ s: String, limit: Int = 60) -> String {
    if s.count <= limit { return s }
    return String(s.prefix(limit)) + "…"
  }

  /// Number as text with the given minimum width, zero-padded.
  static func padded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }
}
