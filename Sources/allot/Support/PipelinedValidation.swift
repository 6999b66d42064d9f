import AllotCore
import AllotReaders
import Dispatch

/// Validates the rows of any reader while the reader goes on reading: rows are gathered in batches and
/// each batch is validated and merged (duplicates, totals, `onRow`) on another thread while the next one
/// is read. Used for XLSX and SpreadsheetML, whose XML parse is sequential and the critical path: the
/// reading thread only reads.
///
/// One batch at a time is out, so `validator`, `progress` and `onRow` are used by one thread at a time,
/// in row order: the reading thread hands a batch over only after the previous one is done
/// (`DispatchGroup.wait`, which orders the memory accesses), and never touches them while a batch is out.
enum PipelinedValidation {
  static let batchRows = 4096

  static func run(
    reader: any SheetReader, sheet: SheetInfo, validator: inout FileValidator, progress: inout ProgressLine,
    onRow: (RowValidation) throws -> Void
  ) throws -> [ReaderWarning] {
    try withoutActuallyEscaping(onRow) { onRow in
      try withUnsafeMutablePointer(to: &validator) { validator in
        try withUnsafeMutablePointer(to: &progress) { progress in
          let merge = MergeState(validator: validator, progress: progress, onRow: onRow)
          // Every batch has ended when `run` returns or throws; the closure must not outlive this scope
          // (the state object may, until the dispatch queue lets go of its last block).
          defer { merge.onRow = nil }
          return try run(reader: reader, sheet: sheet, merge: merge)
        }
      }
    }
  }

  private static func run(reader: any SheetReader, sheet: SheetInfo, merge: MergeState) throws
    -> [ReaderWarning]
  {
    var batch: [SheetRow] = []
    batch.reserveCapacity(batchRows)
    var inFlight: DispatchGroup?
    /// Set once the header is found; from then on the reading thread reads only this copy.
    var rowValidator: AllocationValidator?

    func waitForBatch() throws {
      guard let group = inFlight else { return }
      inFlight = nil
      group.wait()
      if let error = merge.error {
        merge.error = nil
        throw error
      }
    }

    let warnings: [ReaderWarning]
    do {
      warnings = try readRows()
    } catch {
      // A batch still out uses the caller's validator and closure: it ends before they go away.
      inFlight?.wait()
      throw error
    }
    try waitForBatch()
    if let v = rowValidator {
      merge.validateAndMerge(batch, with: v)
      if let error = merge.error { throw error }
    }
    return warnings

    func readRows() throws -> [ReaderWarning] {
      try reader.readRows(of: sheet) { row in
        guard let v = rowValidator else {
          // Before the header: no batch is out, the validator is ours.
          if let r = merge.validator.pointee.feed(row) { try merge.onRow?(r) }
          merge.progress.pointee.tick()
          rowValidator = merge.validator.pointee.validator
          return
        }
        if row.isBlank { return }
        batch.append(row)
        guard batch.count >= batchRows else { return }
        try waitForBatch()
        let rows = batch
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { merge.validateAndMerge(rows, with: v) }
        inFlight = group
        batch.removeAll(keepingCapacity: true)
      }
    }
  }
}

/// What a batch's thread needs to merge its rows, and the first error of `onRow`. Used by one thread at a
/// time (see ``PipelinedValidation``).
private final class MergeState: @unchecked Sendable {
  let validator: UnsafeMutablePointer<FileValidator>
  let progress: UnsafeMutablePointer<ProgressLine>
  var onRow: ((RowValidation) throws -> Void)?
  var error: (any Error)?

  init(
    validator: UnsafeMutablePointer<FileValidator>, progress: UnsafeMutablePointer<ProgressLine>,
    onRow: @escaping (RowValidation) throws -> Void
  ) {
    self.validator = validator
    self.progress = progress
    self.onRow = onRow
  }

  func validateAndMerge(_ rows: [SheetRow], with v: AllocationValidator) {
    guard error == nil else { return }
    do {
      for row in rows {
        if let merged = validator.pointee.accept(v.validate(row: row)) { try onRow?(merged) }
        progress.pointee.tick()
      }
    } catch {
      self.error = error
    }
  }
}
