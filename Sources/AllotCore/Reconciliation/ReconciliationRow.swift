/// A data row whose cells a reconciliation table reads as text: a `SheetRow`, or a CSV record's bytes
/// (`ByteRow`), read without building a `String` per cell first.
public protocol ReconciliationRow {
  var rowNumber: Int { get }
  /// The text of the cell in `column` without edge spaces, tabs, CR and LF; "" beyond the last cell.
  func trimmedText(_ column: Int) -> String
  /// `body` of the UTF-8 bytes of `trimmedText(column)`: a CSV record's own bytes, no `String` built.
  func withTrimmedBytes<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R
}

extension ReconciliationRow {
  public func withTrimmedBytes<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    TextScan.withBytes(trimmedText(column), body)
  }
}

extension SheetRow: ReconciliationRow {
  public func trimmedText(_ column: Int) -> String {
    column >= 0 && column < cells.count ? AsciiText.trimmed(cells[column].text) : ""
  }
}

extension ByteRow: ReconciliationRow {
  /// The bytes must be the cell's text as UTF-8 (`CSVRecord.bytesAreText`).
  public func trimmedText(_ column: Int) -> String {
    let b = trimmedBytes(column)
    return b.isEmpty ? "" : String(decoding: b, as: UTF8.self)
  }

  public func withTrimmedBytes<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    body(trimmedBytes(column))
  }

  @inline(__always)
  private func trimmedBytes(_ column: Int) -> UnsafeBufferPointer<UInt8> {
    let b = self[column]
    guard let base = b.baseAddress, !b.isEmpty else { return UnsafeBufferPointer(start: nil, count: 0) }
    @inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
    var start = 0
    var end = b.count
    while start < end && isSpace(base[start]) { start += 1 }
    while end > start && isSpace(base[end - 1]) { end -= 1 }
    return UnsafeBufferPointer(start: base + start, count: end - start)
  }
}
