import AllotCore
import AllotReaders
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
    let reader: any SheetReader
    let sheet: SheetInfo
    do {
      reader = try Workbook.open(path: file, limits: input.limits)
      let sheets = try reader.sheets()
      if let name = input.sheet {
        guard let s = sheets.first(where: { $0.name == name }) else {
          let names = sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
          Console.error("allot: \(file) has no sheet named \"\(name)\" (sheets: \(names)).")
          throw ExitStatus.badInput
        }
        sheet = s
      } else {
        guard let s = sheets.first(where: { !$0.hidden }) ?? sheets.first else {
          Console.error("allot: \(file) has no sheets.")
          throw ExitStatus.badInput
        }
        sheet = s
      }
    } catch let error as ReaderError {
      throw error.reportAndExit()
    }
    let (options, mappingJSON) = try validationOptions()
    let digest = try fileDigest()
    let db = try database.open()
    let batch = NewBatch(
      fileName: (file as NSString).lastPathComponent, fileSHA256: digest, sheet: sheet.name,
      mappingJSON: mappingJSON, optionsJSON: optionsJSON())

    var summary: ValidationSummary?
    let staged: ImportSummary
    // ALLOT_TIMING=1 prints where an import spends its time (benchmarks).
    let timing = ProcessInfo.processInfo.environment["ALLOT_TIMING"] == "1"
    let timer = ContinuousClock()
    var storeTime = Duration.zero
    let started = timer.now
    do {
      staged = try db.importBatch(batch, allowDuplicates: allowDuplicates) { stager in
        var validator = FileValidator(options: options, collectIssues: false)
        try reader.readRows(of: sheet) { row in
          guard let result = validator.feed(row) else { return }
          if let allocation = result.allocation {
            let payload = allocation.jsonBody()
            let fingerprint = allocation.fingerprint()
            let t0 = timing ? timer.now : started
            try stager.addValid(
              sourceRow: result.rowNumber, payload: payload, fingerprint: fingerprint,
              tokenId: allocation.tokenId,
              walletAddress: allocation.walletAddress, warnings: result.issues)
            if timing { storeTime += timer.now - t0 }
          } else {
            try stager.addInvalid(sourceRow: result.rowNumber, issues: result.issues)
          }
        }
        let s = validator.finish()
        try stager.addIssues(s.issues.filter { $0.row == 0 }, sourceRow: 0)
        summary = s
      }
    } catch let error as ReaderError {
      throw error.reportAndExit()
    } catch let error as StoreError {
      throw error.reportAndExit()
    }
    if timing {
      Console.error(
        "allot import: \(timer.now - started) staging in total, \(storeTime) of it inserting valid rows.")
    }
    let fileIssues = summary?.issues.filter { $0.row == 0 } ?? []
    switch format {
    case .json:
      Console.out(
        "{\"batch\":\(staged.batchId),\"file\":\(JSONText.quoted(batch.fileName)),\"sheet\":\(JSONText.quoted(sheet.name)),"
          + "\"rows\":\(staged.rows),\"pending\":\(staged.pending),\"invalid\":\(staged.invalid),"
          + "\"skipped\":\(staged.skipped),\"issues\":\(staged.issues)}")
    case .text:
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

  /// The validation options from the shared option group and the mapping file.
  private func validationOptions() throws -> (ValidationOptions, String?) {
    var mapping: [String: String] = [:]
    var mappingJSON: String?
    if let path = validation.mapping {
      guard let data = FileManager.default.contents(atPath: path) else {
        Console.error("allot: cannot read the mapping file \(path).")
        throw ExitStatus.badInput
      }
      guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        Console.error(
          "allot: the mapping file \(path) must be a JSON object of header text to field, e.g. {\"Grant\": \"amount\"}."
        )
        throw ExitStatus.badInput
      }
      for (k, v) in object {
        guard let s = v as? String else {
          Console.error("allot: in the mapping file \(path), the value for \"\(k)\" must be a string.")
          throw ExitStatus.badInput
        }
        mapping[k] = s
      }
      mappingJSON = String(decoding: data, as: UTF8.self)
    }
    var options = ValidationOptions(
      contractId: validation.contractId, tokenId: validation.tokenId, category: validation.category,
      releaseMode: validation.releaseMode, maxDecimals: validation.maxDecimals, mapping: mapping,
      headerRow: validation.headerRow)
    if !validation.allowReleaseMode.isEmpty {
      options.allowedReleaseModes = ReleaseModeRule.defaultModes + validation.allowReleaseMode
    }
    return (options, mappingJSON)
  }

  /// The whole-file options, as recorded with the batch.
  private func optionsJSON() -> String {
    func field(_ k: String, _ v: String?) -> String {
      "\(JSONText.quoted(k)):\(v.map(JSONText.quoted) ?? "null")"
    }
    return "{"
      + [
        field("contractId", validation.contractId), field("tokenId", validation.tokenId),
        field("category", validation.category), field("releaseMode", validation.releaseMode),
        "\"headerRow\":\(validation.headerRow.map(String.init) ?? "null")",
        "\"maxDecimals\":\(validation.maxDecimals)", "\"allowDuplicates\":\(allowDuplicates)",
      ].joined(separator: ",") + "}"
  }

  /// SHA-256 of the file's bytes, read in chunks.
  private func fileDigest() throws -> String {
    guard let handle = FileHandle(forReadingAtPath: file) else {
      Console.error("allot: cannot read \(file).")
      throw ExitStatus.badInput
    }
    defer { try? handle.close() }
    var hasher = AllotCore.SHA256()
    while true {
      let chunk = handle.readData(ofLength: 1 << 20)
      if chunk.isEmpty { break }
      chunk.withUnsafeBytes { hasher.update($0) }
    }
    return hasher.finalizeHex()
  }
}
