import AllotCore
import AllotReaders
import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Validates a CSV file on every core: the reader cuts the file into chunks of whole records, each
/// chunk is parsed and validated on a worker thread, and the results are merged in row order (which
/// keeps duplicate detection and the order of issues exactly as in a sequential pass).
///
/// The header row is found sequentially in the first chunks. A file that turns out not to be UTF-8
/// (Windows-1252) is handed back to the sequential reader, which decides the decoding for the whole file.
enum ParallelCSVValidation {
  /// Thrown when the parallel pass must give way to the sequential one.
  struct FallBack: Error {}

  /// Chunks validated together (a few per core keeps both cores busy while memory stays bounded).
  static let batchChunks = 8

  static func run(
    csv: CSVReader, validator: inout FileValidator, progress: inout ProgressLine,
    onRow: (RowValidation) throws -> Void
  ) throws -> [ReaderWarning] {
    var warnings: [ReaderWarning] = []
    var batch: [(bytes: [UInt8], firstRow: Int, offset: Int64)] = []
    let workers = max(1, System.activeProcessorCount)
    let delimiter = csv.dialect.delimiter
    let limits = csv.limits
    let fileName = csv.fileName

    func flush(_ v: AllocationValidator) throws {
      guard !batch.isEmpty else { return }
      let jobs = batch
      batch.removeAll(keepingCapacity: true)
      let results = ResultSlots(count: jobs.count)
      DispatchQueue.concurrentPerform(iterations: min(workers, jobs.count)) { worker in
        var j = worker
        while j < jobs.count {
          let job = jobs[j]
          var scanner = CSVRecordScanner(
            delimiter: delimiter, firstRow: job.firstRow, limits: limits, fileName: fileName,
            byteOffset: job.offset)
          var rows: [RowValidation] = []
          rows.reserveCapacity(4096)
          do {
            try job.bytes.withUnsafeBytes { buf in
              try scanner.consume(buf) { rows.append(v.validate(row: $0)) }
            }
            try scanner.finish { rows.append(v.validate(row: $0)) }
            results.store(j, .success((rows, scanner.warnings, scanner.decoding == .windows1252)))
          } catch {
            results.store(j, .failure(error))
          }
          j += workers
        }
      }
      for j in 0..<jobs.count {
        switch results.take(j) {
        case .failure(let error): throw error
        case .success(let (rows, w, fellBack)):
          if fellBack { throw FallBack() }
          for warning in w where !warnings.contains(warning) { warnings.append(warning) }
          for r in rows {
            if let merged = validator.accept(r) { try onRow(merged) }
            progress.tick()
          }
        }
      }
    }

    try csv.readChunks { chunk, firstRow, offset in
      if let v = validator.validator {
        batch.append((Array(chunk), firstRow, offset))
        if batch.count >= batchChunks { try flush(v) }
        return
      }
      // Before the header is known: parse sequentially.
      var scanner = CSVRecordScanner(
        delimiter: csv.dialect.delimiter, firstRow: firstRow, limits: csv.limits, fileName: csv.fileName,
        byteOffset: offset)
      let handle: (SheetRow) throws -> Void = { row in
        if let r = validator.feed(row) { try onRow(r) }
        progress.tick()
      }
      try scanner.consume(chunk, handle)
      try scanner.finish(handle)
      if scanner.decoding == .windows1252 { throw FallBack() }
      for warning in scanner.warnings where !warnings.contains(warning) { warnings.append(warning) }
    }
    if let v = validator.validator { try flush(v) }
    return warnings
  }
}

/// One result slot per chunk, written by exactly one worker each.
private final class ResultSlots: @unchecked Sendable {
  typealias Value = Result<([RowValidation], [ReaderWarning], Bool), any Error>
  private var slots: UnsafeMutableBufferPointer<Value?>

  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil)
  }

  deinit {
    slots.deinitialize()
    slots.deallocate()
  }

  func store(_ index: Int, _ value: Value) { slots[index] = value }

  func take(_ index: Int) -> Value {
    defer { slots[index] = nil }
    return slots[index] ?? .failure(ParallelCSVValidation.FallBack())
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
