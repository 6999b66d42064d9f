import Foundation

/// Parses an HTTP `Retry-After` value: delay seconds (`120`, also `1.5`) or an HTTP-date
/// (IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850, asctime). A date in the past gives 0.
/// Returns nil when the value is absent or unreadable.
public func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
  guard let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
  if let seconds = Double(raw), seconds.isFinite {
    return max(0, seconds)
  }
  for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = format
    if let date = formatter.date(from: raw) {
      return max(0, date.timeIntervalSince(now))
    }
  }
  return nil
}
