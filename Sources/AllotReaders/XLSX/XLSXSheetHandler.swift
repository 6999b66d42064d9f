import AllotCore

/// SAX handler of a worksheet part: turns `<row>`/`<c>` events into `SheetRow`s, one at a time, kept
/// in `pending` until the reader hands them on (after each parsed chunk).
///
/// The shared-strings table may still be loading on another thread when the sheet's rows are parsed: a
/// cell whose string is not loaded yet is kept as a placeholder and listed in `unresolved`, and
/// `resolve(_:)` fills the placeholders the strings loaded since resolve. Rows are handed on in order,
/// once they hold no placeholder (`readyRows`, `takeRows(_:)`).
final class XLSXSheetHandler: XMLEventHandler {
  private enum CellType {
    case number, sharedString, inlineString, formulaString, boolean, error, isoDate
  }

  @exclusivity(unchecked) var pending: [SheetRow] = []
  @exclusivity(unchecked) private(set) var failure: ReaderError?
  @exclusivity(unchecked) private(set) var failed = false

  /// The shared strings loaded so far.
  private(set) var table: SharedStringTable
  /// Placeholder cells waiting for their string: row (counted from the sheet's first parsed row, so
  /// `pending[row - taken]`), column, shared-string index.
  @exclusivity(unchecked) private(set) var unresolved: [(row: Int, column: Int, index: Int)] = []
  /// Rows removed from the front of `pending` so far (`takeRows`).
  @exclusivity(unchecked) private var taken = 0
  @exclusivity(unchecked) private var rowFixups: [(column: Int, index: Int)] = []
  private let dateStyles: [Bool]
  private let dateSystem: DateSystem
  private let file: String
  private let sheet: String
  private let maxCellsPerRow: Int
  private let maxCellBytes: Int

  @exclusivity(unchecked) private var inSheetData = false
  @exclusivity(unchecked) private var inRow = false
  @exclusivity(unchecked) private var rowNumber = 0
  @exclusivity(unchecked) private var rowNumberKnown = false
  @exclusivity(unchecked) private var lastRowNumber = 0
  @exclusivity(unchecked) private var cells: [Cell] = []
  @exclusivity(unchecked) private var nextColumn = 0

  @exclusivity(unchecked) private var inCell = false
  @exclusivity(unchecked) private var column = 0
  @exclusivity(unchecked) private var cellType = CellType.number
  @exclusivity(unchecked) private var styleIndex = 0
  @exclusivity(unchecked) private var inV = false
  @exclusivity(unchecked) private var hasV = false
  @exclusivity(unchecked) private var inIs = false
  @exclusivity(unchecked) private var hasIs = false
  @exclusivity(unchecked) private var inT = false
  @exclusivity(unchecked) private var preserve = false
  @exclusivity(unchecked) private var phoneticDepth = 0
  @exclusivity(unchecked) private var tStart = 0
  private let vBuffer = ByteBuffer()
  private let tBuffer = ByteBuffer()

  init(
    sharedStrings: SharedStringTable, dateStyles: [Bool], dateSystem: DateSystem, file: String,
    sheet: String, limits: ReaderLimits
  ) {
    self.table = sharedStrings
    self.dateStyles = dateStyles
    self.dateSystem = dateSystem
    self.file = file
    self.sheet = sheet
    self.maxCellsPerRow = limits.maxCellsPerRow
    self.maxCellBytes = limits.maxCellBytes
  }

  // MARK: - Events

  func startElement(_ name: XMLName, _ attributes: XMLAttributes) {
    let l = name.local
    if inCell {
      switch (l[0], l[1]) {
      case (UInt8(ascii: "v"), 0):
        inV = true
        hasV = true
        vBuffer.removeAll()
      case (UInt8(ascii: "i"), UInt8(ascii: "s")) where l[2] == 0:
        inIs = true
        hasIs = true
      case (UInt8(ascii: "t"), 0) where inIs && phoneticDepth == 0:
        inT = true
        tStart = tBuffer.count
        preserve = attributes.value("space").map { $0.elementsEqual("preserve".utf8) } ?? false
      default:
        if inIs && name.is("rPh") { phoneticDepth += 1 }
      }
      return
    }
    if inRow && l[0] == UInt8(ascii: "c") && l[1] == 0 {
      startCell(attributes)
    } else if inSheetData && name.is("row") {
      startRow(attributes)
    } else if name.is("sheetData") {
      inSheetData = true
    }
  }

  func endElement(_ name: XMLName) {
    let l = name.local
    if inCell {
      switch (l[0], l[1]) {
      case (UInt8(ascii: "v"), 0):
        inV = false
      case (UInt8(ascii: "t"), 0) where inT:
        inT = false
        if !preserve { tBuffer.trimEdges(from: tStart) }
      case (UInt8(ascii: "i"), UInt8(ascii: "s")) where l[2] == 0:
        inIs = false
      case (UInt8(ascii: "c"), 0):
        endCell()
      default:
        if inIs && name.is("rPh") { phoneticDepth = max(0, phoneticDepth - 1) }
      }
      return
    }
    if inRow && name.is("row") {
      endRow()
    } else if name.is("sheetData") {
      inSheetData = false
    }
  }

