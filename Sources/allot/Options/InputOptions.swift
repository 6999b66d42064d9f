import AllotReaders
import ArgumentParser

/// Options that say how to read an input file.
struct InputOptions: ParsableArguments {
  @Option(
    help: "The sheet to read (default: the first visible sheet). Hidden sheets are read only when named.")
  var sheet: String?

  @Option(help: ArgumentHelp("Largest uncompressed size of one XLSX part, in MB.", valueName: "MB"))
  var maxUncompressedMb: Int = 1024

  @Option(
    help: ArgumentHelp("Largest compression ratio of one XLSX part (zip-bomb guard).", valueName: "RATIO"))
  var maxCompressionRatio: Double = 200

  @Option(help: ArgumentHelp("Most cells in one row.", valueName: "N"))
  var maxCellsPerRow: Int = 16_384

  @Option(help: ArgumentHelp("Largest cell, in KB.", valueName: "KB"))
  var maxCellKb: Int = 1024

  var limits: ReaderLimits {
    var l = ReaderLimits()
    l.maxUncompressedBytes = Int64(max(1, maxUncompressedMb)) << 20
    l.maxCompressionRatio = max(1, maxCompressionRatio)
    l.maxCellsPerRow = max(1, maxCellsPerRow)
    l.maxCellBytes = max(1, maxCellKb) << 10
    return l
  }
}
