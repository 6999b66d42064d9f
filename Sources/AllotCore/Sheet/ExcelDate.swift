/// The date system of a workbook: where serial number 0 lies.
public enum DateSystem: Sendable, Hashable {
  /// Windows Excel default: serial 1 = 1900-01-01, with Excel's phantom 29 February 1900 at serial 60.
  case excel1900
  /// Old Mac Excel (`date1904`): serial 0 = 1904-01-01.
  case excel1904
}

/// A calendar date and time of day, as read from a spreadsheet (no time zone).
public struct DateTimeParts: Sendable, Hashable {
  public var year: Int
  public var month: Int
  public var day: Int
  public var hour: Int
  public var minute: Int
  public var second: Int

  public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
    self.year = year
    self.month = month
    self.day = day
    self.hour = hour
    self.minute = minute
    self.second = second
  }

  /// True when the time of day is exactly midnight.
  public var isMidnight: Bool { hour == 0 && minute == 0 && second == 0 }

  /// `YYYY-MM-DD` when the time is 00:00:00, else `YYYY-MM-DDThh:mm:ss`.
  public var isoText: String {
    var s = Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
    if !isMidnight {
      s += "T" + Self.pad(hour, 2) + ":" + Self.pad(minute, 2) + ":" + Self.pad(second, 2)
    }
    return s
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value < 0 ? -value : value)
    let zeros = String(repeating: "0", count: max(0, width - digits.count))
    return (value < 0 ? "-" : "") + zeros + digits
  }
}

/// Conversions between Excel serial numbers and calendar dates (proleptic Gregorian, no Foundation).
public enum ExcelDate {
  /// Largest serial Excel accepts: 9999-12-31 in the 1900 system.
  public static let maxSerial1900: Double = 2_958_465
  /// Largest serial Excel accepts in the 1904 system (9999-12-31).
  public static let maxSerial1904: Double = 2_957_003

  /// The date and time an Excel serial stands for, rounded to the nearest second; nil for negative,
  /// non-finite or out-of-range serials (past 9999-12-31).
  ///
  /// In the 1900 system serial 60 is Excel's phantom 1900-02-29, serials 1...59 are 1900-01-01 ...
  /// 1900-02-28 and serial 0 (a pure time of day) is reported on 1899-12-31 as calamine does.
  public static func components(serial: Double, system: DateSystem) -> DateTimeParts? {
    guard serial.isFinite, serial >= 0 else { return nil }
    let maxSerial = system == .excel1900 ? maxSerial1900 : maxSerial1904
    guard serial < maxSerial + 1 else { return nil }
    let totalSeconds = Int64((serial * 86_400).rounded(.toNearestOrAwayFromZero))
    let days = totalSeconds / 86_400
    let secs = Int(totalSeconds % 86_400)
    guard Double(days) <= maxSerial else { return nil }
    let (y, m, d): (Int, Int, Int)
    switch system {
    case .excel1900:
      if days == 60 {
        (y, m, d) = (1900, 2, 29)
      } else if days < 60 {
        // 1899-12-31 + days
        (y, m, d) = civil(fromDays: epoch1900Early + Int(days))
      } else {
        (y, m, d) = civil(fromDays: epoch1900Late + Int(days))
      }
    case .excel1904:
      (y, m, d) = civil(fromDays: epoch1904 + Int(days))
    }
    return DateTimeParts(
      year: y, month: m, day: d, hour: secs / 3600, minute: (secs / 60) % 60, second: secs % 60)
  }

  /// The serial number (whole days) of a calendar date; nil for an invalid date or one before the
  /// system's epoch (1900-01-01 or 1904-01-01) or after 9999-12-31. `1900-02-29` gives 60 in the
  /// 1900 system (Excel's phantom day) and nil in the 1904 system.
  public static func serial(year: Int, month: Int, day: Int, system: DateSystem) -> Double? {
    switch system {
    case .excel1900:
      if year == 1900 && month == 2 && day == 29 { return 60 }
      guard isValidDate(year: year, month: month, day: day), year >= 1900 else { return nil }
      let n = days(fromCivil: year, month, day)
      if n < epoch1900Early + 60 { return Double(n - epoch1900Early) }
      return Double(n - epoch1900Late)
    case .excel1904:
      guard isValidDate(year: year, month: month, day: day), year >= 1904 else { return nil }
      return Double(days(fromCivil: year, month, day) - epoch1904)
    }
  }

  /// True for a real date of the proleptic Gregorian calendar with a year in 1...9999.
  public static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
    guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
    return day <= daysInMonth(year: year, month: month)
  }

  /// Days in `month` of `year` (Gregorian leap rule).
  public static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 1, 3, 5, 7, 8, 10, 12: return 31
    case 4, 6, 9, 11: return 30
    case 2: return isLeapYear(year) ? 29 : 28
    default: return 0
    }
  }

  public static func isLeapYear(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  // Days since 1970-01-01 of the epochs.
  private static let epoch1900Early = days(fromCivil: 1899, 12, 31)
  private static let epoch1900Late = days(fromCivil: 1899, 12, 30)
  private static let epoch1904 = days(fromCivil: 1904, 1, 1)

  /// Days since 1970-01-01 (Howard Hinnant's algorithm).
  static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// Calendar date of a day count since 1970-01-01.
  static func civil(fromDays n: Int) -> (Int, Int, Int) {
    let z = n + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }
}
