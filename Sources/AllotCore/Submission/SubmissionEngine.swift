/// Drives staged rows through the state machine against Magna.
///
/// - A row is marked `in_flight` in a committed store transaction before its request leaves.
/// - On start, `in_flight` rows left by a crash become `unknown` (Magna has no idempotency key).
/// - Outcomes (issue 3 §4): created → `succeeded`; 400/404/413/422 → `failed`; 401/403 → the run stops,
///   the row goes back to `pending`; not sent, 429 and 503-did-nothing → `retry_wait` with full-jitter
///   backoff under a retry budget, `failed` after `maxAttempts`; timeout / dropped after send / other
///   5xx → `unknown`, then verified by listing the token's allocations for the row's reference.
/// - Bounded concurrency (a task group), an optional request rate, cooperative stop.
public struct SubmissionEngine: Sendable {
  public let api: any MagnaAPI
  public let store: any SubmissionStore
  public let clock: any SubmissionClock
  public let options: SubmissionOptions
  public let control: SubmissionControl
  let retries: RetryCoordinator

  public init(
    api: any MagnaAPI, store: any SubmissionStore, clock: any SubmissionClock = SystemSubmissionClock(),
    options: SubmissionOptions = SubmissionOptions(), control: SubmissionControl = SubmissionControl(),
    jitter: any JitterSource = SystemJitter()
  ) {
    self.api = api
    self.store = store
    self.clock = clock
    self.options = options
    self.control = control
    self.retries = RetryCoordinator(policy: options.retry, budget: options.budget, jitter: jitter)
  }

  /// What a finished child task reports to the scheduler.
  enum ChildResult: Sendable {
    /// A create request ended; the row is now in `state`.
    case sent(state: RowState, verifiable: Bool, unauthorized: (status: Int, message: String)?)
    /// A verification sweep ended; the states the rows reached.
    case verified(states: [RowState], unauthorized: (status: Int, message: String)?)
  }

