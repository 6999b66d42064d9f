import AllotCore

/// Why a file could not be read. One sentence a finance user can act on, with where it happened.
///
/// `code` is stable and dotted (`file.unsupported_format`, `csv.unterminated_quote`, `xlsx.encrypted`,
/// `zip.too_large`, ...) and listed in the README.
public struct ReaderError: Error, Sendable, Hashable, CustomStringConvertible {
  public var code: String
  public var file: String
  public var sheet: String?
  public var row: Int?
  public var column: String?
  public var message: String

  public init(
    code: String, file: String, sheet: String? = nil, row: Int? = nil, column: String? = nil,
    message: String
  ) {
    self.code = code
    self.file = file
    self.sheet = sheet
    self.row = row
    self.column = column
    self.message = message
  }

  /// `grants.xlsx, sheet "Grants", row 5, column C: <message>`
  public var description: String {
    if sheet == nil && row == nil && column == nil && message.hasPrefix(file) { return message }
    var place = file
    if let sheet { place += ", sheet \"\(sheet)\"" }
    if let row { place += ", row \(row)" }
    if let column { place += ", column \(column)" }
    return "\(place): \(message)"
  }
}
