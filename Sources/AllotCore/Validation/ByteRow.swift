/// A data row as UTF-8 bytes, one buffer per cell (an empty buffer is an empty cell), for validation
/// without building a `String` per cell. The buffers are only valid while the reader hands the row
/// over; `rowNumber` is the row the user sees.
public struct ByteRow {
  public var rowNumber: Int
  public let cells: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>

  public init(rowNumber: Int, cells: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) {
    self.rowNumber = rowNumber
    self.cells = cells
  }

  /// The bytes of a cell; empty beyond the last cell.
  @inline(__always)
  public subscript(column: Int) -> UnsafeBufferPointer<UInt8> {
    column >= 0 && column < cells.count ? cells[column] : UnsafeBufferPointer(start: nil, count: 0)
  }
}