  /// Runs until no row is `pending`, `retry_wait` or verifiable `unknown`, or until stopped.
  public func run(progress: @escaping @Sendable (SubmissionProgress) -> Void = { _ in }) async throws
    -> SubmissionReport
  {
    let batch = options.batch
    let start = await clock.now()
    let recovered = try await store.recoverInFlight(batch: batch, now: start)
    let initial = try await store.counts(batch: batch)
    var tally = Tally(
      start: start,
      progress: SubmissionProgress(
        total: (initial[.pending] ?? 0) + (initial[.retryWait] ?? 0) + (initial[.unknown] ?? 0)
          + (initial[.inFlight] ?? 0)))
    var limiter = RateLimiter(rate: options.rate)
    var ending = SubmissionReport.Ending.finished

    try await withThrowingTaskGroup(of: ChildResult.self) { group in
      var sending = 0
      var verifying = false

      func absorb(_ result: ChildResult) async {
        switch result {
        case .sent(let state, let verifiable, let unauthorized):
          sending -= 1
          tally.settle(state: state, verifiable: verifiable)
          if let unauthorized, case .finished = ending {
            ending = .unauthorized(status: unauthorized.status, message: unauthorized.message)
          }
        case .verified(let states, let unauthorized):
          verifying = false
          for s in states { tally.settle(state: s, verifiable: true, fromUnknown: true) }
          if let unauthorized, case .finished = ending {
            ending = .unauthorized(status: unauthorized.status, message: unauthorized.message)
          }
        }
        tally.progress.inFlight = sending
        progress(tally.snapshot(now: await clock.now()))
      }

      scheduling: while true {
        if Task.isCancelled {
          ending = .cancelled
          break scheduling
        }
        if case .unauthorized = ending { break scheduling }
        if await control.stopRequested {
          ending = .stopped
          break scheduling
        }
        let now = await clock.now()
        var started = false

        if !verifying {
          let due = try await store.verifiableRows(batch: batch, now: now, limit: 512)
          if !due.isEmpty {
            verifying = true
            started = true
            group.addTask { try await self.verify(due) }
          }
        }

        let free = options.concurrency - sending
        let permitted = limiter.permitted(now: now, wanted: free)
        if free > 0, permitted > 0 {
          let rows = try await store.sendableRows(batch: batch, now: now, limit: permitted)
          if !rows.isEmpty {
            var claims: [RowUpdate] = []
            var bodies: [(SubmissionRow, [UInt8], Bool)] = []
            claims.reserveCapacity(rows.count)
            for row in rows {
              let (body, withRef) = requestBody(for: row)
              claims.append(
                RowUpdate(
                  rowId: row.id, from: row.state, to: .inFlight, reason: .send, nextAttemptAt: nil,
                  sentBody: body, referenceSent: withRef, sentAt: now, attemptsDelta: 1))
              bodies.append((row, body, withRef))
            }
            // Committed before any request leaves.
            try await store.apply(claims)
            limiter.consume(rows.count, now: now)
            let firsts = rows.reduce(0) { $0 + ($1.attempts == 0 ? 1 : 0) }
            if firsts > 0 { await retries.recordFirstRequests(firsts) }
            for (row, body, withRef) in bodies {
              var sentRow = row
              sentRow.attempts += 1
              sentRow.referenceSent = withRef
              sentRow.sentAt = now
              sentRow.state = .inFlight
              group.addTask { try await self.send(sentRow, body: body) }
              sending += 1
              tally.progress.requests += 1
            }
            tally.progress.inFlight = sending
            started = true
          }
        }
        if started { continue scheduling }

        // Nothing to start right now.
        if free > 0, permitted == 0, let next = limiter.nextPermitted {
          // Held back only by the rate: wait for the next slot.
          if try await pause(until: next) { continue scheduling }
        }
        if sending > 0 || verifying {
          if let result = try await group.next() { await absorb(result) }
          continue scheduling
        }
        guard let wake = try await store.nextWakeTime(batch: batch) else { break scheduling }
        _ = try await pause(until: wake)
      }

      // Stop starting; finish what is in flight (cancellation reaches the children on a second Ctrl-C).
      while let result = try await group.next() { await absorb(result) }
    }

    let counts = try await store.counts(batch: batch)
    if Task.isCancelled { ending = .cancelled }
    return SubmissionReport(
      ending: ending, recovered: recovered, progress: tally.snapshot(now: await clock.now()), counts: counts)
  }

  /// Sleeps until `deadline`, in short steps so a stop request is noticed. False when stopped early.
  func pause(until deadline: Double) async throws -> Bool {
    while true {
      let now = await clock.now()
      if now >= deadline { return true }
      if await control.stopRequested || Task.isCancelled { return false }
      try await clock.sleep(until: min(deadline, now + 0.25))
    }
  }

  /// The exact bytes to send for `row`, and whether they carry the row's reference.
  func requestBody(for row: SubmissionRow) -> ([UInt8], Bool) {
    guard options.sendReference, let reference = row.reference,
      let body = RowReference.insert(reference: reference, into: row.payload)
    else { return (row.payload, false) }
    return (body, true)
  }

  /// One create request and the recording of its outcome.
  func send(_ row: SubmissionRow, body: [UInt8]) async throws -> ChildResult {
    let startedAt = await clock.now()
    let outcome = await api.createAllocation(body: body)
    let finishedAt = await clock.now()
    let update = await classify(row: row, outcome: outcome, startedAt: startedAt, finishedAt: finishedAt)
    try await store.apply(update)
    var unauthorized: (Int, String)?
    if case .unauthorized(let status, _, let message) = outcome { unauthorized = (status, message) }
    return .sent(
      state: update.to, verifiable: update.to != .unknown || update.nextAttemptAt != nil,
      unauthorized: unauthorized)
  }

