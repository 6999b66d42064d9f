/// The state of a staged row. Names are a contract (database, `status --format json`).
public enum RowState: String, Sendable, Codable, CaseIterable, Hashable {
  /// Failed validation; never sent.
  case invalid
  /// Ready to send.
  case pending
  /// Marked before its request leaves; after a crash it becomes `unknown`, never `pending`.
  case inFlight = "in_flight"
  /// Transient failure; waits until `next_attempt_at`.
  case retryWait = "retry_wait"
  /// Created in Magna (allocation id and key recorded).
  case succeeded
  /// Permanent failure with Magna's error type and message.
  case failed
  /// The request may have landed: to be verified or resolved.
  case unknown
  /// Already created by an earlier batch (same fingerprint).
  case skipped
}