  func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
    if inV {
      vBuffer.append(bytes)
      if vBuffer.count > maxCellBytes { tooLarge() }
    } else if inT && phoneticDepth == 0 {
      tBuffer.append(bytes)
      if tBuffer.count > maxCellBytes { tooLarge() }
    }
  }

  // MARK: - Rows

  private func startRow(_ attributes: XMLAttributes) {
    inRow = true
    cells.removeAll(keepingCapacity: true)
    rowFixups.removeAll(keepingCapacity: true)
    nextColumn = 0
    if let r = attributes.value("r").flatMap({ XLSXText.integer($0) }), r > 0 {
      rowNumber = r
      rowNumberKnown = true
    } else {
      rowNumber = lastRowNumber + 1
      rowNumberKnown = false
    }
  }

  private func endRow() {
    inRow = false
    lastRowNumber = rowNumber
    if !rowFixups.isEmpty, table.count > 0 || table.complete {
      // Strings loaded while this row was being parsed.
      var waiting = 0
      for fixup in rowFixups {
        if fixup.index < table.count {
          cells[fixup.column] = .text(table[fixup.index])
        } else if table.complete {
          fail(badSharedString(String(fixup.index), row: rowNumber, column: fixup.column))
          return
        } else {
          rowFixups[waiting] = fixup
          waiting += 1
        }
      }
      rowFixups.removeLast(rowFixups.count - waiting)
    }
    while let last = cells.last, last.isEmpty { cells.removeLast() }
    if !cells.isEmpty {
      for fixup in rowFixups where fixup.column < cells.count {
        unresolved.append((taken + pending.count, fixup.column, fixup.index))
      }
      pending.append(SheetRow(rowNumber: rowNumber, cells: cells))
    }
    rowFixups.removeAll(keepingCapacity: true)
  }

  /// Fills the placeholders of `pending` whose strings `table` holds (and resolves later cells directly);
  /// trailing empty cells are trimmed as when the strings were there from the start. Once the table is
  /// complete, an index beyond it fails with `xlsx.bad_shared_string` (the first such cell in order).
  func resolve(_ table: SharedStringTable) {
    self.table = table
    guard !unresolved.isEmpty else { return }
    var waiting = 0
    var lastRow = -1
    for fixup in unresolved {
      let row = fixup.row - taken
      if fixup.index < table.count {
        pending[row].cells[fixup.column] = .text(table[fixup.index])
        if row != lastRow {
          if lastRow >= 0 { trim(lastRow) }
          lastRow = row
        }
      } else if table.complete {
        fail(badSharedString(String(fixup.index), row: pending[row].rowNumber, column: fixup.column))
        return
      } else {
        unresolved[waiting] = fixup
        waiting += 1
      }
    }
    if lastRow >= 0 { trim(lastRow) }
    unresolved.removeLast(unresolved.count - waiting)
  }

  /// How many rows at the start of `pending` hold no placeholder.
  var readyRows: Int { unresolved.first.map { $0.row - taken } ?? pending.count }

  /// Removes the first `count` rows of `pending` (which must be ready) and returns those that are not
  /// blank (a row whose strings all turned out empty).
  func takeRows(_ count: Int) -> [SheetRow] {
    guard count > 0 else { return [] }
    let rows = pending[..<count].filter { !$0.cells.isEmpty }
    pending.removeFirst(count)
    taken += count
    return rows
  }

  /// Trims the trailing empty cells of `pending[index]`.
  private func trim(_ index: Int) {
    while let last = pending[index].cells.last, last.isEmpty { pending[index].cells.removeLast() }
  }

  // MARK: - Cells

  private func startCell(_ attributes: XMLAttributes) {
    inCell = true
    hasV = false
    hasIs = false
    phoneticDepth = 0
    tBuffer.removeAll()
    vBuffer.removeAll()
    column = nextColumn
    cellType = .number
    styleIndex = 0
    guard let base = attributes.base else { return }
    for i in 0..<attributes.count {
      let q = base + i * 5
      guard let local = q[0], let start = q[3], let end = q[4] else { continue }
      let value = UnsafeBufferPointer(start: start, count: end - start)
      guard local[1] == 0 else { continue }
      switch local[0] {
      case UInt8(ascii: "r"):
        if let ref = XLSXText.cellReference(value) {
          column = ref.column
          if !rowNumberKnown, let row = ref.row, row > 0, cells.isEmpty {
            rowNumber = row
            rowNumberKnown = true
          }
        }
      case UInt8(ascii: "t"):
        cellType = Self.type(value)
      case UInt8(ascii: "s"):
        styleIndex = XLSXText.integer(value) ?? 0
      default:
        break
      }
    }
    if column >= maxCellsPerRow {
      fail(
        ReaderError(
          code: "row.too_many_cells", file: file, sheet: sheet, row: rowNumber,
          column: ColumnName.letters(min(column, 1 << 20)),
          message:
            "the row has more cells than allot reads, \(ReaderLimits.cellsPerRowHint(maxCellsPerRow)); the file was not read"
        ))
    }
  }

  private static func type(_ v: UnsafeBufferPointer<UInt8>) -> CellType {
    guard let first = v.first else { return .number }
    switch (first, v.count) {
    case (UInt8(ascii: "s"), 1): return .sharedString
    case (UInt8(ascii: "n"), 1): return .number
    case (UInt8(ascii: "b"), 1): return .boolean
    case (UInt8(ascii: "e"), 1): return .error
    case (UInt8(ascii: "d"), 1): return .isoDate
    case (UInt8(ascii: "s"), 3): return .formulaString
    case (UInt8(ascii: "i"), _): return .inlineString
    default: return .formulaString
    }
  }

  private func endCell() {
    inCell = false
    inV = false
    inIs = false
    inT = false
    nextColumn = column + 1
    guard !failed else { return }
    let waiting = rowFixups.count
    let cell = makeCell()
    if cell.kind == .empty { return }
    if column < cells.count {
      // A later cell with the same reference replaces the earlier one, placeholder or not.
      if rowFixups.contains(where: { $0.column == column }) {
        let new = rowFixups.count > waiting ? rowFixups.removeLast() : nil
        rowFixups.removeAll { $0.column == column }
        if let new { rowFixups.append(new) }
      }
      cells[column] = cell
    } else {
      while cells.count < column { cells.append(.empty) }
      cells.append(cell)
    }
  }

  private func makeCell() -> Cell {
    if cellType == .inlineString || (hasIs && !hasV) {
      if hasIs { return .text(XLSXText.decode(tBuffer.bytes)) }
      return hasV ? .text(XLSXText.decode(vBuffer.bytes)) : .empty
    }
    guard hasV, !vBuffer.isEmpty else { return .empty }
    switch cellType {
    case .sharedString:
      guard let index = XLSXText.integer(vBuffer.bytes) else {
        fail(badSharedString(String(decoding: vBuffer.bytes, as: UTF8.self), row: rowNumber, column: column))
        return .empty
      }
      if index < table.count { return .text(table[index]) }
      guard table.complete else {
        rowFixups.append((column, index))
        return .sharedStringPlaceholder
      }
      fail(badSharedString(String(decoding: vBuffer.bytes, as: UTF8.self), row: rowNumber, column: column))
      return .empty
    case .formulaString, .inlineString:
      return .text(XLSXText.decode(vBuffer.bytes))
    case .boolean:
      let raw = trimmedString(vBuffer)
      switch raw {
      case "1", "true", "TRUE": return Cell(kind: .boolean, text: "TRUE")
      case "0", "false", "FALSE": return Cell(kind: .boolean, text: "FALSE")
      default: return .text(raw)
      }
    case .error:
      return Cell(kind: .error, text: trimmedString(vBuffer))
    case .isoDate:
      let raw = trimmedString(vBuffer)
      if let parts = XLSXText.isoDate(raw) {
        return Cell(kind: .date, text: parts.isoText, raw: raw == parts.isoText ? nil : raw)
      }
      return .text(raw)
    case .number:
      let raw = trimmedString(vBuffer)
      if styleIndex < dateStyles.count, dateStyles[styleIndex], let serial = Double(raw),
        let parts = ExcelDate.components(serial: serial, system: dateSystem)
      {
        return Cell(kind: .date, text: parts.isoText, raw: raw)
      }
      guard let display = ExcelGeneralFormat.display(raw) else { return .text(raw) }
      return .number(display, raw: raw)
    }
  }

  private func trimmedString(_ buffer: ByteBuffer) -> String {
    var lo = 0
    var hi = buffer.count
    while lo < hi && XLSXText.isXMLWhitespace(buffer[lo]) { lo += 1 }
    while hi > lo && XLSXText.isXMLWhitespace(buffer[hi - 1]) { hi -= 1 }
    return String(decoding: UnsafeBufferPointer(rebasing: buffer.bytes[lo..<hi]), as: UTF8.self)
  }

  private func badSharedString(_ reference: String, row: Int, column: Int) -> ReaderError {
    ReaderError(
      code: "xlsx.bad_shared_string", file: file, sheet: sheet, row: row, column: ColumnName.letters(column),
      message:
        "the cell refers to shared string \(reference), which the workbook does not have; open the file in Excel and save it again"
    )
  }

  private func fail(_ error: ReaderError) {
    if !failed {
      failure = error
      failed = true
    }
  }

  private func tooLarge() {
    fail(
      ReaderError(
        code: "cell.too_large", file: file, sheet: sheet, row: rowNumber, column: ColumnName.letters(column),
        message: "the cell is \(ReaderLimits.cellSizeHint(maxCellBytes)); the file was not read"))
  }
}

extension Cell {
  /// Stands for a shared-string cell until the table is loaded (not empty, so never trimmed).
  fileprivate static let sharedStringPlaceholder = Cell(kind: .text, text: "\u{FFFF}")
}
