/// A retry budget (token bucket, after Finagle's `RetryBudget`): every first request deposits `ratio`
/// of a token, every retry withdraws one. With `ratio` 0.2 retries stay at most 20 % of requests, plus
/// `floor` tokens to start with so a small batch can still retry. When the budget is empty a retry is
/// not refused but pushed back to the policy's cap, so a failing API is not hammered while no row is
/// lost (`maxAttempts` still ends it).
public struct RetryBudget: Sendable, Hashable {
  public var ratio: Double
  public var floor: Double
  public var capacity: Double
  public private(set) var balance: Double
  public private(set) var deposits: Int = 0
  public private(set) var withdrawals: Int = 0
  public private(set) var refusals: Int = 0

  public init(ratio: Double = 0.2, floor: Double = 10, capacity: Double = 100) {
    self.ratio = max(0, ratio)
    self.floor = max(0, floor)
    self.capacity = max(self.floor, capacity)
    self.balance = self.floor
  }

  /// A first request was sent.
  public mutating func recordRequest() {
    deposits += 1
    balance = min(capacity, balance + ratio)
  }

  /// Asks for one retry; true when the budget allows it now (and withdraws a token).
  public mutating func tryRetry() -> Bool {
    // A small tolerance: 0.2 added five times is 0.9999999999999999 in binary floating point.
    if balance >= 1 - 1e-9 {
      balance = max(0, balance - 1)
      withdrawals += 1
      return true
    }
    refusals += 1
    return false
  }
}
