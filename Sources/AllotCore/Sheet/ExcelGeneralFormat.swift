/// How Excel's General number format shows a stored numeric value, for our purpose: at most 15
/// significant digits, plain (non-exponent) notation, no trailing zeros and no trailing dot.
///
/// Works on the decimal digits of the stored text (exact decimal arithmetic on the string), never
/// through `Double` formatting: `0.30000000000000004` → `0.3`, `5E-07` → `0.0000005`,
/// `123456789012345678` → `123456789012346000`, `-0` → `0`. Rounding is half away from zero on the
/// written digits.
public enum ExcelGeneralFormat {
  /// Most significant digits Excel shows.
  public static let maxSignificantDigits = 15

  /// The display text of a stored numeric value, or nil when `raw` is not a number
  /// (`[+-]? digits [. digits] [(e|E) [+-] digits]`, also `.5` and `5.`).
  public static func display(_ raw: String) -> String? {
    if isAlreadyCanonical(raw.utf8) { return raw }
    guard var n = ParsedNumber(raw.utf8) else { return nil }
    n.round(toSignificant: maxSignificantDigits)
    return n.plainText
  }

  /// The number of significant digits written in `raw`, from the first to the last non-zero digit
  /// (`0.30000000000000004` → 17, `100` → 1, `0.0012` → 2); 0 for zero and for text that is not a
  /// number.
  public static func significantDigits(_ raw: String) -> Int {
    guard let n = ParsedNumber(raw.utf8) else { return 0 }
    return n.digits.count
  }

  /// Fast path: text such as `2750.25`, `-12` or `0.5` (at most 15 digits, no exponent, no leading
  /// zeros, no trailing fractional zeros) is its own display.
  private static func isAlreadyCanonical(_ bytes: String.UTF8View) -> Bool {
    var digitCount = 0
    var index = 0
    var seenDot = false
    var first: UInt8 = 0
    var last: UInt8 = 0
    for u in bytes {
      defer { index += 1 }
      if index == 0 && u == UInt8(ascii: "-") { continue }
      if u >= 48 && u <= 57 {
        if digitCount == 0 { first = u }
        digitCount += 1
        if digitCount > maxSignificantDigits { return false }
        // "0" may only lead as "0" or "0.x"; a second leading zero ("00", "-01") is not canonical.
        if digitCount == 2 && !seenDot && first == 48 { return false }
      } else if u == UInt8(ascii: ".") && !seenDot && digitCount > 0 {
        seenDot = true
      } else {
        return false
      }
      last = u
    }
    guard digitCount > 0, last != UInt8(ascii: ".") else { return false }
    if seenDot && last == 48 { return false }
    // "-0" and "-0.0..." are shown as "0".
    if first == 48 && digitCount == 1 && bytes.first == UInt8(ascii: "-") { return false }
    return true
  }
}

/// A decimal number as `0.d1d2d3... × 10^pointPosition`, digits without leading or trailing zeros.
private struct ParsedNumber {
  var negative: Bool
  /// Significant digits (values 0...9), no leading or trailing zeros; empty for zero.
  var digits: [UInt8]
  /// Where the decimal point sits relative to the start of `digits`.
  var pointPosition: Int

  /// Exponents beyond this are not numbers any spreadsheet stores.
  static let maxExponent = 1_000

  init?<C: Collection>(_ bytes: C) where C.Element == UInt8 {
    var it = bytes.makeIterator()
    var c = it.next()
    negative = false
    if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
      negative = c == UInt8(ascii: "-")
      c = it.next()
    }
    var all: [UInt8] = []
    var intCount = 0
    var seenDot = false
    var anyDigit = false
    while let u = c {
      if u >= 48 && u <= 57 {
        all.append(u - 48)
        if !seenDot { intCount += 1 }
        anyDigit = true
      } else if u == UInt8(ascii: ".") && !seenDot {
        seenDot = true
      } else {
        break
      }
      c = it.next()
    }
    guard anyDigit else { return nil }
    var exponent = 0
    if let u = c {
      guard u == UInt8(ascii: "e") || u == UInt8(ascii: "E") else { return nil }
      c = it.next()
      var expNegative = false
      if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
        expNegative = c == UInt8(ascii: "-")
        c = it.next()
      }
      var anyExp = false
      while let d = c {
        guard d >= 48 && d <= 57 else { return nil }
        exponent = exponent * 10 + Int(d - 48)
        guard exponent <= Self.maxExponent else { return nil }
        anyExp = true
        c = it.next()
      }
      guard anyExp else { return nil }
      if expNegative { exponent = -exponent }
    }
    var start = 0
    while start < all.count && all[start] == 0 { start += 1 }
    var end = all.count
    while end > start && all[end - 1] == 0 { end -= 1 }
    digits = Array(all[start..<end])
    pointPosition = intCount - start + exponent
    if digits.isEmpty {
      negative = false
      pointPosition = 0
    }
  }

  /// Rounds half away from zero to at most `count` significant digits.
  mutating func round(toSignificant count: Int) {
    guard digits.count > count else { return }
    let roundUp = digits[count] >= 5
    digits.removeSubrange(count...)
    if roundUp {
      var i = digits.count - 1
      while i >= 0 {
        if digits[i] == 9 {
          digits[i] = 0
          i -= 1
        } else {
          digits[i] += 1
          break
        }
      }
      if i < 0 {
        digits.insert(1, at: 0)
        pointPosition += 1
      }
    }
    while let last = digits.last, last == 0 { digits.removeLast() }
  }

  var plainText: String {
    if digits.isEmpty { return "0" }
    var out: [UInt8] = []
    out.reserveCapacity(digits.count + abs(pointPosition) + 3)
    if negative { out.append(UInt8(ascii: "-")) }
    if pointPosition <= 0 {
      out.append(UInt8(ascii: "0"))
      out.append(UInt8(ascii: "."))
      out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -pointPosition))
      out.append(contentsOf: digits.lazy.map { $0 + 48 })
    } else if pointPosition >= digits.count {
      out.append(contentsOf: digits.lazy.map { $0 + 48 })
      out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: pointPosition - digits.count))
    } else {
      out.append(contentsOf: digits[..<pointPosition].lazy.map { $0 + 48 })
      out.append(UInt8(ascii: "."))
      out.append(contentsOf: digits[pointPosition...].lazy.map { $0 + 48 })
    }
    return String(decoding: out, as: UTF8.self)
  }
}
