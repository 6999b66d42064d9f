/// Dates (`unlockStartAt`, `vestingStartAt`): ISO 8601 text, Excel date cells and serial numbers, sent
/// as ISO 8601 text. A date stays `YYYY-MM-DD`; a date-time becomes `YYYY-MM-DDThh:mm:ss[.fff]` with its
/// offset, or `Z` when none is written (Magna's template reads times as UTC). `03/04/2026` is refused
/// with both readings; other recognisable spellings are refused with their one reading.
public enum DateRule {
  public static func check(_ cell: Cell, field: AllocationField, system: DateSystem) -> FieldOutcome<String> {
    let label = field.label
    switch cell.kind {
    case .empty: return .empty
    case .error:
      return .error(
        "cell.error", "\(label) shows the spreadsheet error \(cell.text); fix the formula or type the date.")
    case .boolean:
      return .error("date.not_iso", "\(label) must be a date like 2026-03-01, not \(cell.text).")
    case .number:
      return serial(cell.raw ?? cell.text, shown: cell.text, label: label, system: system)
    case .date, .text: break
    }
    let text = TextScan.trimmed(cell.text)
    if text.isEmpty { return .empty }
    let bytes = Array(text.utf8)
    if let iso = ISO(bytes) {
      if let problem = iso.problem(label: label, shown: text) {
        return FieldOutcome(value: nil, problems: [problem])
      }
      if iso.dateOnly && bytes.count == 10 { return .ok(text) }
      // Already `YYYY-MM-DDThh:mm:ssZ`: send as written.
      if bytes.count == 20 && bytes[10] == UInt8(ascii: "T") && bytes[16] == UInt8(ascii: ":")
        && bytes[19] == UInt8(ascii: "Z")
      {
        return .ok(text)
      }
      return .ok(iso.text)
    }
    // Plain digits: an Excel serial (a CSV of a General-formatted date column), or YYYYMMDD.
    if bytes.allSatisfy({ TextScan.isDigit($0) || $0 == UInt8(ascii: ".") }),
      bytes.contains(where: TextScan.isDigit),
      bytes.lazy.filter({ $0 == UInt8(ascii: ".") }).count <= 1
    {
      if bytes.count == 8, let y = number(bytes[0..<4]), let m = number(bytes[4..<6]),
        let d = number(bytes[6..<8]),
        ExcelDate.isValidDate(year: y, month: m, day: d)
      {
        return .error(
          "date.not_iso", "\(label) must be written YYYY-MM-DD: write \(iso(y, m, d)) (found \(text)).")
      }
      return serial(text, shown: text, label: label, system: system)
    }
    return FieldOutcome(value: nil, problems: [OtherSpellings.diagnose(text, label: label)])
  }

  static func iso(_ y: Int, _ m: Int, _ d: Int) -> String {
    TextScan.padded(y, 4) + "-" + TextScan.padded(m, 2) + "-" + TextScan.padded(d, 2)
  }

  static func number<C: Collection>(_ digits: C) -> Int? where C.Element == UInt8 {
    guard !digits.isEmpty, digits.count <= 9 else { return nil }
    var n = 0
    for u in digits {
      guard TextScan.isDigit(u) else { return nil }
      n = n * 10 + Int(u - 48)
    }
    return n
  }

