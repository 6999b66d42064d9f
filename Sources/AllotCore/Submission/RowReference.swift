/// A row's own reference, sent as a `customAttributes` entry so that a create whose answer was lost can
/// be found again by listing the token's allocations. Format: `allot:<batch>:<row>:<12 hex digits>`.
public enum RowReference {
  /// The custom attribute key that carries the reference.
  public static let attributeKey = "allot_ref"

  public static func make(batch: Int64, row: Int, random: UInt64) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(40)
    append(batch: batch, row: row, random: random, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// `make`'s text appended to `out` as UTF-8.
  public static func append(batch: Int64, row: Int, random: UInt64, to out: inout [UInt8]) {
    let prefix: StaticString = "allot:"
    out.append(contentsOf: UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
    appendDecimal(batch, to: &out)
    out.append(UInt8(ascii: ":"))
    appendDecimal(Int64(row), to: &out)
    out.append(UInt8(ascii: ":"))
    let digits: StaticString = "0123456789abcdef"
    for shift in stride(from: 44, through: 0, by: -4) {
      out.append(digits.utf8Start[Int((random >> UInt64(shift)) & 0xF)])
    }
  }

  private static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    let start = out.count
    repeat {
      out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
    } while magnitude > 0
    out[start...].reverse()
  }

  public static func make(batch: Int64, row: Int) -> String {
    var rng = SystemRandomNumberGenerator()
    return make(batch: batch, row: row, random: rng.next())
  }

  /// Whether a listed allocation carries `reference`.
  public static func matches(_ allocation: ListedAllocation, reference: String) -> Bool {
    allocation.customAttributes.contains { $0.key == attributeKey && $0.value == reference }
  }

  /// `body` (a JSON object) with `{"key":"allot_ref","value":reference}` appended to its top-level
  /// `customAttributes` array (created when absent). Nil when `body` is not a JSON object.
  public static func insert(reference: String, into body: [UInt8]) -> [UInt8]? {
    let entry = Array(
      "{\"key\":\(jsonQuoted(attributeKey)),\"value\":\(jsonQuoted(reference))}".utf8)
    guard let scan = TopLevelScan(body) else { return nil }
    var out = [UInt8]()
    out.reserveCapacity(body.count + entry.count + 24)
    if let close = scan.customAttributesClose {
      out.append(contentsOf: body[..<close])
      if !scan.customAttributesEmpty { out.append(UInt8(ascii: ",")) }
      out.append(contentsOf: entry)
      out.append(contentsOf: body[close...])
    } else {
      out.append(contentsOf: body[..<scan.objectClose])
      if !scan.objectEmpty { out.append(UInt8(ascii: ",")) }
      out.append(contentsOf: Array("\"customAttributes\":[".utf8))
      out.append(contentsOf: entry)
      out.append(UInt8(ascii: "]"))
      out.append(contentsOf: body[scan.objectClose...])
    }
    return out
  }

  /// JSON string literal for `s`.
  public static func jsonQuoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}

/// Finds, in a JSON object's bytes, the closing brace and the closing bracket of a top-level
/// `customAttributes` array. A small, strict scanner: strings with escapes, nesting.
private struct TopLevelScan {
  var objectClose: Int = 0
  var objectEmpty = true
  var customAttributesClose: Int?
  var customAttributesEmpty = true

  init?(_ b: [UInt8]) {
    var i = 0
    func skipSpace() {
      while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }
    /// Skips a string starting at `i` (on the quote); returns its raw bytes without quotes.
    func skipString() -> ArraySlice<UInt8>? {
      guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
      let start = i + 1
      i += 1
      while i < b.count {
        if b[i] == UInt8(ascii: "\\") {
          i += 2
          continue
        }
        if b[i] == UInt8(ascii: "\"") {
          let s = b[start..<i]
          i += 1
          return s
        }
        i += 1
      }
      return nil
    }
    /// Skips any value; for containers, returns the index of the closing bracket.
    func skipValue() -> Int? {
      guard i < b.count else { return nil }
      switch b[i] {
      case UInt8(ascii: "\""):
        return skipString() == nil ? nil : i - 1
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        var depth = 0
        while i < b.count {
          switch b[i] {
          case UInt8(ascii: "\""):
            guard skipString() != nil else { return nil }
            continue
          case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
          case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            if depth == 0 {
              i += 1
              return i - 1
            }
          default: break
          }
          i += 1
        }
        return nil
      default:
        let start = i
        while i < b.count, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: "}"), b[i] != UInt8(ascii: "]"),
          b[i] != 0x20, b[i] != 0x0A, b[i] != 0x0D, b[i] != 0x09
        {
          i += 1
        }
        return i > start ? i - 1 : nil
      }
    }
    skipSpace()
    guard i < b.count, b[i] == UInt8(ascii: "{") else { return nil }
    i += 1
    skipSpace()
    if i < b.count, b[i] == UInt8(ascii: "}") {
      objectClose = i
      objectEmpty = true
      return
    }
    objectEmpty = false
    let wanted = Array("customAttributes".utf8)
    while true {
      skipSpace()
      guard let key = skipString() else { return nil }
      skipSpace()
      guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
      i += 1
      skipSpace()
      let valueStart = i
      guard let valueLast = skipValue() else { return nil }
      if key.elementsEqual(wanted), b[valueStart] == UInt8(ascii: "[") {
        customAttributesClose = valueLast
        var j = valueStart + 1
        while j < valueLast, b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x09 { j += 1 }
        customAttributesEmpty = j == valueLast
      }
      skipSpace()
      guard i < b.count else { return nil }
      if b[i] == UInt8(ascii: ",") {
        i += 1
        continue
      }
      if b[i] == UInt8(ascii: "}") {
        objectClose = i
        return
      }
      return nil
    }
  }
}
