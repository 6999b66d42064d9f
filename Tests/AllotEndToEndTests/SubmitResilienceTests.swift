import AllotCore
import AllotHTTP
import AllotTestSupport
import Foundation
import Testing

/// The heart of the product: 1,000 rows submitted to a faulty Magna while `allot submit` is killed with
/// SIGKILL at random moments and resumed. In the end the sandbox holds exactly one allocation per valid
/// row, the database agrees with it, no row is lost, rejected rows are `failed`, and the API token
/// appears nowhere in the database files.
@Suite(.serialized) struct SubmitResilienceTests {
  static let rows = 1_000
  /// Rows whose schedule id does not exist in Magna (valid UUID): Magna answers 404 → `failed`.
  static let rejectedRows: Set<Int> = [17, 250, 501, 999]

  @Test func killNineAtRandomMomentsThenResume() async throws {
    let sandbox = try await SandboxProcess.start(arguments: [
      "--error-after-commit-rate", "0.10", "--drop-after-commit-rate", "0.05", "--rate-limit", "150",
      "--latency-ms", "5", "--seed", "7",
    ])
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
    var rng = SystemRandomNumberGenerator()
    for i in 0..<Self.rows {
      let row = i + 2
      let wallet =
        "0x" + (0..<40).map { _ in String("0123456789abcdef".randomElement(using: &rng)!) }.joined()
      let sched = Self.rejectedRows.contains(row) ? "00000000-0000-4000-8000-00000000dead" : schedule
      text +=
        "Holder \(i),holder\(i)@example.org,\(wallet),\(1000 + i).5,Team,\(contract),\(tokenId),\(sched)\n"
    }
    try text.write(toFile: sheet, atomically: true, encoding: .utf8)
    let db = dir + "/allot.sqlite"
    var env = sandbox.environment
    env["ALLOT_DB"] = db

    let imported = try await AllotRunner.run(["import", sheet], environment: env)
    #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")

    // Kill `allot submit` with SIGKILL at random moments, at least five times.
    var kills = 0
    for _ in 0..<6 {
      let p = try AllotRunner.start(
        ["submit", "--concurrency", "8", "--request-timeout", "2"], environment: env)
      try await Task.sleep(for: .milliseconds(Int.random(in: 150...900)))
      if p.isRunning {
        kill(p.processIdentifier, SIGKILL)
        kills += 1
      }
      await offPool { p.waitUntilExit() }
    }
    // Resume until done.
    let last = try await AllotRunner.run(
      ["submit", "--concurrency", "8", "--request-timeout", "2"], environment: env, timeout: 300)
    try #require(sandbox.health == nil, "\(sandbox.health ?? "")")
    #expect(last.status == 1, "rejected rows make the run end with status 1: \(last.stdout)\(last.stderr)")
    #expect(!last.crashed)

    // The database: no row lost, every row settled.
    let status = try await AllotRunner.run(["status", "--format", "json", "--all"], environment: env)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
    let batch = try #require((json["batches"] as? [[String: Any]])?.first)
    let counts = try #require(batch["counts"] as? [String: Int])
    #expect(counts["succeeded"] == Self.rows - Self.rejectedRows.count, "\(counts)")
    #expect(counts["failed"] == Self.rejectedRows.count, "\(counts)")
    for state in ["pending", "in_flight", "retry_wait", "unknown", "invalid", "skipped"] {
      #expect(counts[state] == 0, "\(state): \(counts)")
    }
    let rows = try #require(json["rows"] as? [[String: Any]])
    #expect(rows.count == Self.rows)
    let failedRows = Set(rows.filter { $0["state"] as? String == "failed" }.compactMap { $0["row"] as? Int })
    #expect(failedRows == Self.rejectedRows)

    // The sandbox: exactly one allocation per valid row, and the ids agree with the database.
    let listed = try await SandboxAllocations.all(
      baseURL: try #require(s["MAGNA_BASE_URL"]), token: token, tokenId: tokenId)
    let refs = SandboxAllocations.references(listed)
    #expect(refs.count == listed.count, "every allocation carries its row reference")
    #expect(Set(refs).count == refs.count, "a row was created twice")
    #expect(listed.count == Self.rows - Self.rejectedRows.count)
    let dbIds = Set(rows.compactMap { $0["allocationId"] as? String })
    #expect(dbIds == Set(listed.map(\.id)))
    #expect(kills >= 5, "submit finished before it could be killed five times (\(kills))")

    // The token appears nowhere in the database files.
    for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasPrefix("allot.sqlite")
    {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
      #expect(bytes.range(of: Data(token.utf8)) == nil, "the API token is in \(file)")
    }
    let mode = try FileManager.default.attributesOfItem(atPath: db)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }
}
