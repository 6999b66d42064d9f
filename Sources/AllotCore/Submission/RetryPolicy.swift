/// Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS architecture blog):
/// the wait before retry `n` (n ≥ 1) is uniform in `[0, min(cap, base · 2^(n-1)))`.
/// A server's `Retry-After` is honoured: the wait is never shorter than it asks.
public struct RetryPolicy: Sendable, Hashable {
  /// Seconds; the first backoff window.
  public var base: Double
  /// Seconds; the largest backoff window.
  public var cap: Double
  /// Most create requests per row (the first one included).
  public var maxAttempts: Int
  /// Longest `Retry-After` honoured, in seconds (a misbehaving server cannot park a run for hours).
  public var maxRetryAfter: Double

  public init(base: Double = 0.5, cap: Double = 20, maxAttempts: Int = 5, maxRetryAfter: Double = 300) {
    self.base = max(0, base)
    self.cap = max(self.base, cap)
    self.maxAttempts = max(1, maxAttempts)
    self.maxRetryAfter = max(0, maxRetryAfter)
  }

  public static let standard = RetryPolicy()

  /// Whether a row that has made `attempts` requests may make another.
  public func mayRetry(afterAttempts attempts: Int) -> Bool {
    attempts < maxAttempts
  }

  /// The backoff window before retry number `retry` (1 = the first retry).
  public func window(retry: Int) -> Double {
    let n = max(1, retry)
    // 2^(n-1) without overflow: past 60 doublings the cap has long been reached.
    let factor = n > 60 ? Double.infinity : Double(UInt64(1) << UInt64(n - 1))
    return min(cap, base * factor)
  }

  /// Seconds to wait before retry number `retry`, given `unit` uniform in [0, 1) and the server's
  /// `Retry-After` in seconds, if any.
  public func delay(retry: Int, retryAfter: Double?, unit: Double) -> Double {
    let u = unit.isFinite ? min(max(unit, 0), 1) : 0
    let jittered = window(retry: retry) * u
    guard let retryAfter, retryAfter.isFinite, retryAfter > 0 else { return jittered }
    return max(min(retryAfter, maxRetryAfter), jittered)
  }
}

/// A source of uniform random numbers in [0, 1), injectable for tests.
public protocol JitterSource: Sendable {
  func unit() async -> Double
}

/// The system random number generator.
public struct SystemJitter: JitterSource {
  public init() {}
  public func unit() async -> Double { Double.random(in: 0..<1) }
}
