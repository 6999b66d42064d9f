import AllotCore
import AllotHTTP
import AllotSandbox
import Foundation
import Testing

@Suite("Magna client against the sandbox")
struct MagnaClientSandboxTests {
  @Test func createsAnAllocationAndListsIt() async throws {
    try await withSandbox { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let outcome = await client.createAllocation(
          body: try Fixture.body(Fixture.request(info, reference: "allot:1:2:abc")))
        guard case .created(let id, let key) = outcome else {
          Issue.record("expected created, got \(outcome)")
          return
        }
        #expect(key.hasPrefix("A-"))
        let page = try await client.listAllocations(
          tokenId: info.tokenId, walletAddress: nil, cursor: nil, limit: 10)
        #expect(page.items.map(\.id) == [id])
        #expect(page.total == 1)
        let listed = try #require(page.items.first)
        #expect(listed.amount == "1000.5")
        #expect(RowReference.matches(listed, reference: "allot:1:2:abc"))
      }
    }
  }

  /// Started (the engine's way), the same request is created, its answer redacted and classified alike.
  @Test func aStartedCreateIsCreated() async throws {
    try await withSandbox { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let body = try Fixture.body(Fixture.request(info, reference: "allot:1:3:def"))
        let outcome = await withCheckedContinuation { (c: CheckedContinuation<CreateOutcome, Never>) in
          _ = client.startCreateAllocation(body: body) { c.resume(returning: $0) }
        }
        guard case .created(let id, _) = outcome else {
          Issue.record("expected created, got \(outcome)")
          return
        }
        let page = try await client.listAllocations(
          tokenId: info.tokenId, walletAddress: nil, cursor: nil, limit: 10)
        #expect(page.items.map(\.id) == [id])
      }
    }
  }

  @Test func validationErrorsAreRejectedWithMagnasMessage() async throws {
    try await withSandbox { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        // No schedule at all → 400.
        let noSchedule = await client.createAllocation(
          body: try Fixture.body(Fixture.request(info, scheduleId: .some(nil))))
        guard case .rejected(400, let type, let message) = noSchedule else {
          Issue.record("expected 400, got \(noSchedule)")
          return
        }
        #expect(type == "ValidationError")
        #expect(message.contains("unlockScheduleId or vestingScheduleId"))
        // Bad email and negative amount → 422.
        let badEmail = await client.createAllocation(
          body: try Fixture.body(Fixture.request(info, email: "not-an-email")))
        #expect({ if case .rejected(422, _, _) = badEmail { true } else { false } }())
        let negative = await client.createAllocation(
          body: try Fixture.body(Fixture.request(info, amount: "-5")))
        #expect({ if case .rejected(422, _, _) = negative { true } else { false } }())
        // Not a UUID → 400; unknown contract / schedule → 404.
        let notUUID = await client.createAllocation(
          body: try Fixture.body(Fixture.request(info, contractId: "c-1")))
        #expect({ if case .rejected(400, _, _) = notUUID { true } else { false } }())
        let unknownContract = await client.createAllocation(
          body: try Fixture.body(Fixture.request(info, contractId: "00000000-0000-4000-8000-000000000000")))
        #expect({ if case .rejected(404, "NotFoundError", _) = unknownContract { true } else { false } }())
        let unknownSchedule = await client.createAllocation(
          body: try Fixture.body(
            Fixture.request(info, scheduleId: .some("00000000-0000-4000-8000-000000000001"))))
        #expect({ if case .rejected(404, _, _) = unknownSchedule { true } else { false } }())
        // Not JSON at all → 400.
        let garbage = await client.createAllocation(body: Array("{not json".utf8))
        #expect({ if case .rejected(400, _, _) = garbage { true } else { false } }())
        let page = try await client.listAllocations(
          tokenId: info.tokenId, walletAddress: nil, cursor: nil, limit: 10)
        #expect(page.items.isEmpty)
      }
    }
  }

  @Test func anotherProjectsTokenIsUnauthorized() async throws {
    try await withSandbox { (info: SandboxInfo) in
      let other = try Fixture.magnaConfiguration(info, token: info.otherProjectAPIToken)
      try await withMagnaClient(other) { client in
        let outcome = await client.createAllocation(body: try Fixture.body(Fixture.request(info)))
        guard case .unauthorized(401, _, let message) = outcome else {
          Issue.record("expected 401, got \(outcome)")
          return
        }
        #expect(message == "Invalid API key for project")
        #expect(!message.contains(info.otherProjectAPIToken))
        await #expect(throws: MagnaError.self) {
          _ = try await client.listAllocations(
            tokenId: info.tokenId, walletAddress: nil, cursor: nil, limit: 5)
        }
      }
      try await withMagnaClient(try Fixture.magnaConfiguration(info, token: "wrong-token")) { client in
        let outcome = await client.createAllocation(body: try Fixture.body(Fixture.request(info)))
        #expect({ if case .unauthorized(401, _, _) = outcome { true } else { false } }())
        do {
          _ = try await client.contractIds(tokenId: info.tokenId)
          Issue.record("expected an authorization error")
        } catch let error as MagnaError {
          #expect(error.isAuthorization)
          #expect(!error.description.contains("wrong-token"))
        }
      }
    }
  }

  @Test func bodyOverOneMegabyteIs413() async throws {
    try await withSandbox { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let huge = String(repeating: "x", count: 1_100_000)
        let outcome = await client.createAllocation(
          body: try Fixture.body(Fixture.request(info, description: huge)))
        guard case .rejected(413, let type, _) = outcome else {
          Issue.record("expected 413, got \(outcome)")
          return
        }
        #expect(type == "PayloadTooLargeError")
      }
    }
  }

  @Test func rateLimitedHonoursRetryAfterSecondsAndDates() async throws {
    try await withSandbox(SandboxConfiguration(forcedFault: .rateLimit)) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let outcome = await client.createAllocation(body: try Fixture.body(Fixture.request(info)))
        #expect(outcome == .rateLimited(retryAfterSeconds: 1))
      }
    }
    try await withSandbox(SandboxConfiguration(forcedFault: .rateLimitDate)) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let outcome = await client.createAllocation(body: try Fixture.body(Fixture.request(info)))
        guard case .rateLimited(let seconds?) = outcome else {
          Issue.record("expected 429 with a date, got \(outcome)")
          return
        }
        #expect(seconds >= 0 && seconds <= 3)
      }
    }
    // The real limiter: 2 requests per 1-second window, 6 sent at once (concurrently, so that they land
    // in one or two windows however slow the machine is: sent one after another, a loaded machine could
    // space them more than half a second apart and none would be limited).
    try await withSandbox(SandboxConfiguration(rateLimit: 2)) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let body = try Fixture.body(Fixture.request(info))
        let outcomes = await withTaskGroup(of: CreateOutcome.self) { group in
          for _ in 0..<6 { group.addTask { await client.createAllocation(body: body) } }
          return await group.reduce(into: [CreateOutcome]()) { $0.append($1) }
        }
        var limited = 0
        var created = 0
        for outcome in outcomes {
          switch outcome {
          case .rateLimited(let seconds):
            limited += 1
            #expect(seconds == 1)
          case .created: created += 1
          default: Issue.record("unexpected outcome \(outcome)")
          }
        }
        #expect(limited >= 1, "\(outcomes)")
        #expect(created >= 2, "\(outcomes)")
      }
    }
  }

  @Test func droppedConnectionAfterCommitIsUncertainAndTheAllocationExists() async throws {
    try await withSandbox(SandboxConfiguration(dropAfterCommitRate: 1)) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let outcome = await client.createAllocation(
          body: try Fixture.body(Fixture.request(info, reference: "allot:9:1:dead")))
        guard case .uncertain(nil, let reason) = outcome else {
          Issue.record("expected uncertain without status, got \(outcome)")
          return
        }
        #expect(reason.contains("closed") || reason.contains("reset"))
        let all = try await client.allAllocations(tokenId: info.tokenId)
        #expect(all.contains { RowReference.matches($0, reference: "allot:9:1:dead") })
      }
    }
  }

  @Test func serverErrorAfterCommitIsUncertainAndTheAllocationExists() async throws {
    try await withSandbox(SandboxConfiguration(forcedFault: .errorAfterCommit)) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let wallet = Fixture.wallet(7)
        let outcome = await client.createAllocation(
          body: try Fixture.body(Fixture.request(info, wallet: wallet, reference: "allot:9:2:beef")))
        guard case .uncertain(500?, _) = outcome else {
          Issue.record("expected uncertain 500, got \(outcome)")
          return
        }
        let page = try await client.listAllocations(
          tokenId: info.tokenId, walletAddress: wallet, cursor: nil, limit: 10)
        #expect(page.items.count == 1)
        #expect(page.items.contains { RowReference.matches($0, reference: "allot:9:2:beef") })
      }
    }
  }

  @Test func unavailableMeansNothingWasDone() async throws {
    try await withSandbox(SandboxConfiguration(forcedFault: .unavailable)) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let outcome = await client.createAllocation(body: try Fixture.body(Fixture.request(info)))
        #expect(outcome == .unavailable(retryAfterSeconds: 1))
        #expect(try await client.allAllocations(tokenId: info.tokenId).isEmpty)
      }
    }
    try await withSandbox(SandboxConfiguration(forcedFault: .errorBeforeCommit)) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let outcome = await client.createAllocation(body: try Fixture.body(Fixture.request(info)))
        #expect({ if case .uncertain(500?, _) = outcome { true } else { false } }())
      }
    }
  }

  @Test func htmlBadGatewayPageIsSurvived() async throws {
    try await withSandbox(SandboxConfiguration(forcedFault: .html502)) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let outcome = await client.createAllocation(body: try Fixture.body(Fixture.request(info)))
        guard case .uncertain(502?, let reason) = outcome else {
          Issue.record("expected uncertain 502, got \(outcome)")
          return
        }
        #expect(reason.contains("502 Bad Gateway"))
        #expect(reason.count < 260)
        #expect(!reason.contains("\n"))
        do {
          _ = try await client.scheduleIds(tokenId: info.tokenId)
          Issue.record("expected an error")
        } catch let error as MagnaError {
          #expect(error.status == 502)
        }
      }
    }
  }

  @Test func connectionRefusedIsNotSent() async throws {
    // Find a port nobody listens on: start a sandbox, note its port, stop it.
    let port = try await withSandbox { (info: SandboxInfo) in info.port }
    let configuration = try MagnaClientConfiguration(
      baseURL: "http://127.0.0.1:\(port)/api/external/v1", token: APISecret("secret-token-xyz"),
      requestTimeout: .seconds(5), connectTimeout: .seconds(2))
    try await withMagnaClient(configuration) { client in
      let outcome = await client.createAllocation(body: Array("{}".utf8))
      guard case .notSent(let reason) = outcome else {
        Issue.record("expected notSent, got \(outcome)")
        return
      }
      #expect(!reason.contains("secret-token-xyz"))
    }
  }

  @Test func readTimeoutAfterSendIsUncertain() async throws {
    try await withSandbox(SandboxConfiguration(latencyMs: 1500)) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info, timeout: .milliseconds(300))) { client in
        let outcome = await client.createAllocation(body: try Fixture.body(Fixture.request(info)))
        #expect({ if case .uncertain(nil, _) = outcome { true } else { false } }(), "got \(outcome)")
      }
    }
  }

  @Test func listPagingFollowsTheCursor() async throws {
    try await withSandbox { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        var created: [String] = []
        for i in 0..<7 {
          let wallet = i < 5 ? Fixture.wallet(1) : Fixture.wallet(2)
          let outcome = await client.createAllocation(
            body: try Fixture.body(
              Fixture.request(info, amount: "\(i + 1)", wallet: wallet, reference: "r\(i)")))
          created.append(try #require(outcome.createdId))
        }
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
          let page = try await client.listAllocations(
            tokenId: info.tokenId, walletAddress: nil, cursor: cursor, limit: 3)
          #expect(page.total == 7)
          seen += page.items.map(\.id)
          cursor = page.cursor
          pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == created)
        #expect(try await client.allAllocations(tokenId: info.tokenId, pageSize: 2).map(\.id) == created)
        // Wallet filter, case-insensitive for EVM addresses.
        let wallet1 = try await client.allAllocations(
          tokenId: info.tokenId,
          walletAddress: Fixture.wallet(1).uppercased().replacingOccurrences(of: "0X", with: "0x"))
        #expect(wallet1.count == 5)
        #expect(try await client.contractIds(tokenId: info.tokenId) == Set(info.contractIds))
        #expect(try await client.scheduleIds(tokenId: info.tokenId) == Set(info.scheduleIds))
      }
    }
  }

  @Test func stateFileSurvivesARestart() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "allot-sandbox-\(UUID().uuidString).json"
    ).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let configuration = SandboxConfiguration(seed: 42, stateFile: path)
    let first = try await withSandbox(configuration) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        await client.createAllocation(body: try Fixture.body(Fixture.request(info))).createdId
      }
    }
    let id = try #require(first)
    try await withSandbox(configuration) { (info: SandboxInfo) in
      try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
        let second = try #require(
          await client.createAllocation(body: try Fixture.body(Fixture.request(info))).createdId)
        let all = try await client.allAllocations(tokenId: info.tokenId).map(\.id)
        #expect(all == [id, second])
      }
    }
  }

  @Test func seedMakesIdsDeterministic() async throws {
    func run() async throws -> (SandboxInfo, String?) {
      try await withSandbox(SandboxConfiguration(seed: 7)) { (info: SandboxInfo) in
        let id = try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
          await client.createAllocation(body: try Fixture.body(Fixture.request(info))).createdId
        }
        return (info, id)
      }
    }
    let (a, idA) = try await run()
    let (b, idB) = try await run()
    #expect(a.tokenId == b.tokenId && a.contractIds == b.contractIds && a.scheduleIds == b.scheduleIds)
    #expect(a.magnaAPIToken == b.magnaAPIToken)
    #expect(idA != nil && idA == idB)
    #expect(a.contractIds.count == 2 && a.scheduleIds.count == 3)
  }
}
