/// The seeded world: one project with a token, 2 contracts and 3 schedules, and a second project whose
/// credentials must be refused for the first one's token. Everything derives from the seed.
struct SandboxProject: Sendable, Hashable {
  struct Contract: Sendable, Hashable, Codable {
    var id: String
    var name: String
    var type: String
    var address: String
    var balance: String
    var createdAt: String
  }

  struct Schedule: Sendable, Hashable, Codable {
    struct Cliff: Sendable, Hashable, Codable {
      var value: Int
      var duration: Int
      var period: String
    }
    var id: String
    var key: String
    var name: String
    var unlockAtStart: String
    var cliff: Cliff
    var roundingMode: String
    var createdAt: String
  }

  struct Project: Sendable, Hashable {
    var projectId: String
    var apiToken: String
    var tokenId: String
    var contracts: [Contract]
    var schedules: [Schedule]
  }

  var main: Project
  var other: Project
  var magmaAPIKey: String
  var organizationId: String
  var tokenSymbol = "USDC"
  var network = "polygon"

  static let createdAt = "2025-01-01T00:00:00.000Z"

  init(seed: UInt64) {
    func project(_ label: String, contracts: Int, schedules: Int) -> Project {
      let contractList = (0..<contracts).map { i in
        Contract(
          id: SeededID.uuid(seed, "\(label).contract", i),
          name: "\(label == "main" ? "Vesting" : "Other") contract \(i + 1)",
          type: "VESTING", address: "0x" + SeededID.hex(seed, "\(label).contract.address", i, count: 40),
          balance: "100000000", createdAt: Self.createdAt)
      }
      let names = ["Immediate", "12 months linear, 3 month cliff", "48 months linear, 12 month cliff"]
      let scheduleList = (0..<schedules).map { i in
        var random = SeededRandom(seed: seed, label: "\(label).schedule.key", index: i)
        return Schedule(
          id: SeededID.uuid(seed, "\(label).schedule", i), key: "S-" + random.code(10),
          name: names[i % names.count], unlockAtStart: i == 0 ? "1" : "0",
          cliff: .init(value: i * 3, duration: i * 3, period: "MONTH"), roundingMode: "DOWN",
          createdAt: Self.createdAt)
      }
      return Project(
        projectId: SeededID.uuid(seed, "\(label).project"),
        apiToken: "sbx_magna_\(label)_" + SeededID.hex(seed, "\(label).apiToken", 0, count: 32),
        tokenId: SeededID.uuid(seed, "\(label).token"), contracts: contractList, schedules: scheduleList)
    }
    main = project("main", contracts: 2, schedules: 3)
    other = project("other", contracts: 1, schedules: 1)
    magmaAPIKey = "sbx_magma_" + SeededID.hex(seed, "magma.apiKey", 0, count: 32)
    organizationId = SeededID.uuid(seed, "magma.organization")
  }

  /// The project an API token belongs to.
  func project(forAPIToken token: String) -> Project? {
    if token == main.apiToken { return main }
    if token == other.apiToken { return other }
    return nil
  }

  /// The project a token id belongs to.
  func project(forTokenId tokenId: String) -> Project? {
    if tokenId == main.tokenId { return main }
    if tokenId == other.tokenId { return other }
    return nil
  }
}

/// What a started sandbox tells its user: where it listens and the seeded credentials and ids.
public struct SandboxInfo: Sendable, Hashable {
  /// The bound port.
  public var port: Int
  /// `http://127.0.0.1:PORT/api/external/v1`, for `MAGNA_BASE_URL`.
  public var magnaBaseURL: String
  /// For `MAGNA_API_TOKEN`.
  public var magnaAPIToken: String
  /// `http://127.0.0.1:PORT/api`, for `MAGMA_BASE_URL`.
  public var magmaBaseURL: String
  /// For `MAGMA_API_KEY` (also accepted as `Authorization: Bearer`, i.e. `MAGMA_TOKEN`).
  public var magmaAPIKey: String
  public var projectId: String
  public var tokenId: String
  public var contractIds: [String]
  public var scheduleIds: [String]
  /// Currency and network of the seeded token's payouts in the Magma emulation.
  public var tokenSymbol: String
  public var network: String
  /// A second project: its API token must be refused (401) for ``tokenId``.
  public var otherProjectAPIToken: String
  public var otherProjectTokenId: String
  public var otherProjectContractId: String
  public var otherProjectScheduleId: String

  init(port: Int, host: String, project: SandboxProject) {
    self.port = port
    let root = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/api"
    magnaBaseURL = root + "/external/v1"
    magmaBaseURL = root
    magnaAPIToken = project.main.apiToken
    magmaAPIKey = project.magmaAPIKey
    projectId = project.main.projectId
    tokenId = project.main.tokenId
    contractIds = project.main.contracts.map(\.id)
    scheduleIds = project.main.schedules.map(\.id)
    tokenSymbol = project.tokenSymbol
    network = project.network
    otherProjectAPIToken = project.other.apiToken
    otherProjectTokenId = project.other.tokenId
    otherProjectContractId = project.other.contracts.first?.id ?? ""
    otherProjectScheduleId = project.other.schedules.first?.id ?? ""
  }

  /// `NAME=value` lines, printed by `allot sandbox` on start (ready to paste into a shell, or to parse):
  /// `MAGNA_BASE_URL`, `MAGNA_API_TOKEN`, `MAGMA_BASE_URL`, `MAGMA_API_KEY`, `SANDBOX_PORT`,
  /// `SANDBOX_PROJECT_ID`, `SANDBOX_TOKEN_ID`, `SANDBOX_CONTRACT_IDS` and `SANDBOX_SCHEDULE_IDS`
  /// (comma-separated), `SANDBOX_TOKEN_SYMBOL`, `SANDBOX_NETWORK`, `SANDBOX_OTHER_API_TOKEN`,
  /// `SANDBOX_OTHER_TOKEN_ID`, `SANDBOX_OTHER_CONTRACT_ID`, `SANDBOX_OTHER_SCHEDULE_ID`.
  public var environmentLines: [String] {
    [
      "MAGNA_BASE_URL=\(magnaBaseURL)",
      "MAGNA_API_TOKEN=\(magnaAPIToken)",
      "MAGMA_BASE_URL=\(magmaBaseURL)",
      "MAGMA_API_KEY=\(magmaAPIKey)",
      "SANDBOX_PORT=\(port)",
      "SANDBOX_PROJECT_ID=\(projectId)",
      "SANDBOX_TOKEN_ID=\(tokenId)",
      "SANDBOX_CONTRACT_IDS=\(contractIds.joined(separator: ","))",
      "SANDBOX_SCHEDULE_IDS=\(scheduleIds.joined(separator: ","))",
      "SANDBOX_TOKEN_SYMBOL=\(tokenSymbol)",
      "SANDBOX_NETWORK=\(network)",
      "SANDBOX_OTHER_API_TOKEN=\(otherProjectAPIToken)",
      "SANDBOX_OTHER_TOKEN_ID=\(otherProjectTokenId)",
      "SANDBOX_OTHER_CONTRACT_ID=\(otherProjectContractId)",
      "SANDBOX_OTHER_SCHEDULE_ID=\(otherProjectScheduleId)",
    ]
  }
}
