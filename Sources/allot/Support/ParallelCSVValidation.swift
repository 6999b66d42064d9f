import AllotCore
import AllotReaders
import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Validates a CSV file on every core: the reader cuts the file into chunks of whole records, each
/// chunk is parsed and validated on a worker thread while the reader goes on, and the results are
/// merged in row order (which keeps duplicate detection and the order of issues exactly as in a
/// sequential pass).
///
/// The header row is found sequentially in the first chunks. A file that turns out not to be UTF-8
/// (Windows-1252) is handed back to the sequential reader, which decides the decoding for the whole file.
///
/// Without `requests`, rows are checked on their bytes (`AllocationValidator.validateWithoutRequest`):
/// a valid row comes back as its row number and duplicate key only, and only rows with an issue are
/// built as cells and validated in full.
///
/// Errors surface as they would if the chunks were read in batches of `batchChunks` and each batch
/// validated and merged before the next is read: a chunk's own error (or Windows-1252 text) first, in
/// chunk order, then a reader error met in a later batch.
enum ParallelCSVValidation {
  /// Thrown when the parallel pass must give way to the sequential one.
  struct FallBack: Error {}

  /// Chunks per batch, for the order in which errors surface (see above).
  static let batchChunks = 8

  /// Chunks being validated or waiting to be merged, at most: a few per core keeps every core busy
  /// while memory stays bounded. Validating, four per worker: the thread that reads and merges is the
  /// longest, and with two per worker the workers often had nothing queued while it merged (a fifth of
  /// the cores' time idle). `allot import`'s chunks carry their request bodies, and four per worker
  /// there cost 40 MB more for no time.
  static func maxInFlight(workers: Int, preparing: Bool) -> Int { (preparing ? 2 : 4) * workers }

  /// What a worker gives back for one chunk.
  struct ChunkResult {
    /// Rows validated in full, in row order.
    var rows: [RowValidation] = []
    /// Rows found valid on their bytes, in row order: row number and duplicate key.
    var valid: [(row: Int, key: UInt64)] = []
    var warnings: [ReaderWarning] = []
    var windows1252 = false
  }

  /// What a worker needs to parse a chunk.
  struct Dialect: Sendable {
    let delimiter: UInt8
    let limits: ReaderLimits
    let fileName: String
  }

  /// One chunk on its way through a worker.
  final class Job: @unchecked Sendable {
    /// Taken back (for the next chunk) once the worker is done.
    let bytes: ChunkBuffer
    let firstRow: Int
    let offset: Int64
    let batch: Int
    /// Written by the worker before it signals `done`.
    var result: Result<ChunkResult, any Error> = .failure(FallBack())
    let done = DispatchSemaphore(value: 0)

    init(bytes: ChunkBuffer, firstRow: Int, offset: Int64, batch: Int) {
      self.bytes = bytes
      self.firstRow = firstRow
      self.offset = offset
      self.batch = batch
    }
  }

