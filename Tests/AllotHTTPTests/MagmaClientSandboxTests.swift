import AllotCore
import AllotHTTP
import AllotSandbox
import Foundation
import Testing

@Suite("Magma client against the sandbox")
struct MagmaClientSandboxTests {
  /// Creates `count` allocations with distinct wallets in the sandbox.
  func seedAllocations(_ info: SandboxInfo, count: Int) async throws {
    try await withMagnaClient(try Fixture.magnaConfiguration(info)) { client in
      for i in 0..<count {
        let outcome = await client.createAllocation(
          body: try Fixture.body(
            Fixture.request(
              info, amount: "\(100 * (i + 1)).25", wallet: Fixture.wallet(i + 1),
              reference: "allot:1:\(i + 2):x")))
        #expect(outcome.createdId != nil)
      }
    }
  }

  func magma(_ info: SandboxInfo, bearer: Bool = false) throws -> MagmaClientConfiguration {
    let secret = APISecret(info.magmaAPIKey)
    return try MagmaClientConfiguration(
      baseURL: info.magmaBaseURL, credential: bearer ? .bearer(secret) : .apiKey(secret))
  }

  @Test func pagesThroughGeneratedTransactions() async throws {
    try await withSandbox(SandboxConfiguration(seed: 3)) { (info: SandboxInfo) in
      try await seedAllocations(info, count: 12)
      try await withMagmaClient(try magma(info)) { client in
        let first = try await client.transactionsPage(page: 1, pageSize: 5)
        #expect(first.page == 1 && first.pageSize == 5 && first.data.count == 5)
        // 12 payouts + 1 duplicate + 4 transactions matching no allocation.
        #expect(first.total == 17)
        let all = try await client.allTransactions(pageSize: 5)
        #expect(all.count == 17)
        #expect(Set(all.map(\.id)).count == 17)
        let single = try await client.allTransactions(pageSize: 100)
        #expect(single == all)
        let payouts = try await client.allTransactions(
          MagmaTransactionQuery(types: ["payout_crypto"]), pageSize: 4)
        #expect(payouts.count == 14)
        #expect(payouts.allSatisfy { $0.type == "payout_crypto" })
        let statuses = Set(payouts.compactMap(\.status))
        #expect(statuses == ["completed", "pending", "failed"])
        #expect(Set(payouts.compactMap(\.currency)) == ["USDC", "USDT"])
        #expect(Set(payouts.compactMap(\.network)) == ["polygon", "ethereum"])
        #expect(payouts.contains { $0.memo == "allot:1:2:x" })
        let pending = try await client.allTransactions(MagmaTransactionQuery(statuses: ["pending"]))
        #expect(pending.count == 1)
        let nonPayouts = try await client.allTransactions(
          MagmaTransactionQuery(types: ["fee", "deposit_crypto", "crypto_conversion"]))
        #expect(nonPayouts.count == 3)
        let core = try await client.allCoreTransactions(pageSize: 7)
        #expect(core.map(\.id) == all.map(\.id))
        #expect(core.filter { $0.isNonPayout }.count == 3)
        #expect(Set(core.map(\.statusClass)) == [.completed, .inFlight, .failed])
        let one = try await client.transaction(id: all[3].id)
        #expect(one == all[3])
        let csv = String(decoding: try await client.exportCSV(), as: UTF8.self)
        let lines = csv.split(separator: "\r\n")
        #expect(lines.first.map(String.init) == MagmaTransactionDTO.csvColumns.joined(separator: ","))
        #expect(lines.count == 18)
      }
      try await withMagmaClient(try magma(info, bearer: true)) { client in
        let page = try await client.transactionsPage(page: 1)
        #expect(page.total == 17)
      }
    }
  }

  @Test func generatedTransactionsAreDeterministic() async throws {
    func run() async throws -> [String] {
      try await withSandbox(SandboxConfiguration(seed: 11)) { (info: SandboxInfo) in
        try await seedAllocations(info, count: 9)
        return try await withMagmaClient(try magma(info)) { client in
          try await client.allTransactions().map {
            "\($0.id) \($0.amount ?? "") \($0.status ?? "") \($0.memo ?? "")"
          }
        }
      }
    }
    #expect(try await run() == (try await run()))
  }

  @Test func wrongKeyIsAnAuthorizationError() async throws {
    try await withSandbox { (info: SandboxInfo) in
      let configuration = try MagmaClientConfiguration(
        baseURL: info.magmaBaseURL, credential: .apiKey(APISecret("nope-key")))
      try await withMagmaClient(configuration) { client in
        do {
          _ = try await client.transactionsPage(page: 1)
          Issue.record("expected an error")
        } catch let error as MagmaError {
          #expect(error.isAuthorization)
          #expect(error.status == 401)
          #expect(!error.description.contains("nope-key"))
        }
      }
    }
  }

  @Test func environmentConfiguration() throws {
    let key = try MagmaClientConfiguration.fromEnvironment(["MAGMA_API_KEY": "k"])
    #expect(key.baseURL == "https://app.magma.builders/api")
    #expect(key.credential == .apiKey(APISecret("k")))
    let bearer = try MagmaClientConfiguration.fromEnvironment([
      "MAGMA_TOKEN": "t", "MAGMA_BASE_URL": "http://x/api",
    ])
    #expect(bearer.credential == .bearer(APISecret("t")))
    #expect(throws: HTTPConfigurationError.self) { try MagmaClientConfiguration.fromEnvironment([:]) }
    #expect(!"\(bearer)".contains("\"t\""))
  }
}
