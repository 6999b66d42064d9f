import AllotStore
import ArgumentParser

/// `--db PATH` (else `ALLOT_DB`, else `./allot.sqlite`).
struct DatabaseOption: ParsableArguments {
  @Option(
    name: .customLong("db"),
    help: ArgumentHelp("The allot database (default: $ALLOT_DB, else ./allot.sqlite).", valueName: "PATH"))
  var path: String?

  var resolvedPath: String { AllotDatabase.resolvePath(explicit: path) }

  /// Opens the database, or prints one sentence and gives exit status 2. A write waits up to `busyTimeout`
  /// seconds for another process's transaction (an import) to end.
  func open(busyTimeout: Double = 10) throws -> AllotDatabase {
    do {
      return try AllotDatabase(path: resolvedPath, busyTimeout: busyTimeout)
    } catch {
      Console.error("allot: \(error.description)")
      throw ExitStatus.badInput
    }
  }
}

extension StoreError {
  /// Prints the sentence on stderr and gives exit status 2.
  func reportAndExit() -> ExitCode {
    Console.error("allot: \(description)")
    return ExitStatus.badInput
  }
}
