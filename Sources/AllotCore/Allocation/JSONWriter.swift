/// A minimal JSON byte writer: objects, arrays, strings and booleans, no whitespace. Strings are escaped
/// as RFC 8259 requires (`"`, `\`, control characters); everything else, non-ASCII included, is written
/// as its UTF-8 bytes. Commas are placed automatically.
public struct JSONWriter: Sendable {
  public private(set) var bytes: [UInt8]
  private var needsComma = false

  public init(capacity: Int = 512) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  public mutating func beginObject() {
    separate()
    bytes.append(UInt8(ascii: "{"))
    needsComma = false
  }

  public mutating func endObject() {
    bytes.append(UInt8(ascii: "}"))
    needsComma = true
  }

  public mutating func beginArray() {
    separate()
    bytes.append(UInt8(ascii: "["))
    needsComma = false
  }

  public mutating func endArray() {
    bytes.append(UInt8(ascii: "]"))
    needsComma = true
  }

  /// An object key (plain ASCII, written without escaping).
  public mutating func key(_ name: StaticString) {
    // `,"name":` gathered on the stack and appended at once.
    let n = name.utf8CodeUnitCount
    let comma = needsComma ? 1 : 0
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n + 4) { out in
      out[0] = UInt8(ascii: ",")
      out[comma] = UInt8(ascii: "\"")
      for i in 0..<n { out[comma + 1 + i] = name.utf8Start[i] }
      out[comma + 1 + n] = UInt8(ascii: "\"")
      out[comma + 2 + n] = UInt8(ascii: ":")
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: out[..<(comma + 3 + n)]))
    }
    needsComma = false
  }

  public mutating func string(_ value: String) {
    TextScan.withBytes(value) { string($0) }
  }

  /// A string given as its UTF-8 bytes.
  public mutating func string(_ value: UnsafeBufferPointer<UInt8>) {
    if !plain(nil, value) {
      separate()
      Self.appendQuoted(value, to: &bytes)
    }
    needsComma = true
  }

  public mutating func bool(_ value: Bool) {
    separate()
    bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
    needsComma = true
  }

  /// An integer, in decimal.
  public mutating func integer(_ value: Int64) {
    separate()
    bytes.append(contentsOf: String(value).utf8)
    needsComma = true
  }

  /// `"key":"value"` pairs; nil values are omitted.
  public mutating func field(_ name: StaticString, _ value: String?) {
    guard let value else { return }
    TextScan.withBytes(value) { field(name, $0) }
  }

  /// `"key":"value"` for a value given as its UTF-8 bytes; nil values are omitted.
  public mutating func field(_ name: StaticString, _ value: UnsafeBufferPointer<UInt8>?) {
    guard let value else { return }
    if plain(name, value) {
      needsComma = true
      return
    }
    key(name)
    string(value)
  }

  /// The fast path of `field` and `string`: a short value with nothing to escape is written with its
  /// separator, its key (when `name` is given) and its quotes in one append, gathered on the stack (each
  /// `Array` append is a uniqueness check, a capacity check and a copy call). False, with nothing
  /// written, for any other value. (`ByteScan.firstJSONSpecial` also stops at `<` and 0xE2, which need
  /// no escape here: those values take the general path, with the same result.)
  private mutating func plain(_ name: StaticString?, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
    let m = value.count
    guard m <= 256, ByteScan.firstJSONSpecial(value) == m else { return false }
    let n = name?.utf8CodeUnitCount ?? 0
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n + m + 6) { out in
      guard let o = out.baseAddress else { return }
      var k = 0
      if needsComma {
        o[0] = UInt8(ascii: ",")
        k = 1
      }
      if let name {
        o[k] = UInt8(ascii: "\"")
        (o + k + 1).initialize(from: name.utf8Start, count: n)
        k += n + 1
        o[k] = UInt8(ascii: "\"")
        o[k + 1] = UInt8(ascii: ":")
        k += 2
      }
      o[k] = UInt8(ascii: "\"")
      if let v = value.baseAddress { (o + k + 1).initialize(from: v, count: m) }
      k += m + 1
      o[k] = UInt8(ascii: "\"")
      bytes.append(contentsOf: UnsafeBufferPointer(start: o, count: k + 1))
    }
    return true
  }

  @inline(__always)
  private mutating func separate() {
    if needsComma { bytes.append(UInt8(ascii: ",")) }
  }

  private static let trueBytes: [UInt8] = Array("true".utf8)
  private static let falseBytes: [UInt8] = Array("false".utf8)
  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends `value` as a JSON string literal.
  public static func appendQuoted(_ value: String, to out: inout [UInt8]) {
    var value = value
    value.withUTF8 { appendQuoted($0, to: &out) }
  }

  /// Appends the UTF-8 text in `buffer` as a JSON string literal. Eight bytes at a time are checked
  /// for anything to escape (control characters, `"` and `\\`), and copied in runs.
  public static func appendQuoted(_ buffer: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    let n = buffer.count
    guard let base = buffer.baseAddress else {
      out.append(UInt8(ascii: "\""))
      return
    }
    let raw = UnsafeRawPointer(base)
    var runStart = 0
    var i = 0
    while i < n {
      if i + 8 <= n, !mayNeedEscape(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
        i += 8
        continue
      }
      let end = min(i + 8, n)
      while i < end {
        let u = buffer[i]
        i += 1
        guard u < 0x20 || u == UInt8(ascii: "\"") || u == UInt8(ascii: "\\") else { continue }
        if runStart < i - 1 {
          out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<(i - 1)]))
        }
        runStart = i
        out.append(UInt8(ascii: "\\"))
        switch u {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        default:
          out.append(contentsOf: [
            UInt8(ascii: "u"), 48, 48, hexDigits[Int(u >> 4)], hexDigits[Int(u & 0x0f)],
          ])
        }
      }
    }
    if runStart < n {
      out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart...]))
    }
    out.append(UInt8(ascii: "\""))
  }

  /// False when none of the eight bytes of `w` is below 0x20, `"` or `\\` (exact); true when one may be.
  @inline(__always)
  static func mayNeedEscape(_ w: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let below20 = (w &- ones &* 0x20) & ~w & highs
    let quote = w ^ (ones &* 0x22)
    let backslash = w ^ (ones &* 0x5C)
    let hasQuote = (quote &- ones) & ~quote & highs
    let hasBackslash = (backslash &- ones) & ~backslash & highs
    return below20 | hasQuote | hasBackslash != 0
  }
}
