import AllotCore
import Testing

@Suite struct ExcelDateTests {
  @Test(arguments: [
    (1.0, "1900-01-01"), (59.0, "1900-02-28"), (60.0, "1900-02-29"), (61.0, "1900-03-01"),
    (25_569.0, "1970-01-01"), (45_658.0, "2025-01-01"), (46_082.0, "2026-03-01"),
    (2_958_465.0, "9999-12-31"), (45_658.5, "2025-01-01T12:00:00"),
    (0.5, "1899-12-31T12:00:00"), (44_927.999_999_9, "2023-01-02"),
    (44_927.000_005, "2023-01-01"), (44_927.000_006, "2023-01-01T00:00:01"),
  ])
  func serials1900(_ serial: Double, _ iso: String) throws {
    let parts = try #require(ExcelDate.components(serial: serial, system: .excel1900))
    #expect(parts.isoText == iso)
  }

  @Test(arguments: [
    (0.0, "1904-01-01"), (1.0, "1904-01-02"), (44_196.0, "2025-01-01"), (1_461.25, "1908-01-01T06:00:00"),
  ])
  func serials1904(_ serial: Double, _ iso: String) throws {
    let parts = try #require(ExcelDate.components(serial: serial, system: .excel1904))
    #expect(parts.isoText == iso)
  }

  @Test func rejectsOutOfRange() {
    #expect(ExcelDate.components(serial: -1, system: .excel1900) == nil)
    #expect(ExcelDate.components(serial: .nan, system: .excel1900) == nil)
    #expect(ExcelDate.components(serial: .infinity, system: .excel1904) == nil)
    #expect(ExcelDate.components(serial: 2_958_466, system: .excel1900) == nil)
    #expect(ExcelDate.components(serial: 2_958_465.999_999_9, system: .excel1900) == nil)
  }

  @Test func reverseSerials() {
    #expect(ExcelDate.serial(year: 1900, month: 1, day: 1, system: .excel1900) == 1)
    #expect(ExcelDate.serial(year: 1900, month: 2, day: 28, system: .excel1900) == 59)
    #expect(ExcelDate.serial(year: 1900, month: 2, day: 29, system: .excel1900) == 60)
    #expect(ExcelDate.serial(year: 1900, month: 3, day: 1, system: .excel1900) == 61)
    #expect(ExcelDate.serial(year: 2026, month: 3, day: 1, system: .excel1900) == 46_082)
    #expect(ExcelDate.serial(year: 1904, month: 1, day: 1, system: .excel1904) == 0)
    #expect(ExcelDate.serial(year: 2025, month: 1, day: 1, system: .excel1904) == 44_196)
    #expect(ExcelDate.serial(year: 1899, month: 12, day: 31, system: .excel1900) == nil)
    #expect(ExcelDate.serial(year: 1903, month: 12, day: 31, system: .excel1904) == nil)
    #expect(ExcelDate.serial(year: 2026, month: 2, day: 30, system: .excel1900) == nil)
  }

  @Test func roundTripsEveryDayOfSomeYears() throws {
    for system in [DateSystem.excel1900, .excel1904] {
      for serial in stride(from: 1_500.0, to: 60_000.0, by: 7) {
        let p = try #require(ExcelDate.components(serial: serial, system: system))
        #expect(ExcelDate.serial(year: p.year, month: p.month, day: p.day, system: system) == serial)
      }
    }
  }

  @Test func validDates() {
    #expect(ExcelDate.isValidDate(year: 2024, month: 2, day: 29))
    #expect(!ExcelDate.isValidDate(year: 2026, month: 2, day: 29))
    #expect(!ExcelDate.isValidDate(year: 1900, month: 2, day: 29))
    #expect(ExcelDate.isValidDate(year: 2000, month: 2, day: 29))
    #expect(!ExcelDate.isValidDate(year: 2026, month: 2, day: 30))
    #expect(!ExcelDate.isValidDate(year: 2026, month: 13, day: 1))
    #expect(!ExcelDate.isValidDate(year: 2026, month: 4, day: 31))
    #expect(!ExcelDate.isValidDate(year: 2026, month: 1, day: 0))
    #expect(ExcelDate.isValidDate(year: 9999, month: 12, day: 31))
    #expect(!ExcelDate.isValidDate(year: 10_000, month: 1, day: 1))
  }

  @Test func isoTextPads() {
    #expect(
      DateTimeParts(year: 33, month: 1, day: 2, hour: 3, minute: 4, second: 5).isoText
        == "0033-01-02T03:04:05")
  }
}
