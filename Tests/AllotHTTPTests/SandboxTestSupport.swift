import AllotCore
import AllotHTTP
import AllotSandbox
import Foundation

/// Helpers shared by the client-against-sandbox tests.
enum Fixture {
  static func magnaConfiguration(
    _ info: SandboxInfo, token: String? = nil, timeout: Duration = .seconds(60)
  ) throws -> MagnaClientConfiguration {
    try MagnaClientConfiguration(
      baseURL: info.magnaBaseURL, token: APISecret(token ?? info.magnaAPIToken), requestTimeout: timeout,
      connectTimeout: .seconds(2))
  }

  static func request(
    _ info: SandboxInfo, amount: String = "1000.50", email: String? = "ada@example.com",
    wallet: String? = "0x52908400098527886E0F7030069857D2E4169EE7", reference: String? = nil,
    contractId: String? = nil, tokenId: String? = nil, scheduleId: String?? = .none,
    description: String? = nil
  ) -> AllocationRequest {
    let schedule: String? =
      switch scheduleId {
      case .none: info.scheduleIds.first
      case .some(let value): value
      }
    return AllocationRequest(
      amount: amount, contractId: contractId ?? info.contractIds[0], tokenId: tokenId ?? info.tokenId,
      category: "Team", stakeholder: .init(name: "Ada Lovelace", email: email), description: description,
      unlockScheduleId: schedule, unlockStartAt: "2025-01-01",
      customAttributes: reference.map { [.init(key: RowReference.attributeKey, value: $0)] },
      walletAddress: wallet)
  }

  static func body(_ request: AllocationRequest) throws -> [UInt8] {
    Array(try JSONEncoder().encode(request))
  }

  /// Wallets that differ per index (valid EVM shape).
  static func wallet(_ index: Int) -> String {
    let hex = String(index, radix: 16)
    return "0x" + String(repeating: "a", count: 40 - hex.count) + hex
  }
}

extension CreateOutcome {
  var createdId: String? {
    if case .created(let id, _) = self { return id }
    return nil
  }
}
