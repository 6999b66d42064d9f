import Synchronization

/// How `allot submit` drives rows.
public struct SubmissionOptions: Sendable, Hashable {
  /// Only this batch (nil: every batch).
  public var batch: Int64?
  /// Most create requests at once.
  public var concurrency: Int
  /// Most create requests per second (nil: no limit).
  public var rate: Double?
  public var retry: RetryPolicy
  public var budget: RetryBudget
  /// Whether to add the row's reference as a `customAttributes` entry (`--no-ref-attribute` turns it off;
  /// then an `unknown` row cannot be verified and waits for `allot resolve`).
  public var sendReference: Bool
  /// The HTTP client's deadline for one request, in seconds. An `unknown` row goes back to `pending`
  /// only after checks that happen this long after its request was sent.
  public var requestDeadline: Double
  /// Checks of Magna's list before an `unknown` row whose reference was not found goes back to `pending`.
  public var verifyChecks: Int
  /// Page size for listing allocations (Magna allows 1–100).
  public var listPageSize: Int
  /// Most pages read in one listing (a guard against a cursor that never ends).
  public var maxListPages: Int
  /// How long `unknown` rows are re-checked while every listing fails (Magna down, say) before the run
  /// ends with ``SubmissionReport/Ending/unverifiable(checks:seconds:message:)``, leaving them `unknown`
  /// for the next run. At least ``minimumFailedSweeps`` failed sweeps are needed as well.
  public var verifyPatience: Double

  /// Failed verification sweeps in a row before the run may give up on `unknown` rows.
  public static let minimumFailedSweeps = 5

  public init(
    batch: Int64? = nil, concurrency: Int = 4, rate: Double? = nil, retry: RetryPolicy = .standard,
    budget: RetryBudget = RetryBudget(), sendReference: Bool = true, requestDeadline: Double = 30,
    verifyChecks: Int = 3, listPageSize: Int = 100, maxListPages: Int = 100_000, verifyPatience: Double = 60
  ) {
    self.batch = batch
    self.concurrency = max(1, concurrency)
    self.rate = rate.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
    self.retry = retry
    self.budget = budget
    self.sendReference = sendReference
    self.requestDeadline = max(0, requestDeadline)
    self.verifyChecks = max(1, verifyChecks)
    self.listPageSize = min(100, max(1, listPageSize))
    self.maxListPages = max(1, maxListPages)
    self.verifyPatience = max(0, verifyPatience)
  }
}

/// Where a run stands, for the progress bar or progress lines.
public struct SubmissionProgress: Sendable, Hashable {
  /// Rows that had work to do when the run started.
  public var total: Int
  /// Rows settled during this run (succeeded, failed, or unknown without a way to verify).
  public var done: Int
  public var succeeded: Int
  public var failed: Int
  public var unknown: Int
  public var retrying: Int
  public var inFlight: Int
  /// Create requests sent so far in this run.
  public var requests: Int
  public var elapsed: Double
  /// Rows settled per second.
  public var ratePerSecond: Double
  /// Seconds left at the current rate; nil before anything settled.
  public var etaSeconds: Double?

  public init(
    total: Int = 0, done: Int = 0, succeeded: Int = 0, failed: Int = 0, unknown: Int = 0, retrying: Int = 0,
    inFlight: Int = 0, requests: Int = 0, elapsed: Double = 0, ratePerSecond: Double = 0,
    etaSeconds: Double? = nil
  ) {
    self.total = total
    self.done = done
    self.succeeded = succeeded
    self.failed = failed
    self.unknown = unknown
    self.retrying = retrying
    self.inFlight = inFlight
    self.requests = requests
    self.elapsed = elapsed
    self.ratePerSecond = ratePerSecond
    self.etaSeconds = etaSeconds
  }
}

/// How a run ended.
public struct SubmissionReport: Sendable, Hashable {
  public enum Ending: Sendable, Hashable {
    /// No row is left `pending`, `retry_wait` or verifiable `unknown`.
    case finished
    /// Stopped on request (first Ctrl-C); in-flight requests were finished.
    case stopped
    /// Magna refused the token (401/403): the run stopped; untouched rows stay `pending`.
    case unauthorized(status: Int, message: String)
    /// Cancelled (second Ctrl-C): rows still in flight become `unknown` on the next start.
    case cancelled
    /// Every listing of Magna's allocations failed for ``SubmissionOptions/verifyPatience`` seconds
    /// (`checks` sweeps in a row, `message` the last error): the run stopped like on a stop request and
    /// the `unknown` rows stay `unknown`, to be checked by the next `allot submit`.
    case unverifiable(checks: Int, seconds: Double, message: String)
  }

  public var ending: Ending
  /// `in_flight` rows found at start (left by a crash) and moved to `unknown`.
  public var recovered: Int
  public var progress: SubmissionProgress
  /// Rows per state at the end (of the batch, or all).
  public var counts: [RowState: Int]

  public init(ending: Ending, recovered: Int, progress: SubmissionProgress, counts: [RowState: Int]) {
    self.ending = ending
    self.recovered = recovered
    self.progress = progress
    self.counts = counts
  }

  /// True when every row is `succeeded`, `skipped` or `invalid`… and the run was not stopped early.
  public var allSettled: Bool {
    counts.allSatisfy { RowTransition.settledOK.contains($0.key) || $0.value == 0 }
  }

  /// Rows per state, with a zero for every state.
  public func count(_ state: RowState) -> Int { counts[state] ?? 0 }
}

/// Asks a running engine to stop starting requests (first Ctrl-C). Safe from any thread (a signal
/// handler's task included); the engine reads it once per turn of its loop without a suspension.
public final class SubmissionControl: Sendable {
  private let flag = Atomic(false)
  public init() {}
  public var stopRequested: Bool { flag.load(ordering: .acquiring) }
  public func requestStop() { flag.store(true, ordering: .releasing) }
}
