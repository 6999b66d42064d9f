import AllotCore
import AllotStore
import ArgumentParser

/// `allot resolve BATCH:ROW --created ALLOCATION_ID | --not-created`.
struct ResolveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resolve",
    abstract: "Settle a row whose outcome is unknown, after checking in Magna's dashboard.",
    discussion: """
      --created ID records the allocation Magna did create (the row becomes succeeded); --not-created puts \
      the row back to pending so the next `allot submit` sends it. Both are recorded in the audit trail.
      """
  )

  @Argument(help: ArgumentHelp("The row, as BATCH:ROW (e.g. 3:17).", valueName: "BATCH:ROW"))
  var row: String

  @Option(help: ArgumentHelp("Magna created it: its allocation id.", valueName: "ALLOCATION_ID"))
  var created: String?

  @Flag(help: "Magna did not create it: send it again.")
  var notCreated = false

  @OptionGroup var database: DatabaseOption

  func run() throws {
    let parts = row.split(separator: ":")
    guard parts.count == 2, let batch = Int64(parts[0]), let source = Int(parts[1]), batch > 0, source > 0
    else {
      Console.error("allot: name the row as BATCH:ROW, e.g. 3:17 (found \"\(row)\").")
      throw ExitStatus.badInput
    }
    let id = created?.trimmingSpaces
    guard (id != nil && id?.isEmpty == false) != notCreated else {
      Console.error("allot: give exactly one of --created ALLOCATION_ID or --not-created.")
      throw ExitStatus.badInput
    }
    let db = try database.open()
    // Not while an `allot submit` may be verifying the same row.
    let lock = try SubmissionLock.take(for: db)
    defer { lock.release() }
    do {
      let state = try db.resolve(batch: batch, row: source, createdAllocationId: id)
      switch state {
      case .succeeded: Console.out("Row \(batch):\(source) recorded as created (\(id ?? "")).")
      default: Console.out("Row \(batch):\(source) is pending again; `allot submit` will send it.")
      }
    } catch {
      throw error.reportAndExit()
    }
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" { s.removeLast() }
    return String(s)
  }
}
