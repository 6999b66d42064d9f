import AllotSandbox
import ArgumentParser

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `allot sandbox`: a local Magna + Magma emulator on loopback.
struct SandboxCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sandbox",
    abstract: "Run a local Magna + Magma emulator on 127.0.0.1 (seeded project, fault injection).",
    discussion: """
      Prints, one per line, MAGNA_BASE_URL, MAGNA_API_TOKEN, MAGMA_BASE_URL, MAGMA_API_KEY, SANDBOX_PORT, \
      SANDBOX_PROJECT_ID, SANDBOX_TOKEN_ID, SANDBOX_CONTRACT_IDS, SANDBOX_SCHEDULE_IDS, SANDBOX_TOKEN_SYMBOL, \
      SANDBOX_NETWORK and a second project's SANDBOX_OTHER_* values, then SANDBOX_READY=1. Stops on Ctrl-C \
      or SIGTERM. A request header `x-sandbox-fault: drop-after-commit|error-after-commit|error-before-commit|\
      unavailable|html-502|rate-limit|rate-limit-date` forces one fault on that request.
      """
  )

  @Option(help: "Port on 127.0.0.1 (0 = a free one, printed on start).")
  var port: Int = 0

  @Option(help: ArgumentHelp("Delay added to every request.", valueName: "ms"))
  var latencyMs: Int = 0

  @Option(
    help: ArgumentHelp("Share of creates answered 5xx before anything is committed (0…1).", valueName: "rate")
  )
  var errorRate: Double = 0

  @Option(help: ArgumentHelp("Share of creates committed, then answered 5xx (0…1).", valueName: "rate"))
  var errorAfterCommitRate: Double = 0

  @Option(
    help: ArgumentHelp(
      "Share of creates committed, then left unanswered: connection closed (0…1).", valueName: "rate"))
  var dropAfterCommitRate: Double = 0

  @Option(help: ArgumentHelp("Requests per second accepted; beyond → 429 with Retry-After.", valueName: "N"))
  var rateLimit: Int?

  @Option(help: "Seed for ids, keys, generated transactions and injected faults.")
  var seed: UInt64 = 1

  @Option(
    name: .customLong("state"),
    help: ArgumentHelp("Keep allocations in this JSON file across restarts.", valueName: "FILE"))
  var stateFile: String?

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
    guard latencyMs >= 0 else { throw ValidationError("--latency-ms must not be negative.") }
    for (name, rate) in [
      ("--error-rate", errorRate), ("--error-after-commit-rate", errorAfterCommitRate),
      ("--drop-after-commit-rate", dropAfterCommitRate),
    ] where !(0...1).contains(rate) {
      throw ValidationError("\(name) must be between 0 and 1.")
    }
    if let rateLimit, rateLimit < 1 { throw ValidationError("--rate-limit must be at least 1.") }
  }

  func run() async throws {
    let configuration = SandboxConfiguration(
      port: port, latencyMs: latencyMs, errorRate: errorRate, errorAfterCommitRate: errorAfterCommitRate,
      dropAfterCommitRate: dropAfterCommitRate, rateLimit: rateLimit, seed: seed, stateFile: stateFile)
    do {
      try await runSandbox(configuration, handleSignals: true) { info in
        for line in info.environmentLines { print(line) }
        print("SANDBOX_READY=1")
        fflush(nil)
        Console.error("allot sandbox: listening on 127.0.0.1:\(info.port); Ctrl-C to stop.")
      }
    } catch let error as SandboxError {
      Console.error("allot: \(error.message)")
      throw ExitStatus.badInput
    } catch {
      Console.error("allot: sandbox stopped: \(error)")
      throw ExitCode.failure
    }
  }
}
