/// A row of a sheet: the 1-based row number the user sees and the cells from column A on.
/// Trailing empty cells may be omitted; a missing index means an empty cell.
public struct SheetRow: Sendable, Hashable {
  public var rowNumber: Int
  public var cells: [Cell]

  public init(rowNumber: Int, cells: [Cell]) {
    self.rowNumber = rowNumber
    self.cells = cells
  }

  public subscript(column: Int) -> Cell {
    column < cells.count ? cells[column] : .empty
  }

  /// True when every cell is empty (blank rows are skipped by validation).
  public var isBlank: Bool { cells.allSatisfy(\.isEmpty) }
}
