import Testing

@testable import AllotSandbox

/// The sandbox's fixed-window rate limiter, driven with explicit times.
@Suite("Sandbox rate limit")
struct SandboxRateLimitTests {
  static let second: UInt64 = 1_000_000_000

  static func limiter(_ limit: Int) -> FaultInjector {
    var configuration = SandboxConfiguration()
    configuration.rateLimit = limit
    return FaultInjector(configuration: configuration)
  }

  @Test func admitsTheLimitPerWindowThenAsksToWait() {
    let faults = Self.limiter(3)
    let start = 5 * Self.second
    #expect((0..<3).map { faults.rateLimited(now: start + UInt64($0)) } == [nil, nil, nil])
    #expect(faults.rateLimited(now: start + 10) == 1)
    #expect(faults.rateLimited(now: start + Self.second - 1) == 1)
    // A new window opens a second after the first one started.
    #expect(faults.rateLimited(now: start + Self.second) == nil)
  }

  /// A request reads the clock before it takes the lock, so another thread may have opened a window that
  /// starts after that reading. The request counts in the open window; it used to wrap the subtraction,
  /// which trapped and killed the sandbox in the middle of an end-to-end run.
  @Test func aReadingOlderThanTheOpenWindowCountsInIt() {
    let faults = Self.limiter(2)
    let start = 7 * Self.second
    #expect(faults.rateLimited(now: start) == nil)
    #expect(faults.rateLimited(now: start - 1_000) == nil)
    #expect(faults.rateLimited(now: start - 2_000) == 1)
    #expect(faults.rateLimited(now: start + Self.second) == nil)
  }
}
