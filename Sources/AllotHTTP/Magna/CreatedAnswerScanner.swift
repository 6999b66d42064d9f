import AllotCore

/// Reads a successful create answer, `{"isProcessed": true, "result": {"id": …, "key": …}, …}`, without
/// building a JSON tree: one pass over the bytes that checks the document's syntax and picks out
/// `isProcessed`, `result.id` and `result.key`.
///
/// It only answers when it is sure to agree with `JSONDecoder` decoding ``MagnaEnvelope`` of
/// ``CreatedAllocation``: an ASCII document, an object at the top, no duplicate keys in the envelope or the
/// result, `isProcessed` true or absent, a non-empty string `id` and a string or null `key` without
/// escapes, strict number syntax, no `\u` escapes or control characters in strings. Anything else gives
/// nil, and the caller decodes with `JSONDecoder`.
///
/// The ASCII check and the runs of plain characters in strings go eight bytes at a time (`SWARBytes`),
/// and a key is compared with the earlier keys of its object only when a 64-bit signature of the keys
/// seen says it may repeat one: this reading is on the path of every create answer.
struct CreatedAnswerScanner {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var i = 0
  private static let maxDepth = 64

  private init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  /// The created allocation's id and key, or nil when the fast reading does not apply.
  static func created(_ body: [UInt8]) -> (id: String, key: String?)? {
    body.withUnsafeBufferPointer { buffer in
      // ASCII only: JSONDecoder's handling of UTF-8 is not reproduced here.
      guard isASCII(buffer) else { return nil }
      var scanner = CreatedAnswerScanner(buffer)
      return scanner.envelope()
    }
  }

