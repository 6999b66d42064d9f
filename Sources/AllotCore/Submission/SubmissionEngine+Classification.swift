extension SubmissionEngine {
  /// The outcome mapping of issue 3 §4.
  func classify(row: SubmissionRow, outcome: CreateOutcome, startedAt: Double, finishedAt: Double) async
    -> RowUpdate
  {
    var u = RowUpdate(rowId: row.id, from: .inFlight, to: .failed, reason: .outcome, nextAttemptAt: nil)
    func audit(_ name: String, status: Int? = nil, error: String? = nil) {
      u.attempt = AttemptRecord(
        outcome: name, startedAt: startedAt, finishedAt: finishedAt, httpStatus: status, error: error)
    }
    /// A refusal with Magna's status, error type (else `HTTP <status>`) and message.
    func refused(to state: RowState, _ name: String, status: Int, type: String?, message: String) {
      u.to = state
      u.httpStatus = status
      u.errorType = type ?? "HTTP \(status)"
      u.errorMessage = message
      audit(name, status: status, error: Self.describe(type, message))
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
      refused(to: .failed, "rejected", status: status, type: type, message: message)
    case .unauthorized(let status, let type, let message):
      // Refused before anything was done: the row is as it was.
      refused(to: .pending, "unauthorized", status: status, type: type, message: message)
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
