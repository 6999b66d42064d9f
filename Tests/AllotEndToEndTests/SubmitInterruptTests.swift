import AllotCore
import AllotStore
import AllotTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ctrl-C on the built binary (issue 3 §4): the first stops starting requests and lets those in flight
/// finish; a second aborts them, and the next `allot submit` settles those rows without a duplicate. And a
/// second `allot submit` (or an `allot resolve`) on the same database while one runs is refused.
@Suite(.serialized) struct SubmitInterruptTests {
  static let rows = 12

  /// A sandbox whose every answer takes `latencyMs`, a sheet of `rows` rows imported, and the environment.
  func prepare(latencyMs: Int) async throws -> (SandboxProcess, [String: String], tokenId: String) {
    let sandbox = try await SandboxProcess.start(arguments: ["--latency-ms", "\(latencyMs)"])
    let s = sandbox.settings
    let tokenId = try #require(s["SANDBOX_TOKEN_ID"])
    let contract = try #require(s["SANDBOX_CONTRACT_IDS"]?.split(separator: ",").first.map(String.init))
    let schedule = try #require(s["SANDBOX_SCHEDULE_IDS"]?.split(separator: ",").first.map(String.init))
    let dir = try AllotRunner.temporaryDirectory()
    var text = "Stakeholder Name,Stakeholder Email,Amount,Category,Contract ID,Token ID,Unlock Schedule ID\n"
    for i in 0..<Self.rows {
      text += "Holder \(i),holder\(i)@example.org,\(100 + i),Team,\(contract),\(tokenId),\(schedule)\n"
    }
    try text.write(toFile: dir + "/grants.csv", atomically: true, encoding: .utf8)
    var env = sandbox.environment
    env["ALLOT_DB"] = dir + "/allot.sqlite"
    let imported = try await AllotRunner.run(["import", dir + "/grants.csv"], environment: env)
    #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
    return (sandbox, env, tokenId)
  }

  func counts(_ env: [String: String]) async throws -> [String: Int] {
    let status = try await AllotRunner.run(["status", "--format", "json"], environment: env)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
    return try #require((json["batches"] as? [[String: Any]])?.first?["counts"] as? [String: Int])
  }

  /// The sandbox's allocations of the token.
  func listed(_ env: [String: String], tokenId: String) async throws -> [ListedAllocation] {
    try await SandboxAllocations.all(
      baseURL: try #require(env["MAGNA_BASE_URL"]), token: try #require(env["MAGNA_API_TOKEN"]),
      tokenId: tokenId)
  }

  /// A running `allot submit` and the file its output goes to.
  struct RunningSubmit {
    let process: Process
    let output: String

    /// Waits for the process to end; what it printed.
    func ended() async -> String {
      let p = process
      await offPool { p.waitUntilExit() }
      return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
  }

  /// Starts `allot submit`, and returns once its first requests have left (rows marked `in_flight`, then a
  /// moment for the requests to go out).
  func startSubmit(_ env: [String: String]) async throws -> RunningSubmit {
    let output = try AllotRunner.temporaryDirectory() + "/submit.out"
    let p = try AllotRunner.start(
      ["submit", "--concurrency", "3", "--request-timeout", "30"], environment: env, output: output)
    let started = ContinuousClock.now
    while try await counts(env)["in_flight", default: 0] == 0, ContinuousClock.now - started < .seconds(60) {
      try await Task.sleep(for: .milliseconds(50))
    }
    try await Task.sleep(for: .milliseconds(300))
    return RunningSubmit(process: p, output: output)
  }

  @Test func firstCtrlCFinishesTheRequestsInFlightAndSendsNoMore() async throws {
    // Answers slow enough that the first requests are still out when the Ctrl-C comes, even when a loaded
    // machine is slow to see them leave (at 1.5 s, one run under the whole suite saw a second round).
    let (sandbox, env, tokenId) = try await prepare(latencyMs: 3000)
    defer { sandbox.stop() }
    let run = try await startSubmit(env)
    let p = run.process
    kill(p.processIdentifier, SIGINT)
    let printed = await run.ended()
    #expect(p.terminationStatus == 1, "\(printed)")
    #expect(printed.contains("Stopped on request"), "\(printed)")
    let c = try await counts(env)
    let created = c["succeeded", default: 0]
    #expect((1...3).contains(created), "the requests in flight finish, none start: \(c)")
    #expect(c["pending", default: 0] == Self.rows - created, "rows marked ahead go back to pending: \(c)")
    #expect(c["in_flight", default: 0] == 0 && c["unknown", default: 0] == 0, "\(c)")
    let listed = try await listed(env, tokenId: tokenId)
    #expect(listed.count == created)
  }

