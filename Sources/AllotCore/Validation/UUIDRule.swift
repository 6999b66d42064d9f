/// UUIDs (`contractId`, `tokenId`, schedule ids): 8-4-4-4-12 hex digits in any case and any version,
/// surrounding spaces ignored, sent in lower case. Braces, missing dashes and wrong lengths are errors
/// whose message says what to change.
public enum UUIDRule {
  public static let example = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"

  /// The lower-case UUID, or the problem (code `uuid.invalid`). `text` should be trimmed.
  public static func check(_ text: String, label: String) -> Result<String, FieldProblem> {
    switch TextScan.withBytes(text, shape) {
    case .lower: return .success(text)
    case .mixed: return .success(TextScan.asciiLowercased(text))
    case .invalid: break
    }
    return .failure(.error("uuid.invalid", "\(label) is not a valid UUID: \(explain(text))"))
  }

  enum Shape { case lower, mixed, invalid }

  static func shape(_ b: UnsafeBufferPointer<UInt8>) -> Shape {
    guard b.count == 36, let p = b.baseAddress else { return .invalid }
    let dash = UInt8(ascii: "-")
    guard p[8] == dash, p[13] == dash, p[18] == dash, p[23] == dash else { return .invalid }
    // Every other byte a hex digit, eight bytes at a time: five words cover the 36 bytes, each with the
    // mask of its bytes that must be hex digits (the dashes are checked above).
    let raw = UnsafeRawPointer(p)
    var bad: UInt64 = 0
    var upper: UInt64 = 0
    @inline(__always) func check(_ offset: Int, _ hexBytes: UInt64) {
      let w = SWARBytes.load(raw, offset)
      let (hex, capital) = SWARBytes.hexDigits(w)
      bad |= (hex & hexBytes) ^ hexBytes
      upper |= capital & hexBytes
    }
    check(0, SWARBytes.highs)  // bytes 0–7
    check(8, 0x8080_0080_8080_8000)  // 8 is a dash, 9–12 hex, 13 a dash, 14–15 hex
    check(16, 0x0080_8080_8000_8080)  // 16–17 hex, 18 a dash, 19–22 hex, 23 a dash
    check(24, SWARBytes.highs)  // bytes 24–31
    check(28, SWARBytes.highs)  // bytes 28–35
    if bad != 0 { return .invalid }
    return upper != 0 ? .mixed : .lower
  }

  /// nil when not a canonical UUID; `.some(nil)` when `bytes` is already lower case; else the lower-case text.
  private static func normalised(_ bytes: String.UTF8View) -> String?? {
    guard bytes.count == 36 else { return nil }
    var index = 0
    var upper = false
    for u in bytes {
      if index == 8 || index == 13 || index == 18 || index == 23 {
        if u != UInt8(ascii: "-") { return nil }
      } else {
        switch u {
        case 48...57, 97...102: break
        case 65...70: upper = true
        default: return nil
        }
      }
      index += 1
    }
    if !upper { return .some(nil) }
    return .some(String(decoding: bytes.map { TextScan.lower($0) }, as: UTF8.self))
  }

  /// A UUID-shaped rewrite of `hex` (32 hex digits) with dashes.
  private static func dashed(_ hex: [UInt8]) -> String {
    var out = [UInt8]()
    for (i, u) in hex.enumerated() {
      if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
      out.append(TextScan.lower(u))
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `bytewise`: scan ASCII text as bytes (nil: when it is ASCII; the tests compare both ways).
  static func explain(_ text: String, bytewise: Bool? = nil) -> String {
    let shown = TextScan.shown(text)
    if text.hasPrefix("{") || text.hasSuffix("}") {
      var inner = text
      if inner.hasPrefix("{") { inner.removeFirst() }
      if inner.hasSuffix("}") { inner.removeLast() }
      if let n = normalised(inner.utf8) { return "remove the braces: write \(n ?? inner)." }
    }
    // ASCII text (the usual case) is scanned as bytes: the same findings, without lower-casing the text
    // or looking up each character's properties.
    let ascii = bytewise ?? TextScan.isASCII(text)
    if ascii ? TextScan.hasPrefixIgnoringCase(text, "urn:uuid:") : text.lowercased().hasPrefix("urn:uuid:") {
      let inner = String(text.dropFirst(9))
      if let n = normalised(inner.utf8) { return "remove the urn:uuid: prefix: write \(n ?? inner)." }
    }
    let utf8 = Array(text.utf8)
    let hex = utf8.filter { Hex.value($0) != nil }
    let firstBad: Character? =
      ascii
      ? utf8.firstIndex(where: { Hex.value($0) == nil && $0 != UInt8(ascii: "-") }).map { i in
        // A CR before an LF is one character with it.
        utf8[i] == 13 && i + 1 < utf8.count && utf8[i + 1] == 10 ? "\r\n" : Character(Unicode.Scalar(utf8[i]))
      }
      : text.first(where: { !($0.isHexDigit || $0 == "-") })
    if let bad = firstBad {
      let what = bad == " " ? "a space" : "'\(bad)'"
      return
        "it contains \(what), but a UUID has only hex digits (0-9, a-f) and dashes, like \(example) (found \(shown))."
    }
    if hex.count == 32 && !utf8.contains(UInt8(ascii: "-")) {
      return "the dashes are missing: write \(dashed(hex))."
    }
    if hex.count != 32 {
      return
        "it has \(hex.count) hex digits; a UUID has 32 in groups 8-4-4-4-12, like \(example) (found \(shown))."
    }
    return "the dashes are in the wrong places; a UUID is grouped 8-4-4-4-12: write \(dashed(hex))."
  }
}
