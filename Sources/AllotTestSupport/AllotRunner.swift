import Foundation

/// Runs the built `allot` binary as a user would, capturing its output and exit status.
public struct AllotResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
  /// True when the process ended by a signal (a crash), not by exiting.
  public var crashed: Bool
}

public enum AllotRunner {
  /// Runs `allot ARGS` in `directory` (default: the package root) with extra environment variables, and
  /// waits at most `timeout` seconds (then kills it and reports status -1). The wait happens on a thread of
  /// its own (see ``offPool(_:)-(()->T)``), never on the cooperative pool other tests need.
  @discardableResult
  public static func run(
    _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
    timeout: TimeInterval = 120
  ) async throws -> AllotResult {
    try await offPool {
      try runBlocking(arguments, environment: environment, directory: directory, timeout: timeout)
    }
  }

  /// The built binary with `arguments`, this process's environment and `environment` over it.
  static func makeProcess(_ arguments: [String], environment: [String: String]) -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestPaths.allotBinary)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    return process
  }

  /// Starts `allot ARGS` with extra environment variables and returns it running (for tests that signal
  /// or kill it); its output and errors go to the file `output` when given, else nowhere.
  public static func start(
    _ arguments: [String], environment: [String: String] = [:], output: String? = nil
  ) throws -> Process {
    let process = makeProcess(arguments, environment: environment)
    if let output {
      _ = FileManager.default.createFile(atPath: output, contents: nil)
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
      process.standardOutput = handle
      process.standardError = handle
    } else {
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
    }
    try process.run()
    return process
  }

  /// ``run(_:environment:directory:timeout:)`` on the calling thread, which it blocks until the process ends.
  public static func runBlocking(
    _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
    timeout: TimeInterval = 120
  ) throws -> AllotResult {
    let process = makeProcess(arguments, environment: environment)
    process.currentDirectoryURL = URL(fileURLWithPath: directory ?? TestPaths.packageRoot)
    let outFile = TestScratch.root.appendingPathComponent("out-\(UUID().uuidString)")
    let errFile = TestScratch.root.appendingPathComponent("err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outFile)
      try? FileManager.default.removeItem(at: errFile)
    }
    let outHandle = try FileHandle(forWritingTo: outFile)
    let errHandle = try FileHandle(forWritingTo: errFile)
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline {
      Thread.sleep(forTimeInterval: 0.01)
    }
    var timedOut = false
    if process.isRunning {
      timedOut = true
      process.terminate()
      process.waitUntilExit()
    }
    try outHandle.close()
    try errHandle.close()
    let out = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
    return AllotResult(
      status: timedOut ? -1 : process.terminationStatus, stdout: out, stderr: err,
      crashed: process.terminationReason == .uncaughtSignal && !timedOut)
  }

  /// A fresh temporary folder for one test (inside ``TestScratch/root``, removed when the tests end).
  public static func temporaryDirectory() throws -> String {
    TestScratch.directory("run").path
  }
}
