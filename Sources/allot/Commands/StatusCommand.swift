import AllotCore
import AllotStore
import ArgumentParser

/// `allot status [--batch ID] [--all] [--format text|json]`.
struct StatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show rows per state for each batch, and the rows that need attention."
  )

  @Option(help: "Only this batch.")
  var batch: Int64?

  @Flag(help: "List every row, not only those needing attention.")
  var all = false

  @Option(help: "Output: text (a table) or json (a stable schema).")
  var format: OutputFormat = .text

  @OptionGroup var database: DatabaseOption

  func run() throws {
    let db = try database.open()
    do {
      let batches = try db.batches(id: batch)
      if let batch, batches.isEmpty {
        Console.error("allot: there is no batch \(batch) in \(db.path).")
        throw ExitStatus.badInput
      }
      let rows = try db.rowStatuses(batch: batch, all: all)
      switch format {
      case .json: Console.out(StatusText.json(batches: batches, rows: rows))
      case .text: Console.out(StatusText.text(batches: batches, rows: rows, all: all))
      }
    } catch let error as StoreError {
      throw error.reportAndExit()
    }
  }
}
