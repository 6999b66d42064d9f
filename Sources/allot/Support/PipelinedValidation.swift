import AllotCore
import AllotReaders
import Dispatch

/// Validates the rows of any reader while the reader goes on reading: rows are gathered in batches and
/// each batch is validated on another thread while the next one is read (double buffering), then merged
/// in row order. Used for XLSX and SpreadsheetML, whose XML parse is sequential.
enum PipelinedValidation {
  static let batchRows = 4096

  static func run(
    reader: any SheetReader, sheet: SheetInfo, validator: inout FileValidator, progress: inout ProgressLine,
    onRow: (RowValidation) throws -> Void
  ) throws -> [ReaderWarning] {
    var batch: [SheetRow] = []
    batch.reserveCapacity(batchRows)
    var inFlight: (group: DispatchGroup, box: ValidatedBatch)?

    func drain() throws {
      guard let (group, box) = inFlight else { return }
      inFlight = nil
      group.wait()
      for r in box.results {
        if let merged = validator.accept(r) { try onRow(merged) }
        progress.tick()
      }
    }

    let warnings = try reader.readRows(of: sheet) { row in
      guard let v = validator.validator else {
        if let r = validator.feed(row) { try onRow(r) }
        progress.tick()
        return
      }
      if row.isBlank { return }
      batch.append(row)
      guard batch.count >= batchRows else { return }
      try drain()
      let box = ValidatedBatch()
      let group = DispatchGroup()
      let rows = batch
      DispatchQueue.global().async(group: group) {
        box.results = rows.map { v.validate(row: $0) }
      }
      inFlight = (group, box)
      batch.removeAll(keepingCapacity: true)
    }
    try drain()
    if let v = validator.validator {
      for row in batch {
        if let merged = validator.accept(v.validate(row: row)) { try onRow(merged) }
        progress.tick()
      }
    }
    return warnings
  }
}

/// The results of one batch, written by the worker before its group leaves and read after `wait()`.
private final class ValidatedBatch: @unchecked Sendable {
  var results: [RowValidation] = []
}
