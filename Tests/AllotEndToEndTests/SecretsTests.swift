import AllotTestSupport
import Foundation
import Testing

/// The Magna API token and the Magma API key never appear in the database, stdout, stderr (logs
/// included, at the most verbose level too), JSON output or reports, including when Magna refuses the
/// token; the database file is private (0600), the reports readable (0644).
@Suite(.serialized) struct SecretsTests {
  @Test(arguments: [nil, "debug", "trace"])
  func tokenAppearsNowhere(logLevel: String?) async throws {
    let sandbox = try await SandboxProcess.start()
    defer { sandbox.stop() }
    let s = sandbox.settings
    let token = try #require(s["MAGNA_API_TOKEN"])
    let magmaKey = try #require(s["MAGMA_API_KEY"])
    let tokenId = try #require(s["SANDBOX_TOKEN_ID"])
    let contract = try #require(s["SANDBOX_CONTRACT_IDS"]?.split(separator: ",").first.map(String.init))
    let schedule = try #require(s["SANDBOX_SCHEDULE_IDS"]?.split(separator: ",").first.map(String.init))

    let dir = try AllotRunner.temporaryDirectory()
    let sheet = dir + "/grants.csv"
    var text =
      "Stakeholder Name,Stakeholder Email,Wallet Address,Amount,Category,Contract ID,Token ID,Unlock Schedule ID\n"
    for i in 0..<5 {
      let wallet = "0x" + String(repeating: String(i), count: 40)
      text +=
        "Holder \(i),holder\(i)@example.org,\(wallet),\(100 + i),Team,\(contract),\(tokenId),\(schedule)\n"
    }
    try text.write(toFile: sheet, atomically: true, encoding: .utf8)
    var env = sandbox.environment
    env["ALLOT_DB"] = dir + "/allot.sqlite"
    if let logLevel { env["ALLOT_LOG_LEVEL"] = logLevel }

    var outputs: [AllotResult] = []
    outputs.append(
      try await AllotRunner.run(["import", sheet, "--format", "json"], environment: env, directory: dir))
    outputs.append(try await AllotRunner.run(["submit"], environment: env, directory: dir))
    outputs.append(try await AllotRunner.run(["status"], environment: env, directory: dir))
    outputs.append(
      try await AllotRunner.run(["status", "--all", "--format", "json"], environment: env, directory: dir))
    #expect(outputs[0].status == 0, "import: \(outputs[0].stdout)\(outputs[0].stderr)")
    #expect(outputs[1].status == 0, "submit: \(outputs[1].stdout)\(outputs[1].stderr)")
    #expect(outputs[3].stdout.contains("\"succeeded\":5"), "status json: \(outputs[3].stdout.prefix(300))")
    if logLevel != nil {
      // The log is really on: every create shows up, and at trace level with its body.
      #expect(outputs[1].stderr.contains("allot.http"), "submit log: \(outputs[1].stderr.prefix(300))")
      #expect(outputs[1].stderr.contains("/allocations/create -> HTTP"))
      #expect(outputs[1].stderr.contains("request body:") == (logLevel == "trace"))
    }
    // Magma: the transactions read from the API, reports written.
    let reports = dir + "/reports"
    let reconciled = try await AllotRunner.run(
      [
        "reconcile", "--batch", "1", "--currency", "USDC", "--network", "ethereum", "--from-api", "--out",
        reports,
        "--as-of", "2026-12-31", "--format", "json",
      ], environment: env, directory: dir)
    #expect([0, 1].contains(reconciled.status), "reconcile: \(reconciled.stderr.prefix(300))")
    if logLevel != nil {
      #expect(reconciled.stderr.contains("GET "), "reconcile log: \(reconciled.stderr.prefix(300))")
    }
    outputs.append(reconciled)
    // A wrong token: the refusal message must not echo it either.
    var wrong = env
    let wrongToken = "wrong-\(UUID().uuidString)"
    wrong["MAGNA_API_TOKEN"] = wrongToken
    let refused = try await AllotRunner.run(["retry"], environment: wrong, directory: dir)
    outputs.append(refused)
    let submitted = try await AllotRunner.run(["submit"], environment: wrong, directory: dir)
    outputs.append(submitted)

    for r in outputs {
      #expect(!r.crashed)
      for secret in [token, wrongToken, magmaKey] {
        #expect(!r.stdout.contains(secret), "token in stdout: \(r.stdout.prefix(300))")
        #expect(!r.stderr.contains(secret), "token in stderr: \(r.stderr.prefix(300))")
      }
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: dir)
    let databaseFiles = files.filter { $0.contains(".sqlite") }
    #expect(!databaseFiles.isEmpty)
    for file in databaseFiles {
      let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
      for secret in [token, wrongToken] {
        #expect(data.range(of: Data(secret.utf8)) == nil, "token in \(file)")
      }
    }
    let reportFiles = try FileManager.default.contentsOfDirectory(atPath: reports)
    #expect(reportFiles.contains("reconciliation.html"))
    for file in reportFiles {
      let path = reports + "/" + file
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      for secret in [token, magmaKey] {
        #expect(data.range(of: Data(secret.utf8)) == nil, "secret in \(file)")
      }
      let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?
        .intValue
      #expect(mode == 0o644, "\(file) mode is \(String(mode ?? -1, radix: 8))")
    }
    let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/allot.sqlite")
    let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    #expect(mode & 0o077 == 0, "database mode is \(String(mode, radix: 8))")
  }
}
