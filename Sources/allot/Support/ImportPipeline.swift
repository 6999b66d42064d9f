import AllotCore
import AllotReaders
import AllotStore
import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `allot import`'s pipeline: the file is validated on a thread of its own (CSV on every core), the
/// request body and fingerprint of each valid row are built on worker threads a chunk of rows at a
/// time, and the calling thread — the one that owns the import transaction — stages the rows in file
/// order as their chunks become ready. At most `chunksInFlight` chunks are held, so memory stays bounded
/// whatever the size of the file.
enum ImportPipeline {
  static let chunkRows = 1024
  static let chunksInFlight = 16

  /// Where the staging thread spent its time (`ALLOT_TIMING=1`).
  struct Timing {
    var waiting = Duration.zero
    var staging = Duration.zero
    /// CPU time of the staging thread.
    var stagingCPU = Duration.zero
    /// What the reader noticed about the file (Windows-1252 text, …), set once validation is over.
    var readerWarnings: [ReaderWarning] = []

    static func threadCPU() -> Duration {
      var t = timespec()
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
      return .seconds(t.tv_sec) + .nanoseconds(t.tv_nsec)
    }
  }

  /// Chunks staged between two early flushes of the database file (about 55 MB of pages).
  static let chunksPerWriteback = 64

  /// Validates `run` and stages every data row through `stager`, in row order; returns the summary
  /// of the validation. A validation error (already reported) is rethrown after the producer stops;
  /// a staging error stops the validation and is rethrown.
  static func stage(
    _ run: ValidationRun, into stager: BatchStager, showProgress: Bool, writeback: EarlyWriteback? = nil,
    timing: inout Timing
  ) throws -> ValidationSummary {
    let queue = ChunkQueue(capacity: chunksInFlight)
    let toPrepare = PrepareQueue()
    let producerDone = DispatchSemaphore(value: 0)
    let source = UncheckedSendable(run)
    let batchId = stager.batchId
    let warnings = WarningsBox()
    let producer = Thread {
      queue.finish(
        Result {
          try produce(
            source.value, batchId: batchId, into: queue, toPrepare: toPrepare, showProgress: showProgress,
            warnings: warnings)
        })
      toPrepare.close()
      producerDone.signal()
    }
    producer.stackSize = 8 << 20
    producer.start()
    // Dedicated threads (not the dispatch pool, which the validation keeps busy) build the bodies.
    for _ in 0..<max(1, ProcessInfo.processInfo.activeProcessorCount - 1) {
      Thread {
        while let chunk = toPrepare.next() { chunk.prepareIfUnclaimed() }
      }.start()
    }

    let clock = ContinuousClock()
    let cpu0 = Timing.threadCPU()
    defer { timing.stagingCPU += Timing.threadCPU() - cpu0 }
    var staged = 0
    do {
      while true {
        let t0 = clock.now
        guard let chunk = queue.pop() else { break }
        // A chunk no worker has started yet is prepared here rather than waited for.
        chunk.prepareIfUnclaimed()
        chunk.ready.wait()
        let t1 = clock.now
        try chunk.stage(into: stager)
        staged += 1
        if staged % chunksPerWriteback == 0 { writeback?.kick() }
        // Freeing a thousand rows' strings is work too: done on a worker, off the staging thread.
        DispatchQueue.global(qos: .utility).async { chunk.discard() }
        timing.waiting += t1 - t0
        timing.staging += clock.now - t1
      }
    } catch {
      queue.cancel()
      toPrepare.close()
      producerDone.wait()
      throw error
    }
    producerDone.wait()
    timing.readerWarnings = warnings.value
    return try queue.result()
  }

  /// The producer thread: validates, cuts the merged results into chunks and has each chunk's bodies
  /// built on a worker thread.
  private static func produce(
    _ run: ValidationRun, batchId: Int64, into queue: ChunkQueue, toPrepare: PrepareQueue, showProgress: Bool,
    warnings: WarningsBox
  ) throws -> ValidationSummary {
    var rows: [RowValidation] = []
    rows.reserveCapacity(chunkRows)
    func submit() throws {
      guard !rows.isEmpty else { return }
      let chunk = ImportChunk(rows: rows, batchId: batchId)
      rows.removeAll(keepingCapacity: true)
      toPrepare.add(chunk)
      try queue.push(chunk)
    }
    // CSV rows are prepared where they are validated, on every core; rows of other files by the chunk.
    let (summary, readerWarnings) = try run.validate(
      collectIssues: false, showProgress: showProgress, prepareBatch: batchId
    ) { result in
      rows.append(result)
      if rows.count >= chunkRows { try submit() }
    }
    try submit()
    warnings.value = readerWarnings
    return summary
  }
}