  /// Parses and validates one chunk (on a worker thread). With `prepareBatch`, each valid row comes back
  /// prepared for that batch (`allot import`) instead of with its request.
  static func process(
    _ job: Job, validator v: AllocationValidator, dialect: Dialect, requests: Bool, prepareBatch: Int64? = nil
  ) -> Result<ChunkResult, any Error> {
    var scanner = CSVRecordScanner(
      delimiter: dialect.delimiter, firstRow: job.firstRow, limits: dialect.limits,
      fileName: dialect.fileName, byteOffset: job.offset)
    var result = ChunkResult()
    do {
      if let batch = prepareBatch {
        var random = SplitMix64()
        // Valid rows come back prepared: their body written from their bytes when they pass the
        // byte checks, else from the request `validate(row:)` builds.
        result.rows.reserveCapacity(4096)
        // A row prepared from its bytes waits for the next such row, so that their fingerprints are
        // hashed together (`PreparedRow.pair`); any other row, and the end of the chunk, lets it go
        // first. Rows stay in order, and each draws its random number when it is read, as before.
        var waitingRow: RowValidation? = nil
        var waitingBody: ByteBody? = nil
        var waitingRandom: UInt64 = 0
        func flush() {
          guard var r = waitingRow.take(), let body = waitingBody.take() else { return }
          r.prepared = PreparedRow(consume body, batch: batch, row: r.rowNumber, random: waitingRandom)
          result.rows.append(r)
        }
        func check(_ record: CSVRecord) {
          if record.bytesAreText, let (valid, body) = v.prepareWithoutRequest(record.row) {
            var r = valid
            r.validWithoutRequest = false
            let draw = random.next()
            guard var first = waitingRow.take(), let firstBody = waitingBody.take() else {
              waitingRow = r
              waitingBody = body
              waitingRandom = draw
              return
            }
            (first.prepared, r.prepared) = PreparedRow.pair(
              consume firstBody, row: first.rowNumber, random: waitingRandom, consume body, row: r.rowNumber,
              random: draw, batch: batch)
            result.rows.append(first)
            result.rows.append(r)
            return
          }
          flush()
          var r = v.validate(row: record.sheetRow())
          if let request = r.allocation {
            r.prepared = PreparedRow(request, batch: batch, row: r.rowNumber, random: random.next())
            r.allocation = nil
          }
          result.rows.append(r)
        }
        try scanner.consumeRecords(job.bytes.bytes, check)
        try scanner.finishRecords(check)
        flush()
      } else if requests {
        result.rows.reserveCapacity(4096)
        try scanner.consume(job.bytes.bytes) { result.rows.append(v.validate(row: $0)) }
        try scanner.finish { result.rows.append(v.validate(row: $0)) }
      } else {
        result.valid.reserveCapacity(4096)
        func check(_ record: CSVRecord) {
          if record.bytesAreText, let r = v.validateWithoutRequest(record.row), let key = r.duplicateKey {
            result.valid.append((r.rowNumber, key))
          } else {
            result.rows.append(v.validate(row: record.sheetRow()))
          }
        }
        try scanner.consumeRecords(job.bytes.bytes, check)
        try scanner.finishRecords(check)
      }
      result.warnings = scanner.warnings
      result.windows1252 = scanner.decoding == .windows1252
      return .success(result)
    } catch {
      return .failure(error)
    }
  }

