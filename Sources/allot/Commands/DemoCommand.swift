import AllotSandbox
import ArgumentParser
import Foundation

/// `allot demo`: the whole flow on `samples/` against an embedded sandbox, narrated.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run the whole flow on samples/ against an embedded sandbox and write the reports.",
    discussion: """
      Starts a local Magna + Magma on a free 127.0.0.1 port (no credentials, no network), then validates the \
      sample workbook, imports and submits it with injected faults, shows the status, re-imports the corrected \
      sheet (rows already created are skipped), submits again and reconciles against the sandbox's Magma \
      transactions. Everything it writes goes to --out; nothing keeps running afterwards.
      """
  )

  @Option(
    help: ArgumentHelp("Folder for the database, the error workbook and the reports.", valueName: "DIR"))
  var out: String = "reports/demo"

  @Option(help: ArgumentHelp("Folder holding the sample sheets.", valueName: "DIR"))
  var samples: String = "samples"

  func run() async throws {
    let sheet = samples + "/stakeholders.xlsx"
    let fixed = samples + "/stakeholders-fixed.xlsx"
    for path in [sheet, fixed] where !FileManager.default.fileExists(atPath: path) {
      Console.error("allot: the demo needs \(path); run it from the project folder or give --samples DIR.")
      throw ExitStatus.badInput
    }
    try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let db = out + "/demo.sqlite"
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
    let errors = out + "/stakeholders-errors.xlsx"
    let started = Date()

    var config = SandboxConfiguration()
    config.latencyMs = 5
    config.errorAfterCommitRate = 0.08
    config.dropAfterCommitRate = 0.04
    config.errorRate = 0.05
    config.rateLimit = 400

    try await withSandbox(config) { (info: SandboxInfo) in
      // The commands below read their endpoints and credentials from the environment, as a user's would.
      for line in info.environmentLines {
        guard let eq = line.firstIndex(of: "=") else { continue }
        setenv(String(line[..<eq]), String(line[line.index(after: eq)...]), 1)
      }
      setenv("ALLOT_DB", db, 1)

      Self.step(
        1,
        "A local Magna and Magma are listening on 127.0.0.1:\(info.port) (seeded project, some faults injected: 5xx, dropped connections)."
      )

      Self.step(2, "Validate \(sheet): every problem at once, by row and column.")
      try await Self.invoke(ValidateCommand.self, [sheet, "--errors-out", errors], expecting: [0, 1])
      Self.say("The rows with their problems marked (red cells, comments, an errors column): \(errors)")

      Self.step(3, "Import it: valid rows are staged as pending, invalid rows are kept with their issues.")
      try await Self.invoke(ImportCommand.self, [sheet], expecting: [0, 1])

      Self.step(
        4, "Submit to Magna: bounded concurrency; retries and verification of uncertain rows are automatic.")
      try await Self.invoke(
        SubmitCommand.self, ["--concurrency", "8", "--request-timeout", "3"], expecting: [0, 1])

      Self.step(5, "Where things stand:")
      try await Self.invoke(StatusCommand.self, [], expecting: [0, 1])

      Self.step(
        6, "Finance fixed the sheet (\(fixed)); re-import the whole of it. Rows already created are skipped.")
      try await Self.invoke(ImportCommand.self, [fixed], expecting: [0, 1])
      try await Self.invoke(
        SubmitCommand.self, ["--concurrency", "8", "--request-timeout", "3"], expecting: [0, 1])
      try await Self.invoke(StatusCommand.self, [], expecting: [0, 1])

      Self.step(
        7,
        "Reconcile the created allocations with the sandbox's Magma transactions (planted discrepancies included)."
      )
      try await Self.invoke(
        ReconcileCommand.self,
        [
          "--batch", "1", "--batch", "2", "--from-api", "--currency", info.tokenSymbol, "--network",
          info.network,
          "--as-of", "2027-12-31", "--out", out,
        ], expecting: [0, 1])
    }
    let seconds = Date().timeIntervalSince(started)
    Self.say("")
    Self.say("Done in \(String(format: "%.1f", seconds)) s. The reports:")
    Self.say("  \(out)/reconciliation.html   (open it in a browser; one self-contained file)")
    Self.say("  \(out)/reconciliation.csv, unmatched-transactions.csv, summary.csv, reconciliation.json")
    Self.say("  \(errors)   (the sheet to fix)")
    Self.say("  \(db)   (every row and every attempt)")
  }

  static func step(_ n: Int, _ text: String) {
    Console.out("\n── Step \(n). \(text)\n")
  }

  static func say(_ text: String) {
    Console.out(text)
  }

  /// Runs a subcommand in this process as the user would type it; an exit status listed in `expecting`
  /// is part of the story, anything else stops the demo.
  static func invoke<C: ParsableCommand>(_ type: C.Type, _ arguments: [String], expecting: Set<Int32>)
    async throws
  {
    let shown = ([type.configuration.commandName ?? ""] + arguments).joined(separator: " ")
    Console.out("$ allot \(shown)")
    do {
      var command = try type.parse(arguments)
      try await ExitStatus.$nested.withValue(true) {
        if var asyncCommand = command as? any AsyncParsableCommand {
          try await asyncCommand.run()
        } else {
          try command.run()
        }
      }
    } catch let exit as ExitCode {
      if !expecting.contains(exit.rawValue) {
        Console.error("allot demo: `allot \(shown)` ended with exit status \(exit.rawValue); stopping.")
        throw exit
      }
    }
  }
}