/// The reader's warnings, written by the producer thread before it signals that it is done.
private final class WarningsBox: @unchecked Sendable {
  var value: [ReaderWarning] = []
}

/// A run of validated rows in file order, each valid one `prepared` once `ready` is signalled. Rows
/// validated on the CSV workers come prepared; the others (other formats, a CSV read again
/// sequentially) are prepared once, by a worker or by the staging thread, whichever claims the chunk
/// first. Read by the staging thread after `ready`.
private final class ImportChunk: @unchecked Sendable {
  private(set) var rows: [RowValidation]
  let batchId: Int64
  let ready = DispatchSemaphore(value: 0)
  private let claim = NSLock()
  private var claimed = false

  init(rows: [RowValidation], batchId: Int64) {
    self.rows = rows
    self.batchId = batchId
  }

  /// Prepares the chunk unless another thread already does (or did).
  func prepareIfUnclaimed() {
    claim.lock()
    let mine = !claimed
    claimed = true
    claim.unlock()
    if mine { prepare() }
  }

  /// The body, fingerprint and fresh reference of each valid row not prepared yet.
  private func prepare() {
    var random = SplitMix64()
    for i in rows.indices {
      guard let request = rows[i].allocation else { continue }
      rows[i].prepared = PreparedRow(request, batch: batchId, row: rows[i].rowNumber, random: random.next())
      rows[i].allocation = nil
    }
    ready.signal()
  }

  /// Drops the rows (the last references to them: they are freed on the calling thread).
  func discard() {
    rows = []
  }

  func stage(into stager: BatchStager) throws {
    for i in rows.indices {
      if let prepared = rows[i].prepared {
        try stager.addValid(sourceRow: rows[i].rowNumber, prepared, warnings: rows[i].issues)
      } else {
        try stager.addInvalid(sourceRow: rows[i].rowNumber, issues: rows[i].issues)
      }
    }
  }
}

/// The bounded, ordered hand-over of chunks from the producer to the staging thread.
private final class ChunkQueue: @unchecked Sendable {
  /// Thrown in the producer once the staging thread has given up.
  struct Cancelled: Error {}

  private let condition = NSCondition()
  private let capacity: Int
  private var chunks: [ImportChunk] = []
  private var outcome: Result<ValidationSummary, any Error>?
  private var cancelled = false

  init(capacity: Int) { self.capacity = capacity }

  /// Waits for room; throws `Cancelled` when the staging thread stopped.
  func push(_ chunk: ImportChunk) throws {
    condition.lock()
    defer { condition.unlock() }
    while chunks.count >= capacity && !cancelled { condition.wait() }
    if cancelled { throw Cancelled() }
    chunks.append(chunk)
    condition.broadcast()
  }

  /// The next chunk in order; nil once the producer has finished and every chunk was taken (or it
  /// failed: the chunks left are dropped).
  func pop() -> ImportChunk? {
    condition.lock()
    defer { condition.unlock() }
    while chunks.isEmpty && outcome == nil { condition.wait() }
    if case .failure = outcome { return nil }
    guard !chunks.isEmpty else { return nil }
    let chunk = chunks.removeFirst()
    condition.broadcast()
    return chunk
  }

  func finish(_ result: Result<ValidationSummary, any Error>) {
    condition.lock()
    outcome = result
    if case .failure = result { chunks.removeAll() }
    condition.broadcast()
    condition.unlock()
  }

  func cancel() {
    condition.lock()
    cancelled = true
    chunks.removeAll()
    condition.broadcast()
    condition.unlock()
  }

  /// The producer's outcome (after it finished).
  func result() throws -> ValidationSummary {
    condition.lock()
    defer { condition.unlock() }
    guard let outcome else { throw Cancelled() }
    return try outcome.get()
  }
}

/// The chunks whose bodies are still to be built, in order, for the preparing threads.
private final class PrepareQueue: @unchecked Sendable {
  private let condition = NSCondition()
  private var chunks: [ImportChunk] = []
  private var closed = false

  func add(_ chunk: ImportChunk) {
    condition.lock()
    chunks.append(chunk)
    condition.signal()
    condition.unlock()
  }

  /// The oldest chunk not handed out yet; nil once closed and empty.
  func next() -> ImportChunk? {
    condition.lock()
    defer { condition.unlock() }
    while chunks.isEmpty && !closed { condition.wait() }
    return chunks.isEmpty ? nil : chunks.removeFirst()
  }

  /// No more chunks (what is left is still handed out).
  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }
}

/// Hands a value that is only ever used by one thread at a time to the producer thread.
private struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
