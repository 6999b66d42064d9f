/// The retry budget and jitter, shared by the scheduler (which classifies answers) and verification.
actor RetryCoordinator {
  let policy: RetryPolicy
  var budget: RetryBudget
  let jitter: any JitterSource
  private var firstRequests = 0

  init(policy: RetryPolicy, budget: RetryBudget, jitter: any JitterSource) {
    self.policy = policy
    self.budget = budget
    self.jitter = jitter
  }

  /// Seconds before retry number `retry`; pushed back to the cap when the budget is spent.
  func delay(retry: Int, retryAfter: Double?) async -> Double {
    let unit = await jitter.unit()
    var d = policy.delay(retry: retry, retryAfter: retryAfter, unit: unit)
    if !budget.tryRetry() {
      d = max(d, policy.cap * (0.5 + unit / 2))
    }
    return d
  }

  func recordFirstRequests(_ n: Int) {
    for _ in 0..<n { budget.recordRequest() }
  }
  var snapshot: RetryBudget { budget }
}
