/// One staged row as the submission engine sees it.
public struct SubmissionRow: Sendable, Hashable {
  /// The store's row id (unique across batches).
  public var id: Int64
  public var batchId: Int64
  /// The row number the user sees in the spreadsheet.
  public var sourceRow: Int
  public var state: RowState
  /// Create requests made so far.
  public var attempts: Int
  /// The canonical create body as staged (without the reference attribute).
  public var payload: [UInt8]
  /// The row's own reference (`allot:<batch>:<row>:<random>`), sent as a custom attribute.
  public var reference: String?
  public var tokenId: String
  public var walletAddress: String?
  /// When a `retry_wait` row may be sent again, or an `unknown` row checked again.
  public var nextAttemptAt: Double?
  /// When the last create request was marked in flight.
  public var sentAt: Double?
  /// Whether the last create request carried the reference attribute.
  public var referenceSent: Bool
  /// Checks of an `unknown` row against Magna's list that found nothing.
  public var verifyChecks: Int

  public init(
    id: Int64, batchId: Int64, sourceRow: Int, state: RowState, attempts: Int = 0, payload: [UInt8],
    reference: String?, tokenId: String, walletAddress: String?, nextAttemptAt: Double? = nil,
    sentAt: Double? = nil, referenceSent: Bool = false, verifyChecks: Int = 0
  ) {
    self.id = id
    self.batchId = batchId
    self.sourceRow = sourceRow
    self.state = state
    self.attempts = attempts
    self.payload = payload
    self.reference = reference
    self.tokenId = tokenId
    self.walletAddress = walletAddress
    self.nextAttemptAt = nextAttemptAt
    self.sentAt = sentAt
    self.referenceSent = referenceSent
    self.verifyChecks = verifyChecks
  }
}

/// One line of the append-only audit trail.
public struct AttemptRecord: Sendable, Hashable {
  /// What happened: `created`, `rejected`, `unauthorized`, `rate_limited`, `not_sent`, `unavailable`,
  /// `uncertain`, `verified_created`, `verified_absent`, `verify_pending`, `crash_recovery`,
  /// `retry`, `resolved_created`, `resolved_not_created`, `budget_deferred` …
  public var outcome: String
  public var startedAt: Double
  public var finishedAt: Double
  public var httpStatus: Int?
  public var error: String?

  public init(
    outcome: String, startedAt: Double, finishedAt: Double, httpStatus: Int? = nil, error: String? = nil
  ) {
    self.outcome = outcome
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.httpStatus = httpStatus
    self.error = error
  }

  public var durationMs: Int {
    let ms = (finishedAt - startedAt) * 1000
    return ms.isFinite ? max(0, Int(ms.rounded())) : 0
  }
}

/// A change to one row, applied only if the row is still in `from` (else the whole set fails).
/// `nil` fields are left as they are, except where noted.
public struct RowUpdate: Sendable, Hashable {
  public var rowId: Int64
  public var from: RowState
  public var to: RowState
  public var reason: RowTransition.Reason
  public var allocationId: String?
  public var allocationKey: String?
  public var httpStatus: Int?
  public var errorType: String?
  public var errorMessage: String?
  /// Replaced as given (`nil` clears it).
  public var nextAttemptAt: Double?
  /// Set when sending: the exact bytes of the request, and whether they carry the reference.
  public var sentBody: [UInt8]?
  public var referenceSent: Bool?
  public var sentAt: Double?
  /// Added to the attempts counter (1 when a request is marked in flight).
  public var attemptsDelta: Int
  /// Resets the attempts counter before applying the delta (`allot retry`).
  public var resetAttempts: Bool
  /// Replaced when given.
  public var verifyChecks: Int?
  /// Clears the Magna error columns (a row going back to work).
  public var clearError: Bool
  /// Appended to the audit trail in the same transaction.
  public var attempt: AttemptRecord?

  public init(
    rowId: Int64, from: RowState, to: RowState, reason: RowTransition.Reason,
    allocationId: String? = nil, allocationKey: String? = nil, httpStatus: Int? = nil,
    errorType: String? = nil, errorMessage: String? = nil, nextAttemptAt: Double? = nil,
    sentBody: [UInt8]? = nil, referenceSent: Bool? = nil, sentAt: Double? = nil, attemptsDelta: Int = 0,
    resetAttempts: Bool = false, verifyChecks: Int? = nil, clearError: Bool = false,
    attempt: AttemptRecord? = nil
  ) {
    self.rowId = rowId
    self.from = from
    self.to = to
    self.reason = reason
    self.allocationId = allocationId
    self.allocationKey = allocationKey
    self.httpStatus = httpStatus
    self.errorType = errorType
    self.errorMessage = errorMessage
    self.nextAttemptAt = nextAttemptAt
    self.sentBody = sentBody
    self.referenceSent = referenceSent
    self.sentAt = sentAt
    self.attemptsDelta = attemptsDelta
    self.resetAttempts = resetAttempts
    self.verifyChecks = verifyChecks
    self.clearError = clearError
    self.attempt = attempt
  }
}

/// Durable per-row state for submission. `AllotStore` implements it over SQLite; tests use an
/// in-memory fake. Every method commits before it returns.
public protocol SubmissionStore: Sendable {
  /// Every `in_flight` row (of the batch, or all) becomes `unknown`, due for verification at `now`.
  /// Returns how many rows moved.
  func recoverInFlight(batch: Int64?, now: Double) async throws -> Int

  /// Rows ready to send: `pending`, then `retry_wait` due at `now`, in row order, at most `limit`; only
  /// rows whose id is at most `lastRowId` when it is given.
  func sendableRows(batch: Int64?, now: Double, limit: Int, upTo lastRowId: Int64?) async throws
    -> [SubmissionRow]

  /// The highest row id in the store (of any batch), nil when there is no row.
  func lastRowId() async throws -> Int64?

  /// `unknown` rows that can be verified (reference sent) and are due at `now`, at most `limit`.
  func verifiableRows(batch: Int64?, now: Double, limit: Int) async throws -> [SubmissionRow]

  /// The earliest `next_attempt_at` of a `retry_wait` row or a verifiable `unknown` row; nil if none.
  func nextWakeTime(batch: Int64?) async throws -> Double?

  /// Rows per state.
  func counts(batch: Int64?) async throws -> [RowState: Int]

  /// Applies every update in one committed transaction; fails (applying none) if any row is no longer
  /// in its `from` state or a move is illegal.
  func apply(_ updates: [RowUpdate]) async throws
}

extension SubmissionStore {
  public func apply(_ update: RowUpdate) async throws { try await apply([update]) }

  /// `sendableRows(batch:now:limit:upTo:)` of every row.
  public func sendableRows(batch: Int64?, now: Double, limit: Int) async throws -> [SubmissionRow] {
    try await sendableRows(batch: batch, now: now, limit: limit, upTo: nil)
  }
}