  static func isASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = buffer.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var any: UInt64 = 0
    var i = 0
    while i + 8 <= buffer.count {
      any |= SWARBytes.load(raw, i)
      i += 8
    }
    while i < buffer.count {
      any |= UInt64(buffer[i])
      i += 1
    }
    return any & SWARBytes.highs == 0
  }

  // MARK: - Envelope and result

  private mutating func envelope() -> (id: String, key: String?)? {
    skipSpace()
    guard take(UInt8(ascii: "{")) else { return nil }
    var seen = SeenKeys()
    var processed: Bool?
    var result: (id: String, key: String?)?
    var resultSeen = false
    skipSpace()
    if !take(UInt8(ascii: "}")) {
      while true {
        skipSpace()
        guard let key = plainString(), !isDuplicate(key, in: &seen) else { return nil }
        skipSpace()
        guard take(UInt8(ascii: ":")) else { return nil }
        skipSpace()
        if equals(key, "isProcessed") {
          if literal("true") {
            processed = true
          } else if literal("false") {
            processed = false
          } else if literal("null") {
            processed = nil
          } else {
            return nil
          }
        } else if equals(key, "result") {
          resultSeen = true
          if literal("null") {
            result = nil
          } else if take(UInt8(ascii: "{")) {
            guard let r = resultObject() else { return nil }
            result = r
          } else {
            return nil
          }
        } else {
          guard skipValue(depth: 1) else { return nil }
        }
        skipSpace()
        if take(UInt8(ascii: ",")) { continue }
        guard take(UInt8(ascii: "}")) else { return nil }
        break
      }
    }
    skipSpace()
    guard i == bytes.count, resultSeen, processed != false, let result, !result.id.isEmpty else { return nil }
    return result
  }

  /// The members of `result` after its `{`.
  private mutating func resultObject() -> (id: String, key: String?)? {
    var seen = SeenKeys()
    var id: String?
    var key: String?
    skipSpace()
    if take(UInt8(ascii: "}")) { return nil }
    while true {
      skipSpace()
      guard let name = plainString(), !isDuplicate(name, in: &seen) else { return nil }
      skipSpace()
      guard take(UInt8(ascii: ":")) else { return nil }
      skipSpace()
      if equals(name, "id") {
        guard let value = plainString() else { return nil }
        id = text(value)
      } else if equals(name, "key") {
        if literal("null") {
          key = nil
        } else {
          guard let value = plainString() else { return nil }
          key = text(value)
        }
      } else {
        guard skipValue(depth: 2) else { return nil }
      }
      skipSpace()
      if take(UInt8(ascii: ",")) { continue }
      guard take(UInt8(ascii: "}")) else { return nil }
      break
    }
    guard let id else { return nil }
    return (id, key)
  }

  // MARK: - Syntax

  private mutating func skipSpace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x20, 0x09, 0x0A, 0x0D: i += 1
      default: return
      }
    }
  }

  private mutating func take(_ byte: UInt8) -> Bool {
    guard i < bytes.count, bytes[i] == byte else { return false }
    i += 1
    return true
  }

  private mutating func literal(_ word: StaticString) -> Bool {
    let n = word.utf8CodeUnitCount
    guard bytes.count - i >= n else { return false }
    let w = word.utf8Start
    for k in 0..<n where bytes[i + k] != w[k] { return false }
    i += n
    return true
  }

  /// Moves past the bytes that are neither `"`, `\\` nor a control character, eight at a time; the
  /// byte-wise loops of the callers take it from there.
  private mutating func skipPlainRun() {
    guard let base = bytes.baseAddress else { return }
    let raw = UnsafeRawPointer(base)
    while i + 8 <= bytes.count {
      let w = SWARBytes.load(raw, i)
      if SWARBytes.has(w, UInt8(ascii: "\"")) || SWARBytes.has(w, UInt8(ascii: "\\"))
        || SWARBytes.hasLess(w, than: 0x20)
      {
        return
      }
      i += 8
    }
  }

  /// A string without any escape; returns the range of its contents.
  private mutating func plainString() -> Range<Int>? {
    guard take(UInt8(ascii: "\"")) else { return nil }
    let start = i
    while true {
      skipPlainRun()
      guard i < bytes.count else { return nil }
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        return start..<(i - 1)
      }
      if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
      i += 1
    }
  }

  /// Any string: simple escapes allowed, `\u` and control characters not.
  private mutating func skipString() -> Bool {
    guard take(UInt8(ascii: "\"")) else { return false }
    while true {
      skipPlainRun()
      guard i < bytes.count else { return false }
      let b = bytes[i]
      i += 1
      switch b {
      case UInt8(ascii: "\""):
        return true
      case UInt8(ascii: "\\"):
        guard i < bytes.count else { return false }
        switch bytes[i] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
          UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
          i += 1
        default:
          return false
        }
      case 0..<0x20:
        return false
      default:
        break
      }
    }
  }

  /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
  private mutating func skipNumber() -> Bool {
    _ = take(UInt8(ascii: "-"))
    guard i < bytes.count else { return false }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
    } else {
      guard digits() else { return false }
    }
    if take(UInt8(ascii: ".")) {
      guard digits() else { return false }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
      guard digits() else { return false }
    }
    return true
  }

  private mutating func digits() -> Bool {
    let start = i
    while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
    return i > start
  }

  private mutating func skipValue(depth: Int) -> Bool {
    guard depth <= Self.maxDepth, i < bytes.count else { return false }
    switch bytes[i] {
    case UInt8(ascii: "\""):
      return skipString()
    case UInt8(ascii: "{"):
      i += 1
      skipSpace()
      if take(UInt8(ascii: "}")) { return true }
      while true {
        skipSpace()
        guard skipString() else { return false }
        skipSpace()
        guard take(UInt8(ascii: ":")) else { return false }
        skipSpace()
        guard skipValue(depth: depth + 1) else { return false }
        skipSpace()
        if take(UInt8(ascii: ",")) { continue }
        return take(UInt8(ascii: "}"))
      }
    case UInt8(ascii: "["):
      i += 1
      skipSpace()
      if take(UInt8(ascii: "]")) { return true }
      while true {
        skipSpace()
        guard skipValue(depth: depth + 1) else { return false }
        skipSpace()
        if take(UInt8(ascii: ",")) { continue }
        return take(UInt8(ascii: "]"))
      }
    case UInt8(ascii: "t"):
      return literal("true")
    case UInt8(ascii: "f"):
      return literal("false")
    case UInt8(ascii: "n"):
      return literal("null")
    default:
      return skipNumber()
    }
  }

  // MARK: - Keys

  private func equals(_ range: Range<Int>, _ name: StaticString) -> Bool {
    guard range.count == name.utf8CodeUnitCount else { return false }
    let w = name.utf8Start
    for k in 0..<range.count where bytes[range.lowerBound + k] != w[k] { return false }
    return true
  }

  /// The keys of one object read so far.
  private struct SeenKeys {
    var ranges: [Range<Int>] = []
    /// One bit per key read, chosen by its length and its first and last bytes: a key whose bit is clear
    /// cannot repeat an earlier one.
    var signature: UInt64 = 0
  }

  /// Whether a key with the same bytes was seen already in this object; records it otherwise.
  private func isDuplicate(_ range: Range<Int>, in seen: inout SeenKeys) -> Bool {
    let ends = range.isEmpty ? 0 : UInt64(bytes[range.lowerBound]) &* 3 &+ UInt64(bytes[range.upperBound - 1])
    let bit: UInt64 = 1 << ((UInt64(range.count) &* 7 &+ ends) & 63)
    defer {
      seen.signature |= bit
      seen.ranges.append(range)
    }
    guard seen.signature & bit != 0 else { return false }
    for other in seen.ranges where other.count == range.count {
      var same = true
      for k in 0..<range.count where bytes[other.lowerBound + k] != bytes[range.lowerBound + k] {
        same = false
        break
      }
      if same { return true }
    }
    return false
  }

  private func text(_ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }
}
