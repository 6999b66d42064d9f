import AllotTestSupport
import Foundation
import Testing

/// The Magna API token never appears in the database, stdout, stderr or JSON output, including when
/// Magna refuses it; the database file is private (0600).
@Suite(.serialized) struct SecretsTests {
  @Test func tokenAppearsNowhere() throws {
    let sandbox = try SandboxProcess()
    defer { sandbox.stop() }
    let s = sandbox.settings
    let token = try #require(s["MAGNA_API_TOKEN"])
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

    var outputs: [AllotResult] = []
    outputs.append(
      try AllotRunner.run(["import", sheet, "--format", "json"], environment: env, directory: dir))
    outputs.append(try AllotRunner.run(["submit"], environment: env, directory: dir))
    outputs.append(try AllotRunner.run(["status"], environment: env, directory: dir))
    outputs.append(
      try AllotRunner.run(["status", "--all", "--format", "json"], environment: env, directory: dir))
    #expect(outputs[0].status == 0, "import: \(outputs[0].stdout)\(outputs[0].stderr)")
    #expect(outputs[1].status == 0, "submit: \(outputs[1].stdout)\(outputs[1].stderr)")
    #expect(outputs[3].stdout.contains("\"succeeded\":5"), "status json: \(outputs[3].stdout.prefix(300))")
    // A wrong token: the refusal message must not echo it either.
    var wrong = env
    let wrongToken = "wrong-\(UUID().uuidString)"
    wrong["MAGNA_API_TOKEN"] = wrongToken
    let refused = try AllotRunner.run(["retry"], environment: wrong, directory: dir)
    outputs.append(refused)
    let submitted = try AllotRunner.run(["submit"], environment: wrong, directory: dir)
    outputs.append(submitted)

    for r in outputs {
      #expect(!r.crashed)
      for secret in [token, wrongToken] {
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
    let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/allot.sqlite")
    let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    #expect(mode & 0o077 == 0, "database mode is \(String(mode, radix: 8))")
  }
}
