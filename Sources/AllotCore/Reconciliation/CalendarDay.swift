/// A calendar date without time or zone (`2026-03-31`), the unit of due dates, windows and as-of.
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
  // Four bytes (a million due dates are held at once); years stay far inside Int16 since inputs are
  // 1–9999 and windows at most 699,993 days.
  private let y: Int16
  private let m: UInt8
  private let d: UInt8

  public var year: Int { Int(y) }
  public var month: Int { Int(m) }
  public var day: Int { Int(d) }

  /// Nil for dates that do not exist (`2026-02-30`) or years outside 1–9999.
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
      day <= CalendarDay.daysInMonth(year: year, month: month)
    else { return nil }
    self.init(unchecked: year, month, day)
  }

  private init(unchecked year: Int, _ month: Int, _ day: Int) {
    y = Int16(clamping: year)
    m = UInt8(truncatingIfNeeded: month)
    d = UInt8(truncatingIfNeeded: day)
  }

  /// Parses `YYYY-MM-DD`, also the date part of an ISO 8601 timestamp (`2026-03-31T10:00:00Z`).
  public init?<S: StringProtocol>(iso text: S) {
    var s = String(text)
    guard let parts = s.withUTF8({ Self.parts($0) }) else { return nil }
    self.init(year: parts.0, month: parts.1, day: parts.2)
  }

  /// `init?(iso:)` of UTF-8 bytes.
  public init?(isoBytes u: UnsafeBufferPointer<UInt8>) {
    guard let parts = Self.parts(u) else { return nil }
    self.init(year: parts.0, month: parts.1, day: parts.2)
  }

  static func parts(_ u: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
    guard u.count >= 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
    if u.count > 10 {
      guard u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " ") || u[10] == UInt8(ascii: "t") else {
        return nil
      }
    }
    func num(_ a: Int, _ b: Int) -> Int? {
      var n = 0
      for k in a..<b {
        guard (48...57).contains(u[k]) else { return nil }
        n = n * 10 + Int(u[k] - 48)
      }
      return n
    }
    guard let y = num(0, 4), let m = num(5, 7), let d = num(8, 10) else { return nil }
    return (y, m, d)
  }

  /// Days since 1970-01-01 (negative before).
  public var dayNumber: Int { ExcelDate.days(fromCivil: year, month, day) }

  /// The date `dayNumber` days after 1970-01-01.
  public init(dayNumber: Int) {
    let (year, month, day) = ExcelDate.civil(fromDays: dayNumber)
    self.init(unchecked: year, month, day)
  }

  public func adding(days: Int) -> CalendarDay { CalendarDay(dayNumber: dayNumber + days) }

  /// `description`'s UTF-8 bytes, for `body`: written on the stack for the usual years (0–9999), no
  /// `String` made (the reports write a due date on each of a million rows).
  public func withISOBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    var words: (UInt64, UInt64) = (0, 0)
    return withUnsafeMutableBytes(of: &words) { raw in
      let b = raw.bindMemory(to: UInt8.self)
      guard writeISO(into: b.baseAddress!) else { return TextScan.withBytes(description, body) }
      return body(UnsafeBufferPointer(rebasing: b[0..<10]))
    }
  }

  /// Writes `description`'s ten bytes (`YYYY-MM-DD`) at `out` for the usual years (0–9999) and returns
  /// true; false, with nothing written, for other years. Not generic, so that callers in other modules
  /// (the report writers) call it without looking up generic metadata at run time for each row.
  public func writeISO(into out: UnsafeMutablePointer<UInt8>) -> Bool {
    guard y >= 0 && y <= 9999 else { return false }
    let yy = Int(y)
    let mm = Int(m)
    let dd = Int(d)
    out[0] = UInt8(48 + yy / 1000)
    out[1] = UInt8(48 + yy / 100 % 10)
    out[2] = UInt8(48 + yy / 10 % 10)
    out[3] = UInt8(48 + yy % 10)
    out[4] = 45
    out[5] = UInt8(48 + mm / 10 % 10)
    out[6] = UInt8(48 + mm % 10)
    out[7] = 45
    out[8] = UInt8(48 + dd / 10 % 10)
    out[9] = UInt8(48 + dd % 10)
    return true
  }

  public var description: String {
    if y >= 0 && y <= 9999 {
      // The common case without intermediate strings: YYYY-MM-DD.
      return withISOBytes { String(decoding: $0, as: UTF8.self) }
    }
    func pad(_ v: Int, _ w: Int) -> String {
      let s = String(v)
      return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  public static func < (a: CalendarDay, b: CalendarDay) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  public static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

/// An ISO 8601 timestamp reduced to what matching needs: seconds since 1970 in UTC, for ordering
/// (ties broken by id) and for the date window.
public enum Timestamp {
  /// Parses `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fff]]` with `Z`, `±hh:mm`, `±hhmm` or no zone (UTC).
  public static func seconds(_ text: String) -> Int64? {
    var copy = text
    return copy.withUTF8 { seconds(utf8: $0) }
  }

  static func seconds(utf8 u: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard u.count >= 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
    func num(_ a: Int, _ b: Int) -> Int? {
      var n = 0
      for k in a..<b {
        guard (48...57).contains(u[k]) else { return nil }
        n = n * 10 + Int(u[k] - 48)
      }
      return n
    }
    guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10),
      let day = CalendarDay(year: y, month: mo, day: d)
    else { return nil }
    var secs = Int64(day.dayNumber) * 86_400
    if u.count == 10 { return secs }
    guard u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " ") || u[10] == UInt8(ascii: "t") else {
      return nil
    }
    var i = 11
    func two() -> Int? {
      guard i + 1 < u.count, (48...57).contains(u[i]), (48...57).contains(u[i + 1]) else { return nil }
      defer { i += 2 }
      return Int(u[i] - 48) * 10 + Int(u[i + 1] - 48)
    }
    guard let h = two(), i < u.count, u[i] == UInt8(ascii: ":") else { return nil }
    i += 1
    guard let m = two() else { return nil }
    var s = 0
    if i < u.count, u[i] == UInt8(ascii: ":") {
      i += 1
      guard let sv = two() else { return nil }
      s = sv
    }
    if i < u.count, u[i] == UInt8(ascii: ".") || u[i] == UInt8(ascii: ",") {
      i += 1
      while i < u.count, (48...57).contains(u[i]) { i += 1 }
    }
    guard h < 24, m < 60, s < 61 else { return nil }
    secs += Int64(h * 3600 + m * 60 + s)
    if i == u.count { return secs }
    if u[i] == UInt8(ascii: "Z") || u[i] == UInt8(ascii: "z") { return i + 1 == u.count ? secs : nil }
    guard u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") else { return nil }
    let sign: Int64 = u[i] == UInt8(ascii: "+") ? 1 : -1
    i += 1
    guard let oh = two() else { return nil }
    if i < u.count, u[i] == UInt8(ascii: ":") { i += 1 }
    guard let om = two(), i == u.count else { return nil }
    return secs - sign * Int64(oh * 3600 + om * 60)
  }
}
