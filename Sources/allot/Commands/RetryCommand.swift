import AllotCore
import AllotStore
import ArgumentParser

/// `allot retry [--batch ID] [--rows 5,9-12]`: failed rows back to pending.
struct RetryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retry",
    abstract: "Put failed rows back to pending for the next `allot submit` (after fixing the cause)."
  )

  @Option(help: "Only this batch.")
  var batch: Int64?

  @Option(
    help: ArgumentHelp(
      "Only these spreadsheet rows, e.g. 5,9-12 (needs --batch when several batches exist).",
      valueName: "ROWS"))
  var rows: String?

  @OptionGroup var database: DatabaseOption

  func run() throws {
    var ranges: [ClosedRange<Int>]?
    if let rows {
      guard let parsed = RowRangeList.parse(rows) else {
        Console.error("allot: --rows must list row numbers and ranges such as 5,9-12 (found \"\(rows)\").")
        throw ExitStatus.badInput
      }
      ranges = parsed
    }
    let db = try database.open()
    do {
      if ranges != nil, batch == nil, try db.batches().count > 1 {
        Console.error("allot: --rows needs --batch ID when the database holds several batches.")
        throw ExitStatus.badInput
      }
      let moved = try db.retryFailed(batch: batch, rows: ranges)
      if moved.isEmpty {
        Console.out("No failed rows to retry.")
      } else {
        let list = moved.map { "\($0.batch):\($0.row)" }
        let shown = list.prefix(20).joined(separator: ", ") + (list.count > 20 ? ", …" : "")
        Console.out(
          "\(moved.count) failed row\(moved.count == 1 ? "" : "s") back to pending (\(shown)). Run `allot submit` to send them."
        )
      }
    } catch let error as StoreError {
      throw error.reportAndExit()
    }
  }
}
