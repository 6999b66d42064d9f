import AllotCore
import AllotReaders
import AllotReports
import ArgumentParser

/// `allot inspect FILE`: the cells exactly as allot reads them.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Show the cells of every sheet exactly as allot reads them (sheets, types, values)."
  )

  @Argument(help: "A .csv, .xlsx or SpreadsheetML 2003 .xml file.")
  var file: String

  @OptionGroup var input: InputOptions

  @Option(help: "Output: text (a readable grid) or json.")
  var format: OutputFormat = .text

  @Option(
    help: ArgumentHelp("Show at most this many rows per sheet in text output (0 = all).", valueName: "N"))
  var limit: Int = 0

  func run() throws {
    let reader: any SheetReader
    let sheets: [SheetInfo]
    do {
      reader = try Workbook.open(path: file, limits: input.limits)
      sheets = try reader.sheets()
    } catch {
      throw error.reportAndExit()
    }
    var chosen = sheets
    if let name = input.sheet {
      guard let s = sheets.first(where: { $0.name == name }) else {
        let names = sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
        Console.error("allot: \(file) has no sheet named \"\(name)\" (sheets: \(names)).")
        throw ExitStatus.badInput
      }
      chosen = [s]
    }
    var output = BufferedOutput()
    do {
      switch format {
      case .json: try writeJSON(reader: reader, sheets: chosen, to: &output)
      case .text: try writeText(reader: reader, sheets: chosen, to: &output)
      }
    } catch let error as ReaderError {
      output.flush()
      throw error.reportAndExit()
    }
    output.flush()
  }

  private func writeJSON(reader: any SheetReader, sheets: [SheetInfo], to out: inout BufferedOutput) throws {
    out.write("{\"format\":\(JSONString.quoted(reader.format.rawValue)),\"sheets\":[")
    for (i, sheet) in sheets.enumerated() {
      if i > 0 { out.write(",") }
      out.write("{\"name\":\(JSONString.quoted(sheet.name)),\"hidden\":\(sheet.hidden)")
      if sheet.visibility == .veryHidden { out.write(",\"veryHidden\":true") }
      out.write(",\"rows\":[")
      var first = true
      let warnings = try reader.readRows(of: sheet) { row in
        guard !row.isBlank else { return }
        out.write(first ? "\n" : ",\n")
        first = false
        out.write("{\"row\":\(row.rowNumber),\"values\":[")
        out.write(row.cells.map { JSONString.quoted($0.text) }.joined(separator: ","))
        out.write("]}")
      }
      out.write("]")
      if !warnings.isEmpty {
        out.write(",\"warnings\":[")
        out.write(
          warnings.map {
            "{\"code\":\(JSONString.quoted($0.code)),\"message\":\(JSONString.quoted($0.message))}"
          }.joined(separator: ","))
        out.write("]")
      }
      out.write("}")
    }
    out.write("]}\n")
  }

  private func writeText(reader: any SheetReader, sheets: [SheetInfo], to out: inout BufferedOutput) throws {
    out.write("\(file) (\(reader.format.rawValue)), \(sheets.count) sheet\(sheets.count == 1 ? "" : "s")\n")
    for sheet in sheets {
      let flag =
        sheet.visibility == .visible ? "" : " [\(sheet.visibility == .hidden ? "hidden" : "very hidden")]"
      out.write("\nSheet \"\(sheet.name)\"\(flag)\n")
      var shown = 0
      var total = 0
      let warnings = try reader.readRows(of: sheet) { row in
        guard !row.isBlank else { return }
        total += 1
        guard limit == 0 || shown < limit else { return }
        shown += 1
        var parts: [String] = []
        for (c, cell) in row.cells.enumerated() where !cell.isEmpty {
          let kind = cell.kind == .text ? "" : " (\(cell.kind.rawValue))"
          parts.append("\(ColumnName.letters(c))=\(Self.visible(cell.text))\(kind)")
        }
        out.write(String(row.rowNumber).leftPadded(to: 7) + "  " + parts.joined(separator: "  ") + "\n")
      }
      if shown < total { out.write("  … \(total - shown) more rows (use --limit 0 to show all)\n") }
      if total == 0 { out.write("  (no values)\n") }
      for w in warnings { out.write("  warning: \(w.message)\n") }
    }
  }

  /// Shows text so that edge spaces and line breaks are visible.
  static func visible(_ s: String) -> String {
    var needsQuotes = s.isEmpty || s.first == " " || s.last == " "
    var out = ""
    for ch in s {
      switch ch {
      case "\n": out += "\\n"; needsQuotes = true
      case "\r": out += "\\r"; needsQuotes = true
      case "\t": out += "\\t"; needsQuotes = true
      default: out.append(ch)
      }
    }
    return needsQuotes ? "\"\(out)\"" : out
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
