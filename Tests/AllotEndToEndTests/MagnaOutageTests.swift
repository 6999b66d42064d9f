import AllotCore
import AllotHTTP
import AllotTestSupport
import Foundation
import Testing

/// Magna goes away in the middle of `allot submit` (the sandbox is killed with SIGKILL while requests are
/// out) and comes back later with its data. The run must not wait forever for rows it cannot check: it
/// stops after `--verify-patience`, exits 1 with one clear sentence, and leaves every row in a state the
/// next run picks up. Once Magna is back, `allot retry` and `allot submit` end with exactly one allocation
/// per row.
@Suite(.serialized) struct MagnaOutageTests {
  static let rows = 30

  @Test func submitStopsWhenMagnaCannotBeCheckedAndResumesWhenItIsBack() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let state = dir + "/magna-state.json"
    // Every answer to a create is lost, so rows become `unknown` and must be checked by listing.
    let first = try await SandboxProcess.start(arguments: [
      "--state", state, "--seed", "11", "--latency-ms", "150", "--drop-after-commit-rate", "1",
    ])
    defer { first.stop() }
    let s = first.settings
    let tokenId = try #require(s["SANDBOX_TOKEN_ID"])
    let contract = try #require(s["SANDBOX_CONTRACT_IDS"]?.split(separator: ",").first.map(String.init))
    let schedule = try #require(s["SANDBOX_SCHEDULE_IDS"]?.split(separator: ",").first.map(String.init))

    let sheet = dir + "/grants.csv"
    var text =
      "Stakeholder Name,Stakeholder Email,Wallet Address,Amount,Category,Contract ID,Token ID,Unlock Schedule ID\n"
    for i in 0..<Self.rows {
      let wallet = "0x" + String(repeating: String(format: "%02x", i), count: 20)
      text += "Holder \(i),holder\(i)@example.org,\(wallet),\(500 + i),Team,"
      text += "\(contract),\(tokenId),\(schedule)\n"
    }
    try text.write(toFile: sheet, atomically: true, encoding: .utf8)
    var env = first.environment
    env["ALLOT_DB"] = dir + "/allot.sqlite"
    let imported = try await AllotRunner.run(["import", sheet], environment: env, directory: dir)
    #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")

    // Magna dies while the first requests are out.
    let killer = Task {
      try await Task.sleep(for: .milliseconds(700))
      kill(first.process.processIdentifier, SIGKILL)
    }
    let started = Date()
    let outage = try await AllotRunner.run(
      ["submit", "--concurrency", "4", "--request-timeout", "1", "--verify-patience", "3"],
      environment: env, directory: dir, timeout: 120)
    try await killer.value
    let took = Date().timeIntervalSince(started)
    #expect(outage.status == 1, "\(outage.stdout)\(outage.stderr)")
    #expect(!outage.crashed)
    #expect(outage.stderr.contains("could not be read"), "\(outage.stderr)")
    #expect(outage.stderr.contains("stay unknown") || outage.stderr.contains("stays unknown"))
    #expect(took < 60, "the run gave up on the rows it could not check (\(took) s)")

    let during = try await counts(env, dir)
    #expect((during["unknown"] ?? 0) > 0, "\(during)")
    #expect(during["in_flight"] == 0, "\(during)")
    #expect(during.values.reduce(0, +) == Self.rows, "no row lost: \(during)")

    // Magna is back, with what it had committed, on another port.
    let second = try await SandboxProcess.start(arguments: ["--state", state, "--seed", "11"])
    defer { second.stop() }
    var back = second.environment
    back["ALLOT_DB"] = env["ALLOT_DB"]
    let retried = try await AllotRunner.run(["retry"], environment: back, directory: dir)
    #expect([0, 1].contains(retried.status), "\(retried.stdout)\(retried.stderr)")
    let resumed = try await AllotRunner.run(
      ["submit", "--concurrency", "4", "--request-timeout", "1"], environment: back, directory: dir,
      timeout: 120)
    #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
    let after = try await counts(back, dir)
    #expect(after["succeeded"] == Self.rows, "\(after)")

    let listed = try await SandboxAllocations.all(
      baseURL: try #require(second.settings["MAGNA_BASE_URL"]),
      token: try #require(second.settings["MAGNA_API_TOKEN"]), tokenId: tokenId)
    let refs = SandboxAllocations.references(listed)
    #expect(refs.count == listed.count)
    #expect(Set(refs).count == refs.count, "a row was created twice")
    #expect(listed.count == Self.rows)
  }

  private func counts(_ env: [String: String], _ dir: String) async throws -> [String: Int] {
    let status = try await AllotRunner.run(["status", "--format", "json"], environment: env, directory: dir)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
    let batch = try #require((json["batches"] as? [[String: Any]])?.first)
    return try #require(batch["counts"] as? [String: Int])
  }
}
