import AllotCore
import AllotReaders
import AllotReports

/// The text and JSON forms of a validation summary.
enum ValidationReport {
  /// `{"file","format","sheet","headerRow","rows","valid","invalid","errors","warnings","issues":[…]}`.
  static func writeJSON(
    _ s: ValidationSummary, run: ValidationRun, warnings: [ReaderWarning], errorsOut: String?,
    to out: inout BufferedOutput
  ) {
    out.write(
      "{\"file\":\(JSONString.quoted(FileName.base(run.file))),\"path\":\(JSONString.quoted(run.file))")
    out.write(
      ",\"format\":\(JSONString.quoted(run.reader.format.rawValue)),\"sheet\":\(JSONString.quoted(run.sheet.name))"
    )
    out.write(",\"headerRow\":\(s.headerRow.map(String.init) ?? "null")")
    out.write(",\"rows\":\(s.rows),\"valid\":\(s.valid),\"invalid\":\(s.invalid)")
    out.write(",\"errors\":\(s.errorCount),\"warnings\":\(s.warningCount)")
    if let errorsOut { out.write(",\"errorsOut\":\(JSONString.quoted(errorsOut))") }
    out.write(",\"readerWarnings\":[")
    out.write(
      warnings.map { "{\"code\":\(JSONString.quoted($0.code)),\"message\":\(JSONString.quoted($0.message))}" }
        .joined(separator: ","))
    out.write("],\"issues\":[")
    // Written in batches, each cut between the cores: the issues are written once the run is over, when
    // the other cores have nothing left to do (a million-row file can have a hundred thousand issues).
    // A batch at a time keeps the memory for the text small.
    let issues = s.issues
    let batch = 16_384
    for start in stride(from: 0, to: issues.count, by: batch) {
      let range = start..<min(issues.count, start + batch)
      let parts = issuesLoop.map(range.count) { piece -> [UInt8] in
        var bytes: [UInt8] = []
        bytes.reserveCapacity(piece.count * 300)
        for i in piece {
          let index = range.lowerBound + i
          bytes.append(contentsOf: (index == 0 ? "\n" : ",\n").utf8)
          appendJSON(issues[index], to: &bytes)
        }
        return bytes
      }
      for part in parts { out.write { $0.append(contentsOf: part) } }
    }
    out.write("]}\n")
  }

  /// Pieces of at least 2,048 issues (a thread's start costs about as much as writing a few hundred).
  static let issuesLoop = ParallelLoop.everyCore(minimumPiece: 2048)

  /// `json(_:)`'s text appended as bytes (a million-row file can have a hundred thousand issues).
  static func appendJSON(_ i: Issue, to out: inout [UInt8]) {
    func raw(_ s: StaticString) {
      out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
    func text(_ s: String?) {
      if let s { JSONString.append(s, to: &out) } else { raw("null") }
    }
    raw("{\"row\":")
    out.append(contentsOf: String(i.row).utf8)
    raw(",\"column\":")
    text(i.column)
    raw(",\"field\":")
    text(i.field)
    raw(",\"severity\":")
    text(i.severity.rawValue)
    raw(",\"code\":")
    text(i.code)
    raw(",\"message\":")
    text(i.message)
    raw(",\"value\":")
    text(i.value)
    raw("}")
  }

  /// One summary line, then the issues grouped by row in plain words.
  static func writeText(
    _ s: ValidationSummary, run: ValidationRun, warnings: [ReaderWarning], to out: inout BufferedOutput
  ) {
    let name = FileName.base(run.file)
    var line =
      "\(name), sheet \"\(run.sheet.name)\": \(s.rows) row\(s.rows == 1 ? "" : "s"), \(s.valid) valid, \(s.invalid) invalid"
    line +=
      " (\(s.errorCount) error\(s.errorCount == 1 ? "" : "s"), \(s.warningCount) warning\(s.warningCount == 1 ? "" : "s"))"
    out.write(line + "\n")
    for w in warnings { out.write("warning: \(w.message)\n") }
    var currentRow = -1
    for issue in s.issues {
      if issue.row != currentRow {
        currentRow = issue.row
        out.write(issue.row == 0 ? "\nWhole file:\n" : "\nRow \(issue.row):\n")
      }
      var where_ = ""
      if let column = issue.column {
        where_ = issue.field == "row" || issue.row == 0 ? "\(column): " : "\(column) (\(issue.field)): "
      }
      let tag = issue.severity == .error ? "error  " : "warning"
      out.write("  \(tag)  \(where_)\(issue.message)  [\(issue.code)]\n")
    }
    if s.issues.isEmpty && s.rows > 0 {
      out.write("Every row is ready for Magna.\n")
    }
  }
}

/// File names for messages.
enum FileName {
  static func base(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }
}
