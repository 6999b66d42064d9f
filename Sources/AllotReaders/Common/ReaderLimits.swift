/// Limits that keep hostile files from exhausting time or memory. Adjustable from the command line.
public struct ReaderLimits: Sendable, Hashable {
  /// Largest uncompressed size of one zip entry that is read (XLSX).
  public var maxUncompressedBytes: Int64 = 1 << 30
  /// Largest ratio of uncompressed to compressed size of a zip entry (zip bombs).
  public var maxCompressionRatio: Double = 200
  /// Most cells in one row.
  public var maxCellsPerRow: Int = 16_384
  /// Most bytes in one cell.
  public var maxCellBytes: Int = 1 << 20
  /// Deepest XML element nesting accepted.
  public var maxXMLDepth: Int = 256
  /// Worksheets and shared strings are read with allot's own XML scanner (`XMLPartScanner`), several
  /// times faster than libxml2; set to true to read every part with libxml2 (used by tests and the
  /// fuzzer to compare the two).
  public var libxml2Only = false

  public init() {}
  public static let `default` = ReaderLimits()
}