  static func run(
    csv: CSVReader, validator: inout FileValidator, progress: inout ProgressLine, requests: Bool = true,
    prepareBatch: Int64? = nil, onRow: (RowValidation) throws -> Void
  ) throws -> [ReaderWarning] {
    var warnings: [ReaderWarning] = []
    let dialect = Dialect(delimiter: csv.dialect.delimiter, limits: csv.limits, fileName: csv.fileName)
    let limit = maxInFlight(workers: max(1, System.activeProcessorCount), preparing: prepareBatch != nil)
    // The workers run at a lower priority (libdispatch gives utility threads a higher nice value on
    // Linux) than the thread that reads and merges their chunks (and, for `allot import`, the thread
    // that stages their rows): that thread is the critical path, and with every core busy it would
    // otherwise wait for a core as often as it runs. The workers still keep every core busy.
    let workerQoS: DispatchQoS.QoSClass = .utility
    var inFlight: [Job] = []
    var spare: [ChunkBuffer] = []
    var chunks = 0
    var firstChunk = (bytes: 0, row: 0)
    // The first error of a chunk (its own, or thrown while merging it), held until its batch is read.
    var held: (error: any Error, batch: Int)? = nil
    var surfaced = false

    /// How many valid rows ahead the duplicate table's slots are requested.
    let prefetchDistance = 16

    func merge(_ result: ChunkResult) throws {
      if result.windows1252 { throw FallBack() }
      for warning in result.warnings where !warnings.contains(warning) { warnings.append(warning) }
      // Both lists are in row order: merge them.
      let rows = result.rows
      let valid = result.valid
      var a = 0
      var b = 0
      while a < rows.count || b < valid.count {
        if b == valid.count || (a < rows.count && rows[a].rowNumber < valid[b].row) {
          if a + prefetchDistance < rows.count, let ahead = rows[a + prefetchDistance].duplicateKey {
            validator.prefetchDuplicate(ahead)
          }
          if let merged = validator.accept(rows[a]) { try onRow(merged) }
          a += 1
        } else {
          let (row, key) = valid[b]
          if b + prefetchDistance < valid.count {
            validator.prefetchDuplicate(valid[b + prefetchDistance].key)
          }
          let duplicate = validator.acceptValid(rowNumber: row, duplicateKey: key)
          try onRow(
            RowValidation(
              rowNumber: row, allocation: nil, issues: duplicate.map { [$0] } ?? [], duplicateKey: key,
              validWithoutRequest: true))
          b += 1
        }
        progress.tick()
      }
    }

    /// Waits for the oldest chunk and merges it (nothing more is merged after an error).
    func mergeOldest() {
      let job = inFlight.removeFirst()
      job.done.wait()
      spare.append(job.bytes)
      guard held == nil else { return }
      do {
        try merge(job.result.get())
      } catch {
        held = (error, job.batch)
      }
    }

    /// Throws the held error once its batch has been read completely (or the whole file).
    func surface(readAll: Bool) throws {
      guard let (error, batch) = held, readAll || chunks >= (batch + 1) * batchChunks else { return }
      surfaced = true
      throw error
    }

    do {
      // Buffers of merged chunks are read into again: no new allocation (nor fresh pages) per chunk.
      try csv.readOwnedChunks(reuse: { spare.popLast() }) { chunk, firstRow, offset in
        if let v = validator.validator {
          let job = Job(bytes: chunk, firstRow: firstRow, offset: offset, batch: chunks / batchChunks)
          chunks += 1
          if chunks == 1 {
            firstChunk = (chunk.bytes.count, firstRow)
          } else if chunks == 2, let size = csv.byteCount, firstRow > firstChunk.row {
            // Room for the duplicate keys of every row, guessed from the first chunk's rows.
            let rows = Double(firstRow - firstChunk.row) * Double(size) / Double(max(1, firstChunk.bytes))
            validator.expectRows(Int(min(rows * 1.05, 1e9)))
          }
          if held == nil {
            inFlight.append(job)
            DispatchQueue.global(qos: workerQoS).async {
              job.result = process(
                job, validator: v, dialect: dialect, requests: requests, prepareBatch: prepareBatch)
              job.done.signal()
            }
            while inFlight.count >= limit { mergeOldest() }
          }
          try surface(readAll: false)
          return
        }
        // Before the header is known: parse sequentially.
        var scanner = CSVRecordScanner(
          delimiter: csv.dialect.delimiter, firstRow: firstRow, limits: csv.limits,
          fileName: csv.fileName, byteOffset: offset)
        let handle: (SheetRow) throws -> Void = { row in
          if let r = validator.feed(row) { try onRow(r) }
          progress.tick()
        }
        try scanner.consume(chunk.bytes, handle)
        try scanner.finish(handle)
        spare.append(chunk)
        if scanner.decoding == .windows1252 { throw FallBack() }
        for warning in scanner.warnings where !warnings.contains(warning) { warnings.append(warning) }
      }
      while !inFlight.isEmpty { mergeOldest() }
      try surface(readAll: true)
    } catch {
      if !surfaced {
        // A reader error comes after the errors of the batches read completely before it.
        let complete = chunks / batchChunks
        while let job = inFlight.first, job.batch < complete { mergeOldest() }
      }
      for job in inFlight { job.done.wait() }
      if !surfaced, let (held, batch) = held, batch < chunks / batchChunks { throw held }
      throw error
    }
    return warnings
  }
}

enum System {
  static var activeProcessorCount: Int {
    #if canImport(Glibc)
      return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
      return 2
    #endif
  }
}