  @Test func secondCtrlCAbortsAndTheNextRunSettlesThoseRowsOnce() async throws {
    let (sandbox, env, tokenId) = try await prepare(latencyMs: 4000)
    defer { sandbox.stop() }
    let run = try await startSubmit(env)
    let p = run.process
    kill(p.processIdentifier, SIGINT)
    try await Task.sleep(for: .milliseconds(100))
    let abortedAt = ContinuousClock.now
    kill(p.processIdentifier, SIGINT)
    let printed = await run.ended()
    #expect(
      ContinuousClock.now - abortedAt < .seconds(3), "aborting does not wait for the answers: \(printed)")
    #expect(p.terminationStatus == 1, "\(printed)")
    #expect(printed.contains("Aborted"), "\(printed)")
    // The aborted requests are recorded as uncertain (to verify), the rows marked ahead go back to pending.
    let c = try await counts(env)
    let aborted = c["unknown", default: 0] + c["in_flight", default: 0]
    #expect((1...3).contains(aborted), "\(c)")
    #expect(c["in_flight", default: 0] == 0, "\(c)")
    #expect(c["pending", default: 0] == Self.rows - aborted, "\(c)")
    #expect(c["succeeded", default: 0] == 0, "\(c)")

    // The next run checks those rows first, sends the rest, and nothing is created twice.
    let resumed = try await AllotRunner.run(
      ["submit", "--concurrency", "4", "--request-timeout", "5"], environment: env, timeout: 300)
    #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
    let after = try await counts(env)
    #expect(after["succeeded", default: 0] == Self.rows, "\(after)")
    let listed = try await listed(env, tokenId: tokenId)
    let refs = SandboxAllocations.references(listed)
    #expect(listed.count == Self.rows)
    #expect(Set(refs).count == Self.rows, "a row was created twice")
  }

  @Test func aSecondSubmitOnTheSameDatabaseIsRefusedWhileOneRuns() async throws {
    let (sandbox, env, tokenId) = try await prepare(latencyMs: 1000)
    defer { sandbox.stop() }
    let run = try await startSubmit(env)
    let first = run.process
    let second = try await AllotRunner.run(["submit", "--concurrency", "3"], environment: env)
    #expect(second.status == 2, "\(second.stdout)\(second.stderr)")
    #expect(second.stderr.contains("Another `allot submit` or `allot resolve` is working on this database"))
    let resolve = try await AllotRunner.run(["resolve", "1:2", "--not-created"], environment: env)
    #expect(resolve.status == 2, "\(resolve.stdout)\(resolve.stderr)")
    let printed = await run.ended()
    #expect(first.terminationStatus == 0, "the first run is undisturbed: \(printed)")
    #expect(try await counts(env)["succeeded", default: 0] == Self.rows)
    let listed = try await listed(env, tokenId: tokenId)
    #expect(listed.count == Self.rows)
    // Once it has ended, the next run may start (and finds nothing to send).
    let after = try await AllotRunner.run(["submit"], environment: env)
    #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
  }

  /// Another process holding the database for longer than the usual busy timeout (10 s), as an import of
  /// a large sheet does: the run's commits wait for it instead of stopping, and the batch it staged is
  /// left for the next run.
  @Test func aLongImportMeanwhileMakesTheRunWaitNotStop() async throws {
    let (sandbox, env, tokenId) = try await prepare(latencyMs: 200)
    defer { sandbox.stop() }
    let run = try await startSubmit(env)
    let p = run.process
    let path = try #require(env["ALLOT_DB"])
    let imported = try await offPool { () throws -> ImportSummary in
      let db = try AllotDatabase(path: path)
      return try db.importBatch(
        NewBatch(fileName: "later.csv", fileSHA256: "00", sheet: nil, mappingJSON: nil, optionsJSON: "{}")
      ) { stager in
        Thread.sleep(forTimeInterval: 12)
        try stager.addValid(
          sourceRow: 2, payload: Array(#"{"amount":"1"}"#.utf8), fingerprint: "later", tokenId: tokenId,
          walletAddress: nil)
      }
    }
    #expect(imported.pending == 1)
    let printed = await run.ended()
    // Exit 1: the later batch's row is still pending (the contract: 0 only when every row is settled).
    #expect(p.terminationStatus == 1, "\(printed)")
    #expect(!printed.contains("busy"), "\(printed)")
    let c = try await counts(env)
    #expect(c["succeeded", default: 0] == Self.rows, "\(c)")
    #expect(try await listed(env, tokenId: tokenId).count == Self.rows)
    let status = try await AllotRunner.run(["status", "--format", "json"], environment: env)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
    let later = (json["batches"] as? [[String: Any]])?.last?["counts"] as? [String: Int]
    #expect(later?["pending"] == 1, "the later batch waits for the next run: \(json)")
  }
}
