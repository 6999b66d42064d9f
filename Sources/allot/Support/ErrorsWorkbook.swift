import AllotCore
import AllotReaders

/// `validate --errors-out`: the rows of the sheet written back with their problems, the file finance
/// fixes and re-uploads. CSV gets an `errors` column; XLSX also fills each bad cell red with a comment.
enum ErrorsWorkbook {
  static func write(summary: ValidationSummary, run: ValidationRun, to path: String) throws(ReaderError) {
    // Issues by row; cell issues by (row, column index) through the header text.
    var byRow: [Int: [Issue]] = [:]
    for issue in summary.issues { byRow[issue.row, default: []].append(issue) }
    let headerRow = summary.headerRow
    // Header texts → column indexes, read from the header row itself as it passes.
    var headerIndex: [String: Int] = [:]
    let isXLSX = path.lowercased().hasSuffix(".xlsx")
    let csv: CSVWriter? = isXLSX ? nil : try CSVWriter(path: path, byteOrderMark: false)
    let xlsx: XLSXWriter? = isXLSX ? try XLSXWriter(path: path) : nil
    try xlsx?.startSheet(name: run.sheet.name, freezeHeader: false)
    var width = 0
    var nextRow = 1
    do {
      _ = try run.reader.readRows(of: run.sheet) { row in
        // Keep the row numbers: blank rows in the source stay blank in the copy.
        while nextRow < row.rowNumber {
          try csv?.writeRow([])
          try xlsx?.writeRow([])
          nextRow += 1
        }
        nextRow = row.rowNumber + 1
        if row.rowNumber == headerRow {
          width = row.cells.count
          for (i, cell) in row.cells.enumerated() where headerIndex[cell.text] == nil {
            headerIndex[cell.text] = i
          }
        }
        let issues = row.rowNumber == headerRow ? (byRow[0] ?? []) : (byRow[row.rowNumber] ?? [])
        let errorsText: String
        if row.rowNumber == headerRow {
          errorsText =
            issues.isEmpty ? "errors" : "errors — file: " + issues.map(\.message).joined(separator: " ")
        } else {
          errorsText = issues.map { i in
            (i.severity == .warning ? "warning: " : "") + (i.column.map { "\($0): " } ?? "") + i.message
          }.joined(separator: "\n")
        }
        let cellCount = max(width, row.cells.count)
        if let csv {
          var values = (0..<cellCount).map { row[$0].text }
          if let headerRow, row.rowNumber >= headerRow { values.append(errorsText) }
          try csv.writeRow(values)
        }
        if let xlsx {
          var comments: [Int: [Issue]] = [:]
          for issue in issues where issue.row != 0 {
            if let c = issue.column, let idx = headerIndex[c] { comments[idx, default: []].append(issue) }
          }
          var cells: [XLSXWriter.Cell] = []
          for c in 0..<cellCount {
            let source = row[c]
            let value: XLSXWriter.Cell.Value =
              source.isEmpty ? .empty : (source.kind == .number ? .number(source.text) : .text(source.text))
            let style: XLSXWriter.Style = row.rowNumber == headerRow ? .bold : .plain
            if let list = comments[c] {
              let hasError = list.contains { $0.severity == .error }
              cells.append(
                XLSXWriter.Cell(
                  value, style: hasError ? .error : style,
                  comment: list.map(\.message).joined(separator: "\n")))
            } else {
              cells.append(XLSXWriter.Cell(value, style: style))
            }
          }
          if let headerRow, row.rowNumber >= headerRow {
            let style: XLSXWriter.Style =
              row.rowNumber == headerRow
              ? .bold : (issues.contains { $0.severity == .error } ? .error : .wrap)
            cells.append(XLSXWriter.Cell(errorsText, style: errorsText.isEmpty ? .plain : style))
          }
          try xlsx.writeRow(cells)
        }
      }
    } catch let e as ReaderError {
      throw e
    } catch {
      throw ReaderError(
        code: "output.failed", file: FileName.base(path), message: "could not write \(path): \(error)")
    }
    try csv?.finish()
    try xlsx?.finish()
  }
}
