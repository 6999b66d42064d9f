/// The sentences that say which limit a file went over and which option raises it.
extension ReaderLimits {
  /// `1 MB`, `512 KB`, `1 GB`, `1500 bytes`.
  static func sizeText(_ bytes: Int64) -> String {
    if bytes >= 1 << 30 && bytes % (1 << 30) == 0 { return "\(bytes >> 30) GB" }
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
    if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KB" }
    return "\(bytes) bytes"
  }

  /// `over the 1 MB cell limit; raise it with --max-cell-kb if the file is genuine`
  static func cellSizeHint(_ maxCellBytes: Int) -> String {
    "over the \(sizeText(Int64(maxCellBytes))) cell limit; raise it with --max-cell-kb if the file is genuine"
  }

  /// `over the limit of 16384 cells per row; raise it with --max-cells-per-row if the file is genuine`
  static func cellsPerRowHint(_ maxCellsPerRow: Int) -> String {
    "over the limit of \(maxCellsPerRow) cells per row; raise it with --max-cells-per-row if the file is genuine"
  }

  var cellSizeHint: String { Self.cellSizeHint(maxCellBytes) }
  var cellsPerRowHint: String { Self.cellsPerRowHint(maxCellsPerRow) }

  var uncompressedSizeHint: String {
    "over the \(Self.sizeText(maxUncompressedBytes)) limit for one part; raise it with --max-uncompressed-mb if the file is genuine"
  }

  var compressionRatioHint: String {
    "over the compression-ratio limit of \(Int(maxCompressionRatio)), like a zip bomb; raise it with --max-compression-ratio if the file is genuine"
  }
}