  static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
  ]

  /// "3 April 2026".
  static func spoken(_ y: Int, _ m: Int, _ d: Int) -> String { "\(d) \(monthNames[m - 1]) \(y)" }

  /// A serial number converted with the workbook's date system.
  static func serial(_ stored: String, shown: String, label: String, system: DateSystem) -> FieldOutcome<
    String
  > {
    guard let value = Double(stored), value >= 1,
      let parts = ExcelDate.components(serial: value, system: system)
    else {
      return .error(
        "date.invalid",
        "\(label) \(TextScan.shown(shown)) is a number that is not a date Excel can show; write the date as YYYY-MM-DD."
      )
    }
    if parts.year == 1900 && parts.month == 2 && parts.day == 29 {
      return .error(
        "date.invalid", "\(label) is Excel's non-existent 29 February 1900 (serial 60); write the real date.")
    }
    let text = parts.isoText
    return .ok(parts.isMidnight ? text : text + "Z")
  }

  /// `YYYY-MM-DD`, optionally followed by `T` or a space and `hh:mm[:ss[.fff]]` and `Z` or an offset.
  struct ISO {
    var year = 0
    var month = 0
    var day = 0
    var dateOnly = true
    var hour = 0
    var minute = 0
    var second = 0
    var fraction: [UInt8] = []
    /// `Z`, `+hh:mm`, `-hh:mm`, or empty.
    var zone: [UInt8] = []
    var zoneHours = 0
    var zoneMinutes = 0

    init?(_ b: [UInt8]) {
      guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
        let y = DateRule.number(b[0..<4]), let m = DateRule.number(b[5..<7]),
        let d = DateRule.number(b[8..<10])
      else { return nil }
      year = y
      month = m
      day = d
      if b.count == 10 { return }
      guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " ") else {
        return nil
      }
      dateOnly = false
      var i = 11
      func two() -> Int? {
        guard i + 2 <= b.count, let n = DateRule.number(b[i..<(i + 2)]) else { return nil }
        i += 2
        return n
      }
      guard let h = two(), i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
      i += 1
      guard let mi = two() else { return nil }
      hour = h
      minute = mi
      if i < b.count && b[i] == UInt8(ascii: ":") {
        i += 1
        guard let s = two() else { return nil }
        second = s
        if i < b.count && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",")) {
          i += 1
          while i < b.count && TextScan.isDigit(b[i]) {
            fraction.append(b[i])
            i += 1
          }
          guard !fraction.isEmpty, fraction.count <= 9 else { return nil }
        }
      }
      if i < b.count && b[i] == UInt8(ascii: " ") { i += 1 }
      if i == b.count { return }
      if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
        guard i + 1 == b.count else { return nil }
        zone = [UInt8(ascii: "Z")]
        return
      }
      guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
      let sign = b[i]
      i += 1
      guard let zh = two() else { return nil }
      var zm = 0
      if i < b.count {
        if b[i] == UInt8(ascii: ":") { i += 1 }
        guard let m2 = two() else { return nil }
        zm = m2
      }
      guard i == b.count else { return nil }
      zoneHours = zh
      zoneMinutes = zm
      zone =
        [sign] + Array(TextScan.padded(zh, 2).utf8) + [UInt8(ascii: ":")] + Array(TextScan.padded(zm, 2).utf8)
    }

    func problem(label: String, shown: String) -> FieldProblem? {
      guard ExcelDate.isValidDate(year: year, month: month, day: day) else {
        let why: String
        if !(1...12).contains(month) {
          why = "there is no month \(month)"
        } else if year >= 1 {
          why =
            "\(DateRule.monthNames[month - 1]) \(year) has \(ExcelDate.daysInMonth(year: year, month: month)) days"
        } else {
          why = "the year must be 0001–9999"
        }
        return .error("date.invalid", "\(label) \(TextScan.shown(shown)) is not a real date: \(why).")
      }
      if hour > 23 || minute > 59 || second > 59 {
        return .error(
          "date.invalid",
          "\(label) \(TextScan.shown(shown)) has an impossible time of day (hh 00–23, mm and ss 00–59).")
      }
      if zoneHours > 18 || zoneMinutes > 59 {
        return .error("date.invalid", "\(label) \(TextScan.shown(shown)) has an impossible UTC offset.")
      }
      return nil
    }

    var text: String {
      var s = DateRule.iso(year, month, day)
      if dateOnly { return s }
      s +=
        "T" + TextScan.padded(hour, 2) + ":" + TextScan.padded(minute, 2) + ":" + TextScan.padded(second, 2)
      if !fraction.isEmpty { s += "." + String(decoding: fraction, as: UTF8.self) }
      s += zone.isEmpty ? "Z" : String(decoding: zone, as: UTF8.self)
      return s
    }
  }
}