  /// The outcome mapping of issue 3 §4.
  func classify(row: SubmissionRow, outcome: CreateOutcome, startedAt: Double, finishedAt: Double) async
    -> RowUpdate
  {
    var u = RowUpdate(rowId: row.id, from: .inFlight, to: .failed, reason: .outcome, nextAttemptAt: nil)
    func audit(_ name: String, status: Int? = nil, error: String? = nil) {
      u.attempt = AttemptRecord(
        outcome: name, startedAt: startedAt, finishedAt: finishedAt, httpStatus: status, error: error)
    }
    switch outcome {
    case .created(let id, let key):
      u.to = .succeeded
      u.allocationId = id
      u.allocationKey = key
      u.httpStatus = 200
      u.clearError = true
      audit("created", status: 200)
    case .rejected(let status, let type, let message):
      u.to = .failed
      u.httpStatus = status
      u.errorType = type ?? "HTTP \(status)"
      u.errorMessage = message
      audit("rejected", status: status, error: Self.describe(type, message))
    case .unauthorized(let status, let type, let message):
      // Refused before anything was done: the row is as it was.
      u.to = .pending
      u.httpStatus = status
      u.errorType = type ?? "HTTP \(status)"
      u.errorMessage = message
      audit("unauthorized", status: status, error: Self.describe(type, message))
    case .rateLimited(let retryAfter):
      await transient(
        &u, row: row, status: 429, type: "RateLimited", message: "Magna answered 429 Too Many Requests.",
        retryAfter: retryAfter, at: finishedAt)
      audit(u.to == .failed ? "rate_limited_gave_up" : "rate_limited", status: 429, error: u.errorMessage)
    case .notSent(let reason):
      await transient(
        &u, row: row, status: nil, type: "NotSent", message: reason, retryAfter: nil, at: finishedAt)
      audit(u.to == .failed ? "not_sent_gave_up" : "not_sent", error: reason)
    case .unavailable(let retryAfter):
      await transient(
        &u, row: row, status: 503, type: "ServiceUnavailable",
        message: "Magna answered 503 and did not process the request.", retryAfter: retryAfter, at: finishedAt
      )
      audit(u.to == .failed ? "unavailable_gave_up" : "unavailable", status: 503, error: u.errorMessage)
    case .uncertain(let status, let reason):
      u.to = .unknown
      u.httpStatus = status
      u.errorType = "Uncertain"
      u.errorMessage = reason
      u.verifyChecks = 0
      // Verifiable only when the reference went out with the request; checked at once, then re-checked.
      u.nextAttemptAt = row.referenceSent ? finishedAt : nil
      audit("uncertain", status: status, error: reason)
    }
    return u
  }

  /// `retry_wait` with backoff, or `failed` when the attempts are spent.
  private func transient(
    _ u: inout RowUpdate, row: SubmissionRow, status: Int?, type: String, message: String,
    retryAfter: Double?,
    at now: Double
  ) async {
    u.httpStatus = status
    u.errorType = type
    if options.retry.mayRetry(afterAttempts: row.attempts) {
      let delay = await retries.delay(retry: row.attempts, retryAfter: retryAfter)
      u.to = .retryWait
      u.nextAttemptAt = now + delay
      u.errorMessage = message
    } else {
      u.to = .failed
      u.errorMessage = "Gave up after \(row.attempts) attempts: \(message)"
    }
  }

  static func describe(_ type: String?, _ message: String) -> String {
    if let type { return "\(type): \(message)" }
    return message
  }
}

/// The retry budget and jitter, shared by the engine's child tasks.
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

/// Counters behind the progress report.
struct Tally {
  let start: Double
  var progress: SubmissionProgress

  mutating func settle(state: RowState, verifiable: Bool, fromUnknown: Bool = false) {
    switch state {
    case .succeeded:
      progress.succeeded += 1
      progress.done += 1
    case .failed:
      progress.failed += 1
      progress.done += 1
    case .unknown:
      if !verifiable {
        progress.unknown += 1
        progress.done += 1
      }
    case .retryWait:
      progress.retrying += 1
    default:
      break
    }
  }

  func snapshot(now: Double) -> SubmissionProgress {
    var p = progress
    p.elapsed = max(0, now - start)
    p.ratePerSecond = p.elapsed > 0 ? Double(p.done) / p.elapsed : 0
    if p.ratePerSecond > 0 {
      p.etaSeconds = Double(max(0, p.total - p.done)) / p.ratePerSecond
    }
    return p
  }
}
