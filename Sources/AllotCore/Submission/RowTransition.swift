/// The legal moves of a staged row between states. The store and the engine check every change
/// against these rules, so a row is always in exactly one, meaningful state.
public enum RowTransition {
  /// Why a row moves; recorded in the audit trail.
  public enum Reason: String, Sendable, Hashable, Codable {
    /// Marked before its request leaves.
    case send
    /// The create request answered (or failed) and was classified.
    case outcome
    /// An `unknown` row was checked against Magna's list of allocations.
    case verify
    /// `in_flight` left by a crash or kill becomes `unknown`.
    case crashRecovery = "crash_recovery"
    /// `allot retry`: `failed` back to `pending`.
    case retry
    /// `allot resolve`: an `unknown` row settled by hand.
    case resolve
  }

  /// Whether a row may move from `from` to `to`.
  public static func isLegal(from: RowState, to: RowState) -> Bool {
    allowed(from: from).contains(to)
  }

  /// The states a row in `from` may move to.
  public static func allowed(from: RowState) -> Set<RowState> {
    switch from {
    case .invalid, .succeeded, .skipped:
      return []
    case .pending:
      return [.inFlight]
    case .retryWait:
      return [.inFlight, .failed]
    case .inFlight:
      // `pending`: the request was refused before Magna did anything (401/403: the run stops), or a row
      // marked ahead was never sent (the run stops). `in_flight` → `in_flight`: a row marked ahead whose
      // request has not left yet is stamped again.
      // `retry_wait`: a row marked ahead was never sent (the run stops), back to its retry.
      return [.succeeded, .failed, .retryWait, .unknown, .pending, .inFlight]
    case .unknown:
      // `unknown` → `unknown`: a re-check that found nothing yet is rescheduled.
      return [.succeeded, .pending, .failed, .unknown]
    case .failed:
      return [.pending]
    }
  }

  /// States from which a row still has work to do in `allot submit`.
  public static let openStates: Set<RowState> = [.pending, .inFlight, .retryWait, .unknown]

  /// States that count as done for the exit status (0 when every row is in one of them).
  public static let settledOK: Set<RowState> = [.succeeded, .skipped, .invalid]
}

/// An illegal state change (a bug or a concurrent writer): never applied.
public struct RowTransitionError: Error, Sendable, Hashable, CustomStringConvertible {
  public var rowId: Int64
  public var from: RowState
  public var to: RowState
  public init(rowId: Int64, from: RowState, to: RowState) {
    self.rowId = rowId
    self.from = from
    self.to = to
  }
  public var description: String {
    "Row \(rowId) cannot move from \(from.rawValue) to \(to.rawValue)."
  }
}
