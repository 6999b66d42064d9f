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
    for (i, issue) in s.issues.enumerated() {
      out.write(i == 0 ? "\n" : ",\n")
      out.write(json(issue))
    }
    out.write("]}\n")
  }

  static func json(_ i: Issue) -> String {
    "{\"row\":\(i.row),\"column\":\(i.column.map(quoted) ?? "null"),\"field\":\(quoted(i.field)),\"severity\":\(quoted(i.severity.rawValue)),\"code\":\(quoted(i.code)),\"message\":\(quoted(i.message)),\"value\":\(i.value.map(quoted) ?? "null")}"
  }

  /// `JSONString.quoted`, without going through each character when nothing needs escaping.
  static func quoted(_ s: String) -> String {
    var text = s
    let plain = text.withUTF8 { bytes in
      for u in bytes where u < 0x20 || u > 0x7E || u == 0x22 || u == 0x5C || u == 0x3C { return false }
      return true
    }
    return plain ? "\"" + s + "\"" : JSONString.quoted(s)
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
