/// The file formats allot reads.
public enum WorkbookFormat: String, Sendable, Codable {
  case csv, xlsx, xml2003 = "spreadsheetml"
}

/// A sheet of a workbook as listed by a reader (a CSV file has one sheet named after the file).
public struct SheetInfo: Sendable, Hashable, Codable {
  public enum Visibility: String, Sendable, Hashable, Codable { case visible, hidden, veryHidden }
  public var name: String
  public var visibility: Visibility
  public var hidden: Bool { visibility != .visible }

  public init(name: String, visibility: Visibility = .visible) {
    self.name = name
    self.visibility = visibility
  }
}
