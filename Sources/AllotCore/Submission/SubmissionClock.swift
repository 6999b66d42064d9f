#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Time for the submission engine: wall-clock seconds since the Unix epoch, and sleeping.
/// Tests use a fake that jumps instead of sleeping.
public protocol SubmissionClock: Sendable {
  /// Seconds since 1970-01-01T00:00:00Z.
  func now() async -> Double
  /// Returns at `deadline` (seconds since the epoch) or later; throws when the task is cancelled.
  func sleep(until deadline: Double) async throws
}

/// The real clock.
public struct SystemSubmissionClock: SubmissionClock {
  public init() {}

  public static func wallTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1_000_000_000
  }

  public func now() async -> Double { Self.wallTime() }

  public func sleep(until deadline: Double) async throws {
    let seconds = deadline - Self.wallTime()
    if seconds <= 0 {
      try Task.checkCancellation()
      return
    }
    try await Task.sleep(nanoseconds: UInt64(min(seconds, 86_400) * 1_000_000_000))
  }
}
