extension DateRule {
  /// Readings of dates not written in ISO 8601: `03/04/2026`, `31.12.2026`, `2026/03/01`, `1 March 2026`,
  /// `Mar 1, 2026`, `1-Mar-2026`, optionally followed by a time. Never accepted: always an error that
  /// shows the reading(s), so the user writes the ISO date they mean.
  enum OtherSpellings {
    /// `shortcut`: give up early on ASCII text that cannot be a date of three parts (nil: when it is
    /// ASCII; the tests compare both ways).
    static func diagnose(_ text: String, label: String, shortcut: Bool? = nil) -> FieldProblem {
      let shown = TextScan.shown(text)
      let generic = FieldProblem.error(
        "date.not_iso",
        "\(label) must be an ISO 8601 date like 2026-03-01 or 2026-03-01T09:30:00Z (found \(shown)).")
      if shortcut ?? TextScan.isASCII(text), !hasTimeSuffix(text), tokenCount(text) != 3 { return generic }
      // Split off a trailing time ("03/04/2026 10:00").
      var datePart = Substring(text)
      var timeSuffix = ""
      if let space = text.lastIndex(of: " "), text[text.index(after: space)...].contains(":") {
        datePart = text[..<space]
        let rest = text[text.index(after: space)...]
        guard let t = DateRule.ISO(Array(("2000-01-01T" + rest).utf8)), !t.dateOnly,
          t.problem(label: label, shown: text) == nil
        else { return generic }
        timeSuffix = String(t.text.dropFirst(10))
      }
      let tokens = datePart.split(whereSeparator: {
        $0 == "/" || $0 == "." || $0 == "-" || $0 == " " || $0 == ","
      })
      guard tokens.count == 3 else { return generic }
      if let month = tokens.firstIndex(where: { monthNumber($0) != nil }) {
        return named(tokens, monthAt: month, label: label, shown: shown, time: timeSuffix) ?? generic
      }
      let numbers = tokens.compactMap { DateRule.number(Array($0.utf8)) }
      guard numbers.count == 3 else { return generic }
      let widths = tokens.map { $0.utf8.count }
      if widths[0] == 4 {
        // 2026/03/01: year first, then month and day.
        return one(numbers[0], numbers[1], numbers[2], label: label, shown: shown, time: timeSuffix)
      }
      guard widths[2] == 4 else {
        return .error(
          "date.not_iso",
          "\(label) \(shown) has no four-digit year; write the date as YYYY-MM-DD, e.g. 2026-03-01.")
      }
      let (a, b, y) = (numbers[0], numbers[1], numbers[2])
      let dayFirst = ExcelDate.isValidDate(year: y, month: b, day: a)
      let monthFirst = ExcelDate.isValidDate(year: y, month: a, day: b)
      switch (dayFirst, monthFirst) {
      case (true, true) where a != b:
        let r1 = DateRule.iso(y, b, a) + timeSuffix
        let r2 = DateRule.iso(y, a, b) + timeSuffix
        return .error(
          "date.ambiguous",
          "\(label) \(shown) is ambiguous: it could be \(DateRule.spoken(y, b, a)) (write \(r1)) or \(DateRule.spoken(y, a, b)) (write \(r2)). Write dates as YYYY-MM-DD."
        )
      case (true, _):
        return reading(y, b, a, label: label, shown: shown, time: timeSuffix)
      case (false, true):
        return reading(y, a, b, label: label, shown: shown, time: timeSuffix)
      case (false, false):
        return .error("date.invalid", "\(label) \(shown) is not a real date in either day/month order.")
      }
    }

    /// For ASCII text: whether a space is followed by a `:` (a time after the date), as `diagnose` looks.
    private static func hasTimeSuffix(_ text: String) -> Bool {
      guard let space = text.utf8.lastIndex(of: UInt8(ascii: " ")) else { return false }
      return text.utf8[text.utf8.index(after: space)...].contains(UInt8(ascii: ":"))
    }

    /// For ASCII text: the number of tokens `diagnose` splits it into (runs between `/ . - space ,`).
    private static func tokenCount(_ text: String) -> Int {
      var count = 0
      var inToken = false
      for b in text.utf8 {
        switch b {
        case UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: ","):
          inToken = false
        default:
          if !inToken { count += 1 }
          inToken = true
        }
      }
      return count
    }

    private static func one(_ y: Int, _ m: Int, _ d: Int, label: String, shown: String, time: String)
      -> FieldProblem
    {
      guard ExcelDate.isValidDate(year: y, month: m, day: d) else {
        return .error("date.invalid", "\(label) \(shown) is not a real date.")
      }
      return reading(y, m, d, label: label, shown: shown, time: time)
    }

    private static func reading(_ y: Int, _ m: Int, _ d: Int, label: String, shown: String, time: String)
      -> FieldProblem
    {
      .error(
        "date.not_iso",
        "\(label) must be written as an ISO 8601 date: write \(DateRule.iso(y, m, d) + time) (\(DateRule.spoken(y, m, d))) instead of \(shown)."
      )
    }

    private static func named(
      _ tokens: [Substring], monthAt: Int, label: String, shown: String, time: String
    ) -> FieldProblem? {
      guard let m = monthNumber(tokens[monthAt]) else { return nil }
      let others = tokens.indices.filter { $0 != monthAt }.map { tokens[$0] }
      guard let yearToken = others.first(where: { $0.utf8.count == 4 }),
        let dayToken = others.first(where: { $0.utf8.count <= 2 }),
        let y = DateRule.number(Array(yearToken.utf8)), let d = DateRule.number(Array(dayToken.utf8))
      else { return nil }
      return one(y, m, d, label: label, shown: shown, time: time)
    }

    /// 1...12 for an English month name or its abbreviation of at least three letters (`Mar`, `Sept`).
    static func monthNumber(_ token: Substring) -> Int? {
      let t = token.lowercased()
      guard t.count >= 3 else { return nil }
      for (i, name) in DateRule.monthNames.enumerated() {
        let n = name.lowercased()
        if n.hasPrefix(t) || (t == "sept" && i == 8) { return i + 1 }
      }
      return nil
    }
  }
}
