import Foundation

/// `allot sandbox` running as its own process, for end-to-end tests: started on a free loopback port,
/// its printed settings parsed, and stopped (SIGTERM, then SIGKILL) by `stop()` or when the test ends.
/// Its standard error goes to a file in the test scratch folder, so a sandbox that dies in the middle of
/// a test can say why (``health``).
public final class SandboxProcess: @unchecked Sendable {
  public let process: Process
  /// The `KEY=VALUE` lines it printed (`MAGNA_BASE_URL`, `MAGNA_API_TOKEN`, `SANDBOX_TOKEN_ID`, …).
  public let settings: [String: String]
  /// Where its standard error goes.
  public let errorLog: URL

  /// Starts the sandbox and waits, on a thread of its own, until it says it is ready.
  public static func start(arguments: [String] = [], timeout: TimeInterval = 30) async throws
    -> SandboxProcess
  {
    try await offPool { try SandboxProcess(arguments: arguments, timeout: timeout) }
  }

  /// Starts the sandbox, blocking the calling thread until it is ready: prefer ``start(arguments:timeout:)``.
  public init(arguments: [String] = [], timeout: TimeInterval = 30) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: TestPaths.allotBinary)
    p.arguments = ["sandbox", "--port", "0"] + arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    let log = TestScratch.file("sandbox-stderr.log", label: "sandbox")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    errorLog = log
    p.standardError = try FileHandle(forWritingTo: log)
    p.standardInput = FileHandle.nullDevice
    try p.run()
    var lines: [String: String] = [:]
    var buffer = Data()
    let deadline = Date().addingTimeInterval(timeout)
    let handle = pipe.fileHandleForReading
    while lines["SANDBOX_READY"] == nil && Date() < deadline && p.isRunning {
      let chunk = handle.availableData
      if chunk.isEmpty { continue }
      buffer.append(chunk)
      while let nl = buffer.firstIndex(of: 10) {
        let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
        buffer.removeSubrange(buffer.startIndex...nl)
        if let eq = line.firstIndex(of: "=") {
          lines[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
      }
    }
    process = p
    settings = lines
    guard lines["SANDBOX_READY"] != nil else {
      stop()
      throw SandboxProcessError(message: "allot sandbox did not start within \(timeout) s")
    }
  }

  /// The environment a user pastes: Magna and Magma endpoints and credentials.
  public var environment: [String: String] {
    settings.filter { $0.key.hasPrefix("MAGNA_") || $0.key.hasPrefix("MAGMA_") }
  }

  /// nil while the sandbox runs; else how it ended and the end of what it wrote to standard error.
  /// A test that sees requests refused checks this to tell a dead sandbox from a client bug.
  public var health: String? {
    guard !process.isRunning else { return nil }
    let how =
      process.terminationReason == .uncaughtSignal
      ? "killed by signal \(process.terminationStatus)" : "exited with status \(process.terminationStatus)"
    let text = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
    return "allot sandbox \(how); its standard error ends with:\n\(text.suffix(4_000))"
  }

  public func stop() {
    guard process.isRunning else { return }
    process.terminate()
    let deadline = Date().addingTimeInterval(5)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  deinit { stop() }
}

public struct SandboxProcessError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
