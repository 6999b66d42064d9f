import Foundation

/// A strict recursive-descent JSON parser over bytes, for ``JSONValue/parse(_:)``.
///
/// The sandbox parsed request bodies through `JSONDecoder` into `JSONValue`, trying each type in turn;
/// every failed try threw, and that was a quarter of the sandbox's CPU per create request.
struct JSONValueParser {
  /// Deeper nesting is rejected (as `JSONDecoder` does), so a hostile body cannot exhaust the stack.
  static let maxDepth = 512

  private let bytes: UnsafeBufferPointer<UInt8>
  private var i = 0

  private init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
    var parser = JSONValueParser(bytes)
    guard let value = parser.value(depth: 0) else { return nil }
    parser.skipSpace()
    return parser.i == bytes.count ? value : nil
  }

  private var atEnd: Bool { i >= bytes.count }

  private mutating func skipSpace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x20, 0x09, 0x0A, 0x0D: i += 1
      default: return
      }
    }
  }

  private mutating func literal(_ text: StaticString) -> Bool {
    let count = text.utf8CodeUnitCount
    guard bytes.count - i >= count else { return false }
    for k in 0..<count where bytes[i + k] != text.utf8Start[k] {
      return false
    }
    i += count
    return true
  }

  private mutating func value(depth: Int) -> JSONValue? {
    guard depth < Self.maxDepth else { return nil }
    skipSpace()
    guard !atEnd else { return nil }
    switch bytes[i] {
    case UInt8(ascii: "{"): return object(depth: depth)
    case UInt8(ascii: "["): return array(depth: depth)
    case UInt8(ascii: "\""): return string().map(JSONValue.string)
    case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
    case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
    case UInt8(ascii: "n"): return literal("null") ? .null : nil
    default: return number()
    }
  }

  private mutating func object(depth: Int) -> JSONValue? {
    i += 1
    var members: [String: JSONValue] = [:]
    skipSpace()
    if !atEnd, bytes[i] == UInt8(ascii: "}") {
      i += 1
      return .object(members)
    }
    while true {
      skipSpace()
      guard !atEnd, bytes[i] == UInt8(ascii: "\""), let key = string() else { return nil }
      skipSpace()
      guard !atEnd, bytes[i] == UInt8(ascii: ":") else { return nil }
      i += 1
      guard let member = value(depth: depth + 1) else { return nil }
      members[key] = member
      skipSpace()
      guard !atEnd else { return nil }
      switch bytes[i] {
      case UInt8(ascii: ","): i += 1
      case UInt8(ascii: "}"):
        i += 1
        return .object(members)
      default: return nil
      }
    }
  }

  private mutating func array(depth: Int) -> JSONValue? {
    i += 1
    var elements: [JSONValue] = []
    skipSpace()
    if !atEnd, bytes[i] == UInt8(ascii: "]") {
      i += 1
      return .array(elements)
    }
    while true {
      guard let element = value(depth: depth + 1) else { return nil }
      elements.append(element)
      skipSpace()
      guard !atEnd else { return nil }
      switch bytes[i] {
      case UInt8(ascii: ","): i += 1
      case UInt8(ascii: "]"):
        i += 1
        return .array(elements)
      default: return nil
      }
    }
  }

  /// A string at `i` (its opening quote); `nil` for an unterminated string, a raw control character, a bad
  /// escape, a lone surrogate or bytes that are not UTF-8.
  private mutating func string() -> String? {
    i += 1
    let start = i
    // Fast path: no escapes.
    while i < bytes.count {
      let byte = bytes[i]
      if byte == UInt8(ascii: "\"") {
        let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        i += 1
        return text
      }
      if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
      i += 1
    }
    var out = Array(bytes[start..<i])
    while i < bytes.count {
      let byte = bytes[i]
      switch byte {
      case UInt8(ascii: "\""):
        i += 1
        return String(validating: out, as: UTF8.self)
      case 0..<0x20:
        return nil
      case UInt8(ascii: "\\"):
        i += 1
        guard !atEnd else { return nil }
        let escaped = bytes[i]
        i += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          guard var scalar = hex4() else { return nil }
          if (0xD800..<0xDC00).contains(scalar) {
            guard literal("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else if (0xDC00..<0xE000).contains(scalar) {
            return nil
          }
          guard let unicode = Unicode.Scalar(scalar) else { return nil }
          out.append(contentsOf: UTF8.encode(unicode)!)
        default:
          return nil
        }
      default:
        out.append(byte)
        i += 1
      }
    }
    return nil
  }

  private mutating func hex4() -> UInt32? {
    guard bytes.count - i >= 4 else { return nil }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[i]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: return nil
      }
      value = value << 4 | UInt32(digit)
      i += 1
    }
    return value
  }

  /// A number per RFC 8259's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  private mutating func number() -> JSONValue? {
    let start = i
    if !atEnd, bytes[i] == UInt8(ascii: "-") { i += 1 }
    guard !atEnd else { return nil }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
    } else {
      guard skipDigits() > 0 else { return nil }
    }
    var isInteger = true
    if !atEnd, bytes[i] == UInt8(ascii: ".") {
      i += 1
      isInteger = false
      guard skipDigits() > 0 else { return nil }
    }
    if !atEnd, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      isInteger = false
      if !atEnd, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      guard skipDigits() > 0 else { return nil }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    if isInteger, let integer = Int64(text) {
      return .number(String(integer))
    }
    guard let decimal = Decimal(string: text, locale: Self.posix) else { return nil }
    return .number("\(decimal)")
  }

  private static let posix = Locale(identifier: "en_US_POSIX")

  /// Moves past the ASCII digits at `i`; returns how many there were.
  private mutating func skipDigits() -> Int {
    let from = i
    while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
      i += 1
    }
    return i - from
  }
}
