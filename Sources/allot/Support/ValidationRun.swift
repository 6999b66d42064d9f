import AllotCore
import AllotReaders
import ArgumentParser
import Foundation

/// One pass of validation over a file: the reader, the chosen sheet and the options, shared by
/// `validate` and `import`.
struct ValidationRun {
  let file: String
  let reader: any SheetReader
  let sheet: SheetInfo
  let options: ValidationOptions
  let mapping: [String: String]

  /// The mapping as recorded with a batch (keys sorted), nil when there is none.
  var mappingJSON: String? {
    guard !mapping.isEmpty,
      let data = try? JSONSerialization.data(withJSONObject: mapping, options: [.sortedKeys])
    else { return nil }
    return String(decoding: data, as: UTF8.self)
  }

  /// Opens the file, picks the sheet (named, else the first visible one) and builds the options.
  /// Bad input is reported on stderr and thrown as exit status 2.
  static func open(file: String, input: InputOptions, validation: ValidationOptionsGroup) throws
    -> ValidationRun
  {
    let reader: any SheetReader
    let sheets: [SheetInfo]
    do {
      reader = try Workbook.open(path: file, limits: input.limits)
      sheets = try reader.sheets()
    } catch {
      throw error.reportAndExit()
    }
    let sheet: SheetInfo
    if let name = input.sheet {
      guard
        let s = sheets.first(where: { $0.name == name })
          ?? sheets.first(where: { $0.name.lowercased() == name.lowercased() })
      else {
        let names = sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
        Console.error("allot: \(file) has no sheet named \"\(name)\" (its sheets: \(names)).")
        throw ExitStatus.badInput
      }
      sheet = s
    } else {
      guard let s = sheets.first(where: { !$0.hidden }) else {
        Console.error("allot: \(file) has no visible sheet; name a hidden one with --sheet.")
        throw ExitStatus.badInput
      }
      sheet = s
    }
    let mapping = try validation.mapping.map(Self.loadMapping) ?? [:]
    var options = ValidationOptions(
      contractId: validation.contractId, tokenId: validation.tokenId, category: validation.category,
      releaseMode: validation.releaseMode, maxDecimals: validation.maxDecimals,
      dateSystem: reader.dateSystem, mapping: mapping, headerRow: validation.headerRow)
    if !validation.allowReleaseMode.isEmpty {
      options.allowedReleaseModes += validation.allowReleaseMode
    }
    return ValidationRun(file: file, reader: reader, sheet: sheet, options: options, mapping: mapping)
  }

  /// Reads a mapping file: a JSON object of header text → Magna field path (or "ignore").
  static func loadMapping(_ path: String) throws -> [String: String] {
    guard let data = FileManager.default.contents(atPath: path) else {
      Console.error("allot: cannot read the mapping file \(path).")
      throw ExitStatus.badInput
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      Console.error(
        "allot: the mapping file \(path) is not a JSON object of header → field, e.g. {\"Grant\": \"amount\", \"Notes\": \"ignore\"}."
      )
      throw ExitStatus.badInput
    }
    var out: [String: String] = [:]
    for (key, value) in object {
      guard let field = value as? String else {
        Console.error(
          "allot: in the mapping file \(path), the value for \"\(key)\" must be a field name in quotes.")
        throw ExitStatus.badInput
      }
      out[key] = field
    }
    return out
  }

  /// Validates every row, calling `onRow` with each data row's result in row order. CSV files are
  /// validated on every core. Reader failures are reported on stderr and thrown as exit status 2.
  ///
  /// Without `requests`, valid CSV rows may come without their `allocation` (`isValid` still tells),
  /// which spares building it.
  ///
  /// With `prepareBatch`, valid CSV rows validated on the workers come `prepared` for that batch
  /// instead (other rows keep their `allocation`).
  func validate(
    collectIssues: Bool = true, showProgress: Bool, requests: Bool = true,
    prepareBatch: Int64? = nil, onRow: (RowValidation) throws -> Void = { _ in }
  ) throws -> (ValidationSummary, [ReaderWarning]) {
    var progress = ProgressLine(enabled: showProgress, noun: "rows")
    defer { progress.finish() }
    do {
      // Rows already handed to `onRow` by a parallel pass that gave way to the sequential one.
      var delivered = 0
      if let csv = reader as? CSVReader {
        var validator = FileValidator(options: options, collectIssues: collectIssues)
        do {
          let warnings = try ParallelCSVValidation.run(
            csv: csv, validator: &validator, progress: &progress, requests: requests,
            prepareBatch: prepareBatch
          ) { row in
            try onRow(row)
            delivered = row.rowNumber
          }
          return (validator.finish(), warnings)
        } catch is ParallelCSVValidation.FallBack {
          // Not UTF-8: read it again sequentially, which settles the decoding for the whole file.
          // The rows before the first byte that is not UTF-8 read the same both ways: they are
          // validated again (duplicates and totals) but not handed on twice.
        }
      }
      var validator = FileValidator(options: options, collectIssues: collectIssues)
      let warnings = try PipelinedValidation.run(
        reader: reader, sheet: sheet, validator: &validator, progress: &progress
      ) { row in
        if row.rowNumber > delivered { try onRow(row) }
      }
      return (validator.finish(), warnings)
    } catch let error as ReaderError {
      progress.finish()
      throw error.reportAndExit()
    }
  }
}
