/// One cell as a reader sees it: its kind and the text a person sees in the spreadsheet.
///
/// `text` is the display text (`inspect` prints it): numbers from XLSX numeric cells rendered as Excel's
/// General format shows them (at most 15 significant digits, plain notation), dates as `YYYY-MM-DD` or
/// `YYYY-MM-DDThh:mm:ss`, booleans `TRUE`/`FALSE`, error cells as written (`#N/A`).
/// `raw` keeps what the file stored when it differs from `text` (an XLSX numeric cell's `<v>` such as
/// `0.30000000000000004`, or the serial number behind a date cell), so validation can warn that the
/// display is not exactly what the file holds.
public struct Cell: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, Codable {
    case empty, text, number, boolean, date, error
  }

  public var kind: Kind
  public var text: String
  public var raw: String?

  public init(kind: Kind, text: String, raw: String? = nil) {
    self.kind = kind
    self.text = text
    self.raw = raw
  }

  public static let empty = Cell(kind: .empty, text: "")
  public static func text(_ s: String) -> Cell { Cell(kind: .text, text: s) }
  public static func number(_ display: String, raw: String? = nil) -> Cell {
    Cell(kind: .number, text: display, raw: raw == display ? nil : raw)
  }

  public var isEmpty: Bool { kind == .empty || (kind == .text && text.isEmpty) }
}
