/// Drives staged rows through the state machine against Magna.
///
/// - A row is marked `in_flight` in a committed store transaction before its request leaves.
/// - On start, `in_flight` rows left by a crash become `unknown` (Magna has no idempotency key).
/// - Outcomes (issue 3 §4): created → `succeeded`; 400/404/413/422 → `failed`; 401/403 → the run stops,
///   the row goes back to `pending`; not sent, 429 and 503-did-nothing → `retry_wait` with full-jitter
///   backoff under a retry budget, `failed` after `maxAttempts`; timeout / dropped after send / other
///   5xx → `unknown`, then verified by listing the token's allocations for the row's reference.
/// - Bounded concurrency, an optional request rate, cooperative stop. Requests are started with
///   ``MagnaAPI/startCreateAllocation(body:completion:)`` and answer into a ``SubmissionInbox``, where the
///   results of the engine's child tasks (commits, verification, timers) arrive too.
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

  /// What reaches the scheduler's inbox.
  enum Event: Sendable {
    /// A create request ended.
    case answered(rowId: Int64, outcome: CreateOutcome)
    /// A child task ended.
    case child(Result<ChildResult, any Error>)
    /// The run's task was cancelled: cancel the requests in flight.
    case cancelled
  }

  /// What a finished child task reports to the scheduler.
  enum ChildResult: Sendable {
    /// A verification sweep ended (committed) at `finishedAt`; the states the rows reached (empty: nothing
    /// was due), and whether Magna could be listed.
    case verified(
      states: [RowState], unauthorized: (status: Int, message: String)?, listing: Listing, finishedAt: Double)
    /// A group commit ended.
    case committed(CommitResult)
    /// A timer ran out (the rate limit allows the next request).
    case tick
    /// The delay of waiting outcomes ran out (they are committed at the next turn).
    case outcomesDue
  }

  /// What a verification sweep learned of Magna's list endpoint.
  enum Listing: Sendable {
    /// Nothing was due.
    case none
    /// At least one listing answered.
    case answered
    /// Every listing failed; the last error.
    case failed(String)
  }

  /// A create request on its way.
  struct InFlight {
    var row: SubmissionRow
    var startedAt: Double
    var handle: CreateRequestHandle
  }

  /// A row marked `in_flight` in a committed transaction whose request has not left yet.
  struct ReadyRow: Sendable {
    /// The row as stored now (`in_flight`, attempt counted, `sentAt` stamped).
    var row: SubmissionRow
    /// The row before it was marked (to put it back if it is not sent).
    var previous: SubmissionRow
    var body: [UInt8]
  }

  /// One transaction's worth of work, gathered by the scheduler and run by a child task.
  struct CommitJob: Sendable {
    /// Outcomes of finished requests.
    var outcomes: [RowUpdate] = []
    /// Rows (from the read-ahead queue) to mark `in_flight`.
    var claim: [SubmissionRow] = []
    /// Rows to mark in all, the queue's first, then rows read by `fetchLimit`.
    var claimWanted = 0
    /// When set (the queue is empty), reads up to this many sendable rows first.
    var fetchLimit: Int?
    /// Ready rows that waited too long: their `sentAt` is stamped again before they leave.
    var restamp: [ReadyRow] = []
    /// Ready rows that will not be sent (the run stops): back to the state they were in.
    var release: [ReadyRow] = []

    var isEmpty: Bool {
      outcomes.isEmpty && claim.isEmpty && fetchLimit == nil && restamp.isEmpty && release.isEmpty
    }
  }

  struct CommitResult: Sendable {
    /// Rows now committed `in_flight`, to send.
    var ready: [ReadyRow]
    /// Rows read but not marked: the read-ahead queue.
    var unclaimed: [SubmissionRow]
    /// Rows the read returned (nil: no read), and whether it returned as many as it asked for.
    var fetched: Int?
    var fetchedAll: Bool
    /// The outcomes now committed.
    var outcomes: [RowUpdate]
    /// When the commit ended.
    var finishedAt: Double
  }

  /// The longest a ready row may wait before its request leaves; past it, its `sentAt` is stamped again
  /// first, so `sentAt` is never more than this before the request leaves (verification counts the request
  /// deadline from `sentAt`; `allot submit` gives that deadline a margin of a second).
  static let launchWindow = 0.25
  /// Ready rows are kept for about this many seconds of sending (at most four times `concurrency`), so a slot
  /// that frees while a commit is on its way to disk is refilled at once, and each commit marks a few
  /// slots' worth of rows (fewer commits, each synced to disk).
  static let readAhead = 0.1
  /// Rows read per query of sendable rows.
  static let fetchChunk = 256
  /// Outcomes are committed once this many wait, or the first has waited this long (while rows marked
  /// ahead remain; an outcome not committed at a crash leaves its row `in_flight` → `unknown` → verified).
  /// 100 ms: with 20 ms requests at concurrency 16, a commit every 30 rows instead of every 9 (20 ms and
  /// `concurrency` rows ahead), and about a sixth less CPU per row (`docs/decisions.md`).
  static let outcomesPerCommit = 64
  static let outcomeDelay = 0.1
  /// How often to look again for sendable or verifiable rows that have come due while busy.
  static let recheckInterval = 0.5

  /// Runs until no row is `pending`, `retry_wait` or verifiable `unknown`, or until stopped.
  ///
  /// Pipelined: outcomes and the marking of the next rows `in_flight` are committed together, one
  /// transaction at a time, while requests are out. A few rows (the ones that will fill the next free
  /// slots) are marked ahead, so a request leaves as soon as a slot frees instead of after an fsync. An
  /// outcome not committed yet at a crash leaves its row `in_flight` → `unknown` → verified; a row marked
  /// ahead and never sent is put back when the run stops, or after a crash found absent by verification.
  public func run(progress: @escaping @Sendable (SubmissionProgress) -> Void = { _ in }) async throws
    -> SubmissionReport
  {
    let batch = options.batch
    let concurrency = options.concurrency
    let start = await clock.now()
    let recovered = try await store.recoverInFlight(batch: batch, now: start)
    // The rows staged when the run starts: a batch imported meanwhile waits for the next run (and is not
    // sent without being asked for, nor counted in this run's progress).
    let horizon = try await store.lastRowId()
    let initial = try await store.counts(batch: batch)
    var tally = SubmissionTally(
      start: start,
      progress: SubmissionProgress(
        total: (initial[.pending] ?? 0) + (initial[.retryWait] ?? 0) + (initial[.unknown] ?? 0)
          + (initial[.inFlight] ?? 0)))
    var limiter = RateLimiter(rate: options.rate)
    var ending = SubmissionReport.Ending.finished

    let inbox = SubmissionInbox<Event>()
    try await withTaskCancellationHandler {
      try await withThrowingDiscardingTaskGroup { group in
        /// Requests on their way, by row id.
        var inFlight: [Int64: InFlight] = [:]
        inFlight.reserveCapacity(concurrency)
        var sending: Int { inFlight.count }
        var verifying = false
        var committing = false
        var ticking = false
        /// A timer runs to commit outcomes that wait while nothing else happens (requests slow to answer).
        var outcomesTimer = false
        var stopping = false
        /// Rows read ahead (still `pending`/`retry_wait` in the store), in order.
        var queue: [SubmissionRow] = []
        var queueHead = 0
        /// Rows committed `in_flight`, waiting for a slot.
        var ready: [ReadyRow] = []
        var readyHead = 0
        var restamp: [ReadyRow] = []
        /// Outcomes not committed yet, and when the first of them came.
        var outcomes: [RowUpdate] = []
        var outcomesSince = 0.0
        /// Whether the store may hold sendable rows the queue does not (cleared by a short read).
        var fetchNeeded = true
        /// Verification sweeps that made rows `pending` again so far, and how many when the read of the
        /// commit in progress began: a sweep that ends while that read is out may have changed rows it
        /// already passed, so its empty answer does not mean the store holds no sendable row.
        var sendableChanges = 0
        var sendableChangesAtFetch = 0
        var lastFetch = -Double.infinity
        var probeNeeded = true
        var lastProbe = -Double.infinity
        /// Mean request duration (moving average), nil before the first answer.
        var latency: Double?
        /// Verification sweeps in a row whose every listing failed, and when the first of them ended.
        var failedSweeps = 0
        var failingSince = 0.0

        /// Starts a child task whose result reaches the inbox.
        func spawn(_ work: @escaping @Sendable () async throws -> ChildResult) {
          group.addTask {
            let result: Result<ChildResult, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            inbox.send(.child(result))
          }
        }

        /// Takes the next event from the inbox and records it.
        func receive() async throws {
          switch await inbox.next() {
          case .answered(let rowId, let outcome):
            guard let request = inFlight.removeValue(forKey: rowId) else { return }
            let finishedAt = await clock.now()
            let update = await classify(
              row: request.row, outcome: outcome, startedAt: request.startedAt, finishedAt: finishedAt)
            if outcomes.isEmpty { outcomesSince = finishedAt }
            outcomes.append(update)
            let duration = finishedAt - request.startedAt
            tally.settle(state: update.to, verifiable: update.to != .unknown || update.nextAttemptAt != nil)
            latency = latency.map { $0 * 0.9 + duration * 0.1 } ?? duration
            if case .unauthorized(let status, _, let message) = outcome, case .finished = ending {
              ending = .unauthorized(status: status, message: message)
            }
            tally.progress.inFlight = sending
            progress(tally.snapshot(now: finishedAt))
          case .cancelled:
            for request in inFlight.values { request.handle.cancel() }
          case .child(let result):
            absorb(try result.get())
          }
        }

        func absorb(_ result: ChildResult) {
          switch result {
          case .verified(let states, let unauthorized, let listing, let finishedAt):
            verifying = false
            switch listing {
            case .none: break
            case .answered: failedSweeps = 0
            case .failed(let message):
              let now = finishedAt
              if failedSweeps == 0 { failingSince = now }
              failedSweeps += 1
              if failedSweeps >= SubmissionOptions.minimumFailedSweeps,
                now - failingSince >= options.verifyPatience, case .finished = ending
              {
                ending = .unverifiable(checks: failedSweeps, seconds: now - failingSince, message: message)
              }
            }
            for s in states { tally.settle(state: s, verifiable: true, fromUnknown: true) }
            if !states.isEmpty {
              // Rows may be `pending` again, and more may be due than one sweep takes.
              fetchNeeded = true
              sendableChanges += 1
              probeNeeded = true
            }
            if let unauthorized, case .finished = ending {
              ending = .unauthorized(status: unauthorized.status, message: unauthorized.message)
            }
            if !states.isEmpty { progress(tally.snapshot(now: finishedAt)) }
          case .committed(let result):
            committing = false
            if readyHead > 0 && readyHead == ready.count {
              ready.removeAll(keepingCapacity: true)
              readyHead = 0
            }
            ready += result.ready
            if result.fetched != nil {
              // The queue was empty when the read was made.
              queue = result.unclaimed
              queueHead = 0
              lastFetch = result.finishedAt
              fetchNeeded = result.fetchedAll || sendableChanges != sendableChangesAtFetch
            }
            for u in result.outcomes {
              switch u.to {
              case .pending, .retryWait: fetchNeeded = true
              case .unknown where u.nextAttemptAt != nil: probeNeeded = true
              default: break
              }
            }
          case .tick:
            ticking = false
          case .outcomesDue:
            outcomesTimer = false
          }
        }

        do {
          scheduling: while true {
            if !stopping {
              if Task.isCancelled {
                ending = .cancelled
              } else if case .finished = ending, control.stopRequested {
                ending = .stopped
              }
              if case .finished = ending {} else { stopping = true }
            }
            let now = await clock.now()

            if !stopping {
              // Fill free slots with ready rows.
              var firsts = 0
              while sending < concurrency, readyHead < ready.count, limiter.permitted(now: now, wanted: 1) > 0
              {
                let next = ready[readyHead]
                readyHead += 1
                if now - (next.row.sentAt ?? now) > Self.launchWindow {
                  restamp.append(next)
                  continue
                }
                limiter.consume(1, now: now)
                if next.row.attempts == 1 { firsts += 1 }
                let rowId = next.row.id
                let handle = api.startCreateAllocation(body: next.body) { outcome in
                  inbox.send(.answered(rowId: rowId, outcome: outcome))
                }
                inFlight[rowId] = InFlight(row: next.row, startedAt: now, handle: handle)
                tally.progress.requests += 1
              }
              tally.progress.inFlight = sending
              if firsts > 0 { await retries.recordFirstRequests(firsts) }

              if !verifying, probeNeeded || now >= lastProbe + Self.recheckInterval {
                verifying = true
                probeNeeded = false
                lastProbe = now
                spawn { try await self.verifyDue(now: now) }
              }
            }

            // Group commit: one transaction at a time, started when rows must be marked soon, when outcomes
            // have waited long enough, or when nothing else is going on. "Soon": a free slot has no ready
            // row, or fewer than a quarter of the rows to keep ahead are left (at concurrency 16 and 20 ms,
            // 16 rows, 20 ms of sending, against a commit of a few ms); each commit then marks about
            // three quarters of them, so commits are fewer and each writes fewer pages per row than when
            // it was started at half (`docs/decisions.md`).
            let backlog = ready.count - readyHead
            let ahead = options.rate == nil ? readyTarget(latency: latency) : 0
            let commitDue =
              stopping || options.rate != nil || sending == 0 || !restamp.isEmpty
              || concurrency - sending > backlog || backlog * 4 < ahead
              || outcomes.count >= Self.outcomesPerCommit
              || (!outcomes.isEmpty && now - outcomesSince >= Self.outcomeDelay)
            if !committing, commitDue {
              var job = CommitJob()
              swap(&job.outcomes, &outcomes)
              if stopping {
                // Rows marked but not sent go back to the state they were in.
                job.release = Array(ready[readyHead...]) + restamp
                ready.removeAll()
                readyHead = 0
                restamp.removeAll()
              } else {
                swap(&job.restamp, &restamp)
                let free = concurrency - sending
                let target: Int
                if options.rate == nil {
                  target = free + ahead
                } else {
                  target = min(free, limiter.permitted(now: now, wanted: free))
                }
                let want = max(0, target - (ready.count - readyHead) - job.restamp.count)
                let take = min(want, queue.count - queueHead)
                if take > 0 {
                  job.claim = Array(queue[queueHead..<(queueHead + take)])
                  queueHead += take
                  if queueHead == queue.count {
                    queue.removeAll()
                    queueHead = 0
                  }
                }
                job.claimWanted = want
                if take < want, queueHead == queue.count,
                  fetchNeeded || now >= lastFetch + Self.recheckInterval
                {
                  job.fetchLimit = max(Self.fetchChunk, want - take)
                }
              }
              if !job.isEmpty {
                committing = true
                if job.fetchLimit != nil { sendableChangesAtFetch = sendableChanges }
                let job = job
                spawn { try await self.commit(job, upTo: horizon) }
              }
            }

            if !stopping, !ticking, options.rate != nil, sending > 0 || verifying || committing,
              limiter.permitted(now: now, wanted: 1) == 0, let next = limiter.nextPermitted,
              sending < concurrency
            {
              // Held back by the rate while requests are out: wake up when the next one may start.
              ticking = true
              spawn {
                try await self.clock.sleep(until: next)
                return .tick
              }
            }

            if !committing, !outcomesTimer, !outcomes.isEmpty, sending > 0 {
              // Outcomes wait for more to commit with them, but no longer than `outcomeDelay`, even when no
              // answer comes meanwhile.
              outcomesTimer = true
              let due = outcomesSince + Self.outcomeDelay
              spawn {
                try await self.clock.sleep(until: due)
                return .outcomesDue
              }
            }

            if sending > 0 || verifying || committing || ticking || outcomesTimer {
              // With only a timer left, nothing else can happen before it.
              try await receive()
              continue scheduling
            }

            // Nothing running, nothing to record.
            if stopping { break scheduling }
            if limiter.permitted(now: now, wanted: 1) == 0, let next = limiter.nextPermitted {
              // Held back only by the rate: wait for the next slot.
              if try await pause(until: next) { continue scheduling }
            }
            if readyHead < ready.count || queueHead < queue.count { continue scheduling }
            guard let wake = try await store.nextWakeTime(batch: batch) else { break scheduling }
            if try await pause(until: wake) {
              fetchNeeded = true
              probeNeeded = true
            }
          }
        } catch {
          // The run ends with an error: cancel the requests in flight and wait for their answers (their
          // rows stay `in_flight`, so the next start verifies them), so none outlives the run.
          for request in inFlight.values { request.handle.cancel() }
          while !inFlight.isEmpty {
            if case .answered(let rowId, _) = await inbox.next() { inFlight[rowId] = nil }
          }
          throw error
        }
      }
    } onCancel: {
      inbox.send(.cancelled)
    }

    let counts = try await store.counts(batch: batch)
    if Task.isCancelled { ending = .cancelled }
    return SubmissionReport(
      ending: ending, recovered: recovered, progress: tally.snapshot(now: await clock.now()), counts: counts)
  }

  /// Rows to keep marked ahead of the free slots: those that free within ``readAhead`` seconds, at most
  /// four times the concurrency (`concurrency` before the first answer).
  func readyTarget(latency: Double?) -> Int {
    let c = options.concurrency
    guard let latency, latency > 0 else { return c }
    let n = (Double(c) * Self.readAhead / latency).rounded(.up)
    return n >= Double(4 * c) ? 4 * c : max(1, Int(n))
  }

  /// One transaction: reads sendable rows (of ids up to `horizon`) if asked, then records outcomes, marks
  /// rows `in_flight`, stamps again or puts back ready rows.
  func commit(_ job: CommitJob, upTo horizon: Int64?) async throws -> ChildResult {
    let startedAt = await clock.now()
    var candidates = job.claim
    var unclaimed: [SubmissionRow] = []
    var fetched: Int?
    var full = false
    if let fetchLimit = job.fetchLimit {
      // The rows taken from the queue are still `pending` in the store: read past them.
      let limit = fetchLimit + job.claim.count
      var rows = try await store.sendableRows(
        batch: options.batch, now: startedAt, limit: limit, upTo: horizon)
      full = rows.count >= limit
      if !job.claim.isEmpty {
        let taken = Set(job.claim.map(\.id))
        rows.removeAll { taken.contains($0.id) }
      }
      fetched = rows.count
      let take = max(0, job.claimWanted - candidates.count)
      candidates += rows.prefix(take)
      unclaimed = Array(rows.dropFirst(take))
    }
    let now = await clock.now()
    var updates = job.outcomes
    updates.reserveCapacity(
      job.outcomes.count + candidates.count + job.restamp.count + job.release.count)
    var ready: [ReadyRow] = []
    ready.reserveCapacity(job.restamp.count + candidates.count)
    for var r in job.restamp {
      updates.append(
        RowUpdate(
          rowId: r.row.id, from: .inFlight, to: .inFlight, reason: .send, nextAttemptAt: nil, sentAt: now))
      r.row.sentAt = now
      ready.append(r)
    }
    for row in candidates {
      let (body, withRef) = requestBody(for: row)
      updates.append(
        RowUpdate(
          rowId: row.id, from: row.state, to: .inFlight, reason: .send, nextAttemptAt: nil,
          sentBody: body, referenceSent: withRef, sentAt: now, attemptsDelta: 1))
      var sent = row
      sent.attempts += 1
      sent.referenceSent = withRef
      sent.sentAt = now
      sent.state = .inFlight
      sent.nextAttemptAt = nil
      ready.append(ReadyRow(row: sent, previous: row, body: body))
    }
    for r in job.release {
      updates.append(
        RowUpdate(
          rowId: r.row.id, from: .inFlight, to: r.previous.state, reason: .send,
          nextAttemptAt: r.previous.nextAttemptAt, attemptsDelta: -1))
    }
    if !updates.isEmpty { try await store.apply(updates) }
    let finishedAt = await clock.now()
    return .committed(
      CommitResult(
        ready: ready, unclaimed: unclaimed, fetched: fetched, fetchedAll: full,
        outcomes: job.outcomes, finishedAt: finishedAt))
  }

  /// Sleeps until `deadline`, in short steps so a stop request is noticed. False when stopped early.
  func pause(until deadline: Double) async throws -> Bool {
    while true {
      let now = await clock.now()
      if now >= deadline { return true }
      if control.stopRequested || Task.isCancelled { return false }
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
}
