import AllotCore
import AllotReaders
import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

/// `allot validate FILE`: read and validate; no network, no database.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check every row of a sheet against Magna's create-allocation rules.",
    discussion: """
      Reports every problem at once, by row, column and reason. Exit status: 0 when no row has an error
      (warnings allowed), 1 when any row has one, 2 when the file cannot be read.
      """
  )

  @Argument(help: "A .csv, .xlsx or SpreadsheetML 2003 .xml file.")
  var file: String

  @OptionGroup var input: InputOptions
  @OptionGroup var validation: ValidationOptionsGroup

  @Option(help: "Output: text (for people) or json (a stable schema for scripts).")
  var format: OutputFormat = .text

  @Option(
    help: ArgumentHelp(
      "Write the rows back with their problems: x.csv adds an errors column; x.xlsx also fills every bad cell red and comments it.",
      valueName: "FILE"))
  var errorsOut: String?

  func run() throws {
    Self.mapLargeBlocks()
    let run = try ValidationRun.open(file: file, input: input, validation: validation)
    let (summary, warnings) = try run.validate(showProgress: Console.stderrIsTerminal, requests: false)
    KeptUntilExit.keep(summary)
    var out = BufferedOutput()
    switch format {
    case .json:
      ValidationReport.writeJSON(summary, run: run, warnings: warnings, errorsOut: errorsOut, to: &out)
    case .text: ValidationReport.writeText(summary, run: run, warnings: warnings, to: &out)
    }
    out.flush()
    if let errorsOut {
      do {
        try ErrorsWorkbook.write(summary: summary, run: run, to: errorsOut)
      } catch {
        throw error.reportAndExit()
      }
      if format == .text { Console.error("Wrote \(errorsOut): the rows with their problems marked.") }
    }
    if summary.hasErrors { throw ExitStatus.attention }
  }

  /// Large blocks (the duplicate table, the list of issues as it grows, chunk buffers) get their own
  /// mappings, returned to the system when freed, instead of glibc's sliding threshold keeping freed
  /// blocks of up to 32 MiB in the heap: a lower peak memory on large files.
  static func mapLargeBlocks() {
    MemoryTuning.mapBlocks(largerThan: 256 << 10)
  }
}
