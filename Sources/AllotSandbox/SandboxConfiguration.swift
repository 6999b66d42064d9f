/// How `allot sandbox` behaves: where it listens and which faults it injects.
public struct SandboxConfiguration: Sendable, Hashable {
  /// Listen address; loopback only by default.
  public var host: String
  /// 0 = a free port (the bound port is reported in ``SandboxInfo``).
  public var port: Int
  /// Added to every request before it is handled.
  public var latencyMs: Int
  /// Share of creates answered 5xx *before* anything is committed (half 503 with
  /// `x-magna-not-processed: true`, half an HTML 502 page).
  public var errorRate: Double
  /// Share of creates committed and then answered 5xx (500/502/504).
  public var errorAfterCommitRate: Double
  /// Share of creates committed and then left unanswered: the connection is closed.
  public var dropAfterCommitRate: Double
  /// Requests per second accepted (per 1-second window); beyond → 429 with `Retry-After`. nil = no limit.
  public var rateLimit: Int?
  /// Seeds every generated id, key and injected fault.
  public var seed: UInt64
  /// JSON state file, written atomically after each commit and read on start. nil = memory only.
  public var stateFile: String?
  /// Plant reconciliation discrepancies among the generated Magma transactions.
  public var plantDiscrepancies: Bool
  /// Honour the test header `x-sandbox-fault` (see ``SandboxFault``).
  public var allowFaultHeader: Bool
  /// Force this fault on every request it applies to (tests); the header, when sent, wins.
  public var forcedFault: SandboxFault?

  public init(
    host: String = "127.0.0.1", port: Int = 0, latencyMs: Int = 0, errorRate: Double = 0,
    errorAfterCommitRate: Double = 0, dropAfterCommitRate: Double = 0, rateLimit: Int? = nil,
    seed: UInt64 = 1,
    stateFile: String? = nil, plantDiscrepancies: Bool = true, allowFaultHeader: Bool = true,
    forcedFault: SandboxFault? = nil
  ) {
    self.host = host
    self.port = port
    self.latencyMs = latencyMs
    self.errorRate = errorRate
    self.errorAfterCommitRate = errorAfterCommitRate
    self.dropAfterCommitRate = dropAfterCommitRate
    self.rateLimit = rateLimit
    self.seed = seed
    self.stateFile = stateFile
    self.plantDiscrepancies = plantDiscrepancies
    self.allowFaultHeader = allowFaultHeader
    self.forcedFault = forcedFault
  }
}

/// Faults a test can force on one request with the header `x-sandbox-fault: <rawValue>`, or on every
/// request with ``SandboxConfiguration/forcedFault``.
public enum SandboxFault: String, Sendable, CaseIterable {
  /// Create: commit, then close the connection without answering.
  case dropAfterCommit = "drop-after-commit"
  /// Create: commit, then answer 500.
  case errorAfterCommit = "error-after-commit"
  /// Create: answer 500 without committing.
  case errorBeforeCommit = "error-before-commit"
  /// Create: answer 503 with `x-magna-not-processed: true` and `isProcessed: false`, nothing committed.
  case unavailable = "unavailable"
  /// Any route: answer 502 with an HTML page, nothing committed.
  case html502 = "html-502"
  /// Any route: answer 429 with `Retry-After: 1`.
  case rateLimit = "rate-limit"
  /// Any route: answer 429 with `Retry-After` as an HTTP-date 2 s ahead.
  case rateLimitDate = "rate-limit-date"

  public static let header = "x-sandbox-fault"
}
