/// Exact decimal amounts (`amount`, `receivedOffMagna`): `digits [. digits]`, surrounding spaces
/// ignored, sent in canonical form (`007.50` → `7.5`). Anything else gets a specific code whose
/// message shows the likely intended value; nothing is guessed silently.
public enum AmountRule {
  /// Checks one amount cell. `field` is `.amount` or `.receivedOffMagna` (codes use its path).
  public static func check(_ cell: Cell, field: AllocationField, maxDecimals: Int) -> FieldOutcome<String> {
    let label = field.label
    let prefix = field.path
    switch cell.kind {
    case .empty: return .empty
    case .error:
      return .error(
        "cell.error", "\(label) shows the spreadsheet error \(cell.text); fix the formula or type the value.")
    case .boolean:
      return .error("\(prefix).not_a_number", "\(label) must be a number, not \(cell.text).")
    case .date:
      return .error(
        "\(prefix).not_a_number",
        "\(label) is a date cell (\(cell.text)); format the column as a number or text and type the amount.")
    case .text, .number: break
    }
    let text = TextScan.trimmed(cell.text)
    if text.isEmpty { return .empty }
    if let canonical = canonicalDecimal(text.utf8) {
      return finish(canonical, original: text, cell: cell, field: field, maxDecimals: maxDecimals)
    }
    return FieldOutcome(value: nil, problems: [diagnose(text, field: field)])
  }

  /// Zero check, decimals check and the float-precision warning for a well-formed amount.
  private static func finish(
    _ canonical: String, original: String, cell: Cell, field: AllocationField, maxDecimals: Int
  ) -> FieldOutcome<String> {
    let label = field.label
    if canonical == "0" {
      let hint = field == .receivedOffMagna ? " Leave the cell empty when nothing was received." : ""
      return .error(
        "\(field.path).not_positive", "\(label) must be greater than zero (found \(original)).\(hint)")
    }
    let decimals = fractionalDigits(canonical.utf8)
    if decimals > maxDecimals {
      return .error(
        "\(field.path).too_many_decimals",
        "\(label) has \(decimals) decimal places; at most \(maxDecimals) are allowed (found \(TextScan.shown(original)))."
      )
    }
    // Every amount must be exact downstream (totals, reconciliation): at most 38 digits in all.
    if ExactDecimal(canonical) == nil {
      return .error(
        "\(field.path).too_large",
        "\(label) has too many digits to be handled exactly (at most 38 digits in all; found \(TextScan.shown(original)))."
      )
    }
    var outcome = FieldOutcome<String>.ok(canonical)
    if cell.kind == .number {
      let stored = cell.raw ?? cell.text
      if ExcelGeneralFormat.significantDigits(stored) > ExcelGeneralFormat.maxSignificantDigits {
        outcome.problems.append(
          .warning(
            "\(field.path).float_precision",
            "Excel may have rounded this: the file stores \(stored) and shows \(cell.text). Store amounts as text to keep every digit."
          ))
      }
    }
    return outcome
  }

