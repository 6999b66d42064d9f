import Foundation
import NIOConcurrencyHelpers

/// Seeded dice for injected faults and a fixed-window rate limiter. Thread-safe.
final class FaultInjector: Sendable {
  private struct State {
    var random: SeededRandom
    var windowStart: UInt64 = 0
    var windowCount = 0
  }

  private let state: NIOLockedValueBox<State>
  let configuration: SandboxConfiguration

  init(configuration: SandboxConfiguration) {
    self.configuration = configuration
    self.state = NIOLockedValueBox(State(random: SeededRandom(seed: configuration.seed, label: "faults")))
  }

  /// The fault forced on this request: the `x-sandbox-fault` header (when allowed), else the configured one.
  func forced(_ headerValue: String?) -> SandboxFault? {
    if configuration.allowFaultHeader, let fault = headerValue.flatMap(SandboxFault.init(rawValue:)) {
      return fault
    }
    return configuration.forcedFault
  }

  /// `true` with probability `rate`.
  func roll(_ rate: Double) -> Bool {
    guard rate > 0 else { return false }
    return state.withLockedValue { $0.random.unit() } < rate
  }

  /// A uniform pick among `count` choices.
  func pick(_ count: Int) -> Int {
    state.withLockedValue { Int($0.random.next() % UInt64(max(1, count))) }
  }

  /// nil when the request is admitted; else the seconds until the current 1-second window ends (≥ 1).
  ///
  /// `now` is read before the lock is taken, so a request handled on another thread may already have
  /// opened a window that starts after it: that request counts in the current window (the subtraction
  /// must not wrap, which traps and kills the sandbox mid-run).
  func rateLimited(now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Int? {
    guard let limit = configuration.rateLimit, limit > 0 else { return nil }
    return state.withLockedValue { s in
      let elapsed = now > s.windowStart ? now - s.windowStart : 0
      if elapsed >= 1_000_000_000 || s.windowStart == 0 {
        s.windowStart = now
        s.windowCount = 0
      }
      s.windowCount += 1
      return s.windowCount > limit ? 1 : nil
    }
  }
}
