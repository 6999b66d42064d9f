/// Spaces requests at `rate` per second (nil: no limit), allowing a small burst.
struct RateLimiter: Sendable {
  let interval: Double?
  let burst: Int
  private(set) var nextPermitted: Double?

  init(rate: Double?) {
    if let rate, rate > 0 {
      interval = 1 / rate
      burst = max(1, Int(rate / 20))
    } else {
      interval = nil
      burst = .max
    }
  }

  /// How many requests may start at `now`, at most `wanted`.
  func permitted(now: Double, wanted: Int) -> Int {
    guard let interval else { return max(0, wanted) }
    guard let next = nextPermitted else { return min(wanted, burst) }
    if now < next { return 0 }
    let slots = Int(((now - next) / interval).rounded(.down)) + 1
    return min(wanted, burst, slots)
  }

  mutating func consume(_ n: Int, now: Double) {
    guard let interval, n > 0 else { return }
    let base = max(now, nextPermitted ?? now)
    nextPermitted = base + Double(n) * interval
  }
}