  /// Canonical text of `digits [. digits]` (leading zeros and trailing fractional zeros removed),
  /// or nil when the text does not follow that grammar. Returns the input itself when already canonical.
  static func canonicalDecimal(_ bytes: String.UTF8View) -> String? {
    guard let shape = DecimalShape(bytes) else { return nil }
    if shape.isCanonical { return String(bytes) }
    let dropLeading = shape.dropLeading
    let intDigits = shape.intDigits
    let dot = shape.dot
    let all = Array(bytes)
    var out = [UInt8]()
    out.reserveCapacity(all.count)
    out.append(contentsOf: all[dropLeading..<intDigits])
    let keepFrac = shape.keepFraction
    if dot >= 0 && keepFrac > 0 {
      out.append(UInt8(ascii: "."))
      out.append(contentsOf: all[(dot + 1)..<(dot + 1 + keepFrac)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func fractionalDigits(_ canonical: String.UTF8View) -> Int {
    guard let dot = canonical.firstIndex(of: UInt8(ascii: ".")) else { return 0 }
    return canonical.distance(from: dot, to: canonical.endIndex) - 1
  }

  /// Compares two canonical decimals (`canonicalDecimal` output): -1, 0 or 1.
  static func compareCanonical(_ a: String, _ b: String) -> Int {
    func split(_ s: String) -> ([UInt8], [UInt8]) {
      let u = Array(s.utf8)
      if let dot = u.firstIndex(of: UInt8(ascii: ".")) { return (Array(u[..<dot]), Array(u[(dot + 1)...])) }
      return (u, [])
    }
    let (ai, af) = split(a)
    let (bi, bf) = split(b)
    if ai.count != bi.count { return ai.count < bi.count ? -1 : 1 }
    if ai != bi { return ai.lexicographicallyPrecedes(bi) ? -1 : 1 }
    if af == bf { return 0 }
    let width = max(af.count, bf.count)
    let pa = af + [UInt8](repeating: 48, count: width - af.count)
    let pb = bf + [UInt8](repeating: 48, count: width - bf.count)
    if pa == pb { return 0 }
    return pa.lexicographicallyPrecedes(pb) ? -1 : 1
  }

  // MARK: - Diagnosis of text that is not a plain decimal

  /// What a malformed amount most likely means.
  struct Reading {
    var negative = false
    var currency = false
    var plusSign = false
    var exponent = false
    var thousands = false
    var localeComma = false
    /// `1,000`: a thousands separator or a decimal comma; `alternative` is the decimal-comma reading.
    var alternative: String?
    var bareDot = false
    /// The intended number written plainly (separators removed, exponent expanded).
    var plain = ""
  }

  static func diagnose(_ text: String, field: AllocationField) -> FieldProblem {
    let label = field.label
    let prefix = field.path
    let shown = TextScan.shown(text)
    guard let r = read(text) else {
      return .error(
        "\(prefix).not_a_number", "\(label) must be a number like 1250 or 1250.75 (found \(shown)).")
    }
    if r.negative {
      return .error("\(prefix).not_positive", "\(label) must be greater than zero (found \(shown)).")
    }
    if r.currency {
      return .error(
        "\(prefix).currency_symbol",
        "\(label) must be a plain number without a currency sign or code: write \(r.plain) (found \(shown)).")
    }
    if r.exponent {
      return .error(
        "\(prefix).exponent",
        "\(label) must be written out in full, not in exponent notation: write \(r.plain) (found \(shown)).")
    }
    if let alternative = r.alternative {
      return .error(
        "\(prefix).thousands_separator",
        "\(label) \(shown) contains a comma: write \(r.plain) if the comma separates thousands, or \(alternative) if it is a decimal comma."
      )
    }
    if r.thousands {
      return .error(
        "\(prefix).thousands_separator",
        "\(label) must not contain thousands separators: write \(r.plain) (found \(shown)).")
    }
    if r.localeComma {
      return .error(
        "\(prefix).locale_comma",
        "\(label) uses a decimal comma: write \(r.plain) with a decimal point (found \(shown)).")
    }
    return .error(
      "\(prefix).not_a_number",
      "\(label) must be a number like 1250 or 1250.75: write \(r.plain) (found \(shown)).")
  }

  /// Interprets malformed amount text; nil when no plausible number is in it.
  static func read(_ text: String) -> Reading? {
    var r = Reading()
    var s = Array(text.unicodeScalars)
    func trimSpaces() {
      while let f = s.first, TextScan.isTrimmable(f) { s.removeFirst() }
      while let l = s.last, TextScan.isTrimmable(l) { s.removeLast() }
    }
    func takeSign() {
      while let f = s.first, f == "-" || f == "+" || f == "\u{2212}" {
        if f == "+" { r.plusSign = true } else { r.negative = true }
        s.removeFirst()
        trimSpaces()
      }
      if let l = s.last, l == "-" || l == "\u{2212}" {
        r.negative = true
        s.removeLast()
        trimSpaces()
      }
    }
    trimSpaces()
    if s.first == "(" && s.last == ")" && s.count > 2 {
      r.negative = true
      s = Array(s[1..<(s.count - 1)])
      trimSpaces()
    }
    takeSign()
    // Currency: symbols and letter codes before or after the number.
    while let f = s.first, isCurrencyScalar(f) {
      r.currency = true
      s.removeFirst()
      trimSpaces()
      takeSign()
    }
    while let l = s.last, isCurrencyScalar(l) {
      r.currency = true
      s.removeLast()
      trimSpaces()
      takeSign()
    }
    guard !s.isEmpty else { return nil }
    // What is left: digits, '.', ',', group separators and an exponent.
    var mantissa: [UInt8] = []
    var exponentText: [UInt8]? = nil
    for scalar in s {
      let v = scalar.value
      if exponentText != nil {
        guard v < 0x80, TextScan.isDigit(UInt8(v)) || ((v == 0x2D || v == 0x2B) && exponentText!.isEmpty)
        else {
          return nil
        }
        exponentText!.append(UInt8(v))
        continue
      }
      switch v {
      case 0x30...0x39, 0x2E, 0x2C: mantissa.append(UInt8(v))
      case 0x20, 0xA0, 0x2009, 0x202F, 0x27, 0x2019: mantissa.append(UInt8(ascii: " "))
      case 0x45, 0x65:
        guard !mantissa.isEmpty else { return nil }
        exponentText = []
      default: return nil
      }
    }
    guard mantissa.contains(where: TextScan.isDigit) else { return nil }
    if let exp = exponentText {
      guard let e = Int(String(decoding: exp, as: UTF8.self)), abs(e) <= 60,
        let m = canonicalDecimal(String(decoding: mantissa, as: UTF8.self).utf8)
      else { return nil }
      r.exponent = true
      r.plain = expand(m, exponent: e)
      return r
    }
    guard let plain = readSeparators(mantissa, into: &r) else { return nil }
    r.plain = plain
    return r
  }

  private static func isCurrencyScalar(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x24, 0xA2...0xA5, 0x20A0...0x20CF: return true  // $, ¢ £ ¤ ¥, the currency block (€ ₿ ₹ …)
    case 0x41...0x5A, 0x61...0x7A:
      // Letter codes (USD, USDC, EUR, ETH); a lone e/E is an exponent, handled by the caller.
      return s != "e" && s != "E"
    default: return false
    }
  }

  /// Reads digits with `.`, `,` and spaces (normalised group separators); sets the reading flags.
  private static func readSeparators(_ m: [UInt8], into r: inout Reading) -> String? {
    let dot = UInt8(ascii: ".")
    let comma = UInt8(ascii: ",")
    let space = UInt8(ascii: " ")
    let dots = m.filter { $0 == dot }.count
    let commas = m.filter { $0 == comma }.count
    let spaces = m.filter { $0 == space }.count
    let digitsOnly: ([UInt8]) -> String = { String(decoding: $0.filter(TextScan.isDigit), as: UTF8.self) }
    // Which separator is the decimal mark: the last of '.'/',' when it occurs once and the others group.
    var decimalMark: UInt8? = nil
    if dots + commas == 0 {
      if spaces == 0 {
        // Plain digits: only a sign or currency was wrong.
        return String(decoding: m, as: UTF8.self)
      }
    } else if let last = m.last(where: { $0 == dot || $0 == comma }) {
      let lastCount = last == dot ? dots : commas
      if lastCount == 1 { decimalMark = last }
    }
    // Split integer part and fraction.
    var intPart = m
    var frac: [UInt8] = []
    if let mark = decimalMark, let at = m.lastIndex(of: mark) {
      intPart = Array(m[..<at])
      frac = Array(m[(at + 1)...])
      guard frac.allSatisfy(TextScan.isDigit) else { return nil }
    }
    // The grouping of the integer part: one separator kind, groups of three after the first.
    let groupSeps = intPart.filter { !TextScan.isDigit($0) }
    if !groupSeps.isEmpty {
      guard Set(groupSeps).count == 1, groupsOfThree(intPart) else {
        return nil
      }
    }
    if intPart.isEmpty && frac.isEmpty { return nil }
    let intDigits = digitsOnly(intPart)
    let fracText = String(decoding: frac, as: UTF8.self)
    if decimalMark == nil {
      r.thousands = true
      return intDigits
    }
    if intDigits.isEmpty {
      // ".5" or ",5"
      if decimalMark == comma { r.localeComma = true } else { r.bareDot = true }
      return "0." + fracText
    }
    if frac.isEmpty {
      // "5." → "5"
      if groupSeps.isEmpty && decimalMark == dot { r.bareDot = true }
      if decimalMark == comma { r.localeComma = true }
      if !groupSeps.isEmpty { r.thousands = true }
      return intDigits
    }
    if decimalMark == comma {
      if groupSeps.isEmpty && frac.count == 3 && commas == 1 && dots == 0 && intPart.count <= 3 {
        // "1,000": thousands or decimal comma.
        r.alternative = intDigits + "." + fracText
        return intDigits + fracText
      }
      r.localeComma = true
      if !groupSeps.isEmpty && groupSeps[0] == comma { return nil }
      return intDigits + "." + fracText
    }
    if !groupSeps.isEmpty { r.thousands = true }
    return intDigits + "." + fracText
  }

  /// `1 234 567`, `1,234`: the first group has 1–3 digits, each later group exactly 3.
  private static func groupsOfThree(_ part: [UInt8]) -> Bool {
    var groups: [Int] = [0]
    for u in part {
      if TextScan.isDigit(u) { groups[groups.count - 1] += 1 } else { groups.append(0) }
    }
    guard let first = groups.first, (1...3).contains(first) else { return false }
    return groups.dropFirst().allSatisfy { $0 == 3 }
  }

  /// `mantissa × 10^exponent` written out (mantissa canonical).
  static func expand(_ mantissa: String, exponent: Int) -> String {
    let u = Array(mantissa.utf8)
    var intPart: [UInt8]
    var frac: [UInt8]
    if let dot = u.firstIndex(of: UInt8(ascii: ".")) {
      intPart = Array(u[..<dot])
      frac = Array(u[(dot + 1)...])
    } else {
      intPart = u
      frac = []
    }
    var digits = intPart + frac
    var point = intPart.count + exponent
    if point < 0 {
      digits = [UInt8](repeating: 48, count: -point) + digits
      point = 0
    }
    if point > digits.count { digits += [UInt8](repeating: 48, count: point - digits.count) }
    var text = String(decoding: digits[..<point], as: UTF8.self)
    if text.isEmpty { text = "0" }
    if point < digits.count { text += "." + String(decoding: digits[point...], as: UTF8.self) }
    let candidate = text
    return canonicalDecimal(candidate.utf8) ?? candidate
  }
}
