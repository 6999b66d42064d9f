import AllotCore

/// Cell values of SpreadsheetML `Data` elements.
enum SpreadsheetMLDates {
  /// The cell for a `<Data ss:Type="type">text</Data>`.
  static func cell(type: String, text: String, isDateStyle: Bool, system: DateSystem) -> Cell {
    switch type {
    case "Number":
      let trimmed = text.trimmingCharacters
      if isDateStyle, let serial = Double(trimmed),
        let parts = ExcelDate.components(serial: serial, system: system)
      {
        return Cell(kind: .date, text: parts.isoText, raw: trimmed)
      }
      if let display = ExcelGeneralFormat.display(trimmed) {
        return Cell.number(display, raw: trimmed)
      }
      return text.isEmpty ? .empty : .text(text)
    case "DateTime":
      if let parts = parseDateTime(text) {
        return Cell(kind: .date, text: parts.isoText, raw: text)
      }
      return text.isEmpty ? .empty : .text(text)
    case "Boolean":
      switch text.trimmingCharacters.lowercased() {
      case "1", "true": return Cell(kind: .boolean, text: "TRUE")
      case "0", "false": return Cell(kind: .boolean, text: "FALSE")
      default: return text.isEmpty ? .empty : .text(text)
      }
    case "Error":
      return text.isEmpty ? .empty : Cell(kind: .error, text: text)
    default:
      return text.isEmpty ? .empty : .text(text)
    }
  }

  /// Parses `YYYY-MM-DD[Thh:mm[:ss[.fff]]]`; fractions of a second are dropped. Nil for anything
  /// else or an impossible date. `1900-02-29` (Excel's phantom day) is kept as written.
  static func parseDateTime(_ text: String) -> DateTimeParts? {
    let u = Array(text.trimmingCharacters.utf8)
    func number(_ from: Int, _ count: Int) -> Int? {
      guard from + count <= u.count else { return nil }
      var n = 0
      for k in from..<(from + count) {
        let d = u[k]
        guard d >= 48 && d <= 57 else { return nil }
        n = n * 10 + Int(d - 48)
      }
      return n
    }
    guard u.count >= 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
      let year = number(0, 4), let month = number(5, 2), let day = number(8, 2)
    else { return nil }
    let phantom = year == 1900 && month == 2 && day == 29
    guard phantom || ExcelDate.isValidDate(year: year, month: month, day: day) else { return nil }
    var parts = DateTimeParts(year: year, month: month, day: day)
    if u.count == 10 { return parts }
    guard u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "), let hour = number(11, 2),
      u.count >= 16, u[13] == UInt8(ascii: ":"), let minute = number(14, 2), hour < 24, minute < 60
    else { return nil }
    parts.hour = hour
    parts.minute = minute
    if u.count >= 19 && u[16] == UInt8(ascii: ":") {
      guard let second = number(17, 2), second < 60 else { return nil }
      parts.second = second
    }
    return parts
  }

  /// True for a number format that shows a date or time: the named formats `General Date`, `Long
  /// Date`, `Medium Date`, `Short Date`, `Long Time`, `Medium Time`, `Short Time`, and custom formats
  /// with `d m y h s` outside quoted text, escapes and `[...]` sections.
  static func isDateFormat(_ format: String) -> Bool {
    switch format {
    case "General Date", "Long Date", "Medium Date", "Short Date", "Long Time", "Medium Time",
      "Short Time":
      return true
    case "General", "General Number", "Fixed", "Standard", "Percent", "Scientific", "Currency",
      "Euro Currency", "Yes/No", "True/False", "On/Off", "@":
      return false
    default:
      break
    }
    var inQuote = false
    var inBracket = false
    var escaped = false
    for c in format.unicodeScalars {
      if escaped {
        escaped = false
        continue
      }
      if inQuote {
        if c == "\"" { inQuote = false }
        continue
      }
      if inBracket {
        if c == "]" { inBracket = false }
        continue
      }
      switch c {
      case "\\", "_", "*": escaped = true
      case "\"": inQuote = true
      case "[": inBracket = true
      case "d", "D", "m", "M", "y", "Y", "h", "H", "s", "S": return true
      default: break
      }
    }
    return false
  }
}

extension String {
  /// The text without leading and trailing ASCII spaces, tabs and line breaks.
  fileprivate var trimmingCharacters: String {
    let u = Array(utf8)
    var a = 0
    var b = u.count
    while a < b && (u[a] == 32 || u[a] == 9 || u[a] == 10 || u[a] == 13) { a += 1 }
    while b > a && (u[b - 1] == 32 || u[b - 1] == 9 || u[b - 1] == 10 || u[b - 1] == 13) { b -= 1 }
    if a == 0 && b == u.count { return self }
    return String(decoding: u[a..<b], as: UTF8.self)
  }
}
