import AllotCore
import AllotHTTP
import AllotSandbox
import Foundation
import Testing

@Suite("Sandbox throughput and state")
struct SandboxThroughputTests {
  /// 16 concurrent creates against 20 ms of latency, state persisted after each commit: every create
  /// lands exactly once. Throughput is measured by `scripts/bench` (a timed unit test would only be
  /// flaky on a busy machine), so the rate is printed, not asserted.
  @Test func concurrentCreatesWithLatency() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "allot-tp-\(UUID().uuidString).json"
    ).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let total = 160
    try await withSandbox(SandboxConfiguration(latencyMs: 20, stateFile: path)) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let body = try Fixture.body(Fixture.request(info))
        let clock = ContinuousClock()
        let start = clock.now
        let created = await withTaskGroup(of: Int.self) { group in
          for worker in 0..<16 {
            group.addTask {
              var count = 0
              for _ in stride(from: worker, to: total, by: 16) {
                if case .created = await client.createAllocation(body: body) { count += 1 }
              }
              return count
            }
          }
          return await group.reduce(0, +)
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(total) / seconds
        print("sandbox throughput: \(total) creates in \(String(format: "%.2f", seconds)) s = \(Int(rate))/s")
        #expect(created == total)
        #expect(try await client.allAllocations(tokenId: info.tokenId).count == total)
      }
    }
  }

  @Test func stateFileOfAnotherSeedIsRefused() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "allot-seed-\(UUID().uuidString).json"
    ).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try await withSandbox(SandboxConfiguration(seed: 1, stateFile: path)) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let body = try Fixture.body(Fixture.request(info))
        #expect(await client.createAllocation(body: body).createdId != nil)
      }
    }
    await #expect(throws: SandboxError.self) {
      try await withSandbox(SandboxConfiguration(seed: 2, stateFile: path)) { (_: SandboxInfo) in }
    }
  }

  @Test func missingFieldsAreOne400() async throws {
    try await withSandbox { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let outcome = await client.createAllocation(body: Array(#"{"amount":"0"}"#.utf8))
        guard case .rejected(400, "ValidationError", let message) = outcome else {
          Issue.record("expected 400, got \(outcome)")
          return
        }
        #expect(message == "Missing required fields: contractId, tokenId, category, stakeholder")
      }
    }
  }
}
