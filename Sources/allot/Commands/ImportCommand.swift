import AllotCore
import AllotReaders
import AllotReports
import AllotStore
import ArgumentParser
import Foundation

/// `allot import FILE`: validates a file and stages it as a batch in the database.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Validate a file and stage its rows as a batch in the database; prints the batch id.",
    discussion: """
      Valid rows become pending, invalid rows are kept with their issues, and a row identical to one \
      already created by an earlier batch is skipped (pointing at that row) unless --allow-duplicates. \
      Re-importing a fixed sheet therefore sends only the rows not created yet. Exit status: 0 every row \
      staged as pending or skipped, 1 some rows are invalid, 2 the file or the options cannot be used.
      """
  )

  @Argument(help: "A .csv, .xlsx or SpreadsheetML 2003 .xml file.")
  var file: String

  @OptionGroup var input: InputOptions
  @OptionGroup var validation: ValidationOptionsGroup
  @OptionGroup var database: DatabaseOption

  @Flag(help: "Stage rows even when an identical row was already created by an earlier batch.")
  var allowDuplicates = false

  @Option(help: "Output: text or json.")
  var format: OutputFormat = .text

  func run() throws {
    let run = try ValidationRun.open(file: file, input: input, validation: validation)
    let sheet = run.sheet
    // The file's SHA-256 is computed while it is validated and staged, and recorded before the commit.
    let digest = try FileDigest(path: file)
    let db = try database.open()
    let batch = NewBatch(
      fileName: (file as NSString).lastPathComponent, fileSHA256: "", sheet: sheet.name,
      mappingJSON: run.mappingJSON, optionsJSON: optionsJSON())

    var summary: ValidationSummary?
    let staged: ImportSummary
    // ALLOT_TIMING=1 prints where an import spends its time (benchmarks).
    let timing = ProcessInfo.processInfo.environment["ALLOT_TIMING"] == "1"
    let clock = ContinuousClock()
    let started = clock.now
    var phases = ImportPipeline.Timing()
    let writeback = EarlyWriteback(path: db.path)
    defer { writeback?.waitForFlush() }
    do {
      staged = try db.importBatch(batch, allowDuplicates: allowDuplicates) { stager in
        // Validation, bodies and inserts overlap; rows are staged here in file order.
        let s = try ImportPipeline.stage(
          run, into: stager, showProgress: Console.stderrIsTerminal, writeback: writeback, timing: &phases)
        try stager.addIssues(s.issues.filter { $0.row == 0 }, sourceRow: 0)
        try stager.setFileSHA256(digest.value())
        summary = s
      }
    } catch let error as ReaderError {
      throw error.reportAndExit()
    } catch let error as StoreError {
      throw error.reportAndExit()
    }
    if timing {
      Console.error(
        "allot import: \(clock.now - started) in total; the staging thread waited \(phases.waiting) for rows "
          + "and spent \(phases.staging) inserting them (\(phases.stagingCPU) CPU).")
    }
    let fileIssues = summary?.issues.filter { $0.row == 0 } ?? []
    switch format {
    case .json:
      let warnings = phases.readerWarnings.map { w -> String in
        "{\"code\":\(JSONString.quoted(w.code)),\"message\":\(JSONString.quoted(w.message))}"
      }
      var line = "{\"batch\":\(staged.batchId),\"file\":\(JSONString.quoted(batch.fileName))"
      line +=
        ",\"sheet\":\(JSONString.quoted(sheet.name)),\"rows\":\(staged.rows),\"pending\":\(staged.pending)"
      line += ",\"invalid\":\(staged.invalid),\"skipped\":\(staged.skipped),\"issues\":\(staged.issues)"
      line += ",\"readerWarnings\":[" + warnings.joined(separator: ",") + "]}"
      Console.out(line)
    case .text:
      for warning in phases.readerWarnings {
        Console.error("allot: warning: \(warning.message)")
      }
      for issue in fileIssues {
        Console.error("allot: \(issue.severity == .error ? "error" : "warning"): \(issue.message)")
      }
      Console.out(
        "Batch \(staged.batchId) staged from \(batch.fileName) (sheet \"\(sheet.name)\"): \(staged.rows) row\(staged.rows == 1 ? "" : "s") — "
          + "\(staged.pending) pending, \(staged.invalid) invalid, \(staged.skipped) skipped (already created)."
      )
      if staged.invalid > 0 {
        Console.out(
          "See the invalid rows with `allot status --batch \(staged.batchId)` (or `allot validate \(file)`).")
      }
      if staged.pending > 0 {
        Console.out("Send the pending rows with `allot submit --batch \(staged.batchId)`.")
      }
    }
    if staged.invalid > 0 || fileIssues.contains(where: { $0.severity == .error }) {
      throw ExitStatus.attention
    }
  }

  /// The whole-file options, as recorded with the batch.
  private func optionsJSON() -> String {
    func field(_ k: String, _ v: String?) -> String {
      "\(JSONString.quoted(k)):\(v.map(JSONString.quoted) ?? "null")"
    }
    return "{"
      + [
        field("contractId", validation.contractId), field("tokenId", validation.tokenId),
        field("category", validation.category), field("releaseMode", validation.releaseMode),
        "\"headerRow\":\(validation.headerRow.map(String.init) ?? "null")",
        "\"maxDecimals\":\(validation.maxDecimals)", "\"allowDuplicates\":\(allowDuplicates)",
      ].joined(separator: ",") + "}"
  }
}
