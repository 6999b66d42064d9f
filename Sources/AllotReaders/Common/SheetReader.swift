import AllotCore

/// A reader of one workbook file. Readers stream: rows are handed to `body` one at a time and never
/// held together, and a file is never loaded whole as one `String`.
public protocol SheetReader {
  /// The format of the file.
  var format: WorkbookFormat { get }
  /// Every sheet of the file in workbook order, hidden ones flagged. A CSV file has one sheet named
  /// after the file.
  func sheets() throws(ReaderError) -> [SheetInfo]
  /// Streams the rows of `sheet` that hold at least one value, in row order. Returns the warnings met
  /// on the way (for example a CSV decoded as Windows-1252). Errors thrown by `body` propagate unchanged.
  @discardableResult
  func readRows(of sheet: SheetInfo, _ body: (SheetRow) throws -> Void) throws -> [ReaderWarning]
}

/// A non-blocking remark about how a file was read.
public struct ReaderWarning: Sendable, Hashable, Codable {
  public var code: String
  public var message: String
  public init(code: String, message: String) {
    self.code = code
    self.message = message
  }
}

extension SheetReader {
  /// How numeric date serials in this file are to be read. CSV files have no date system: 1900.
  public var dateSystem: DateSystem { .excel1900 }
}
