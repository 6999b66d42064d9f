/// The body of Magna's `POST /allocations/create`, as allot sends it.
///
/// Optional fields are omitted when absent. `jsonBody()` writes the exact bytes that are sent, with keys
/// in a fixed order, so the same row always produces the same body and fingerprint.
public struct AllocationRequest: Sendable, Hashable, Codable {
  public struct Stakeholder: Sendable, Hashable, Codable {
    public var name: String?
    public var email: String?
    public var xHandle: String?
    public var employeeNumber: String?
    public init(
      name: String? = nil, email: String? = nil, xHandle: String? = nil, employeeNumber: String? = nil
    ) {
      self.name = name
      self.email = email
      self.xHandle = xHandle
      self.employeeNumber = employeeNumber
    }
  }

  public struct Attribute: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
      self.key = key
      self.value = value
    }
  }

  /// Exact decimal text.
  public var amount: String
  public var contractId: String
  public var tokenId: String
  public var category: String
  public var stakeholder: Stakeholder
  public var description: String?
  public var unlockScheduleId: String?
  public var unlockStartAt: String?
  public var vestingScheduleId: String?
  public var vestingStartAt: String?
  public var releaseMode: String?
  public var receivedOffMagna: String?
  public var cancellable: Bool?
  public var customAttributes: [Attribute]?
  public var walletAddress: String?

  public init(
    amount: String, contractId: String, tokenId: String, category: String, stakeholder: Stakeholder,
    description: String? = nil, unlockScheduleId: String? = nil, unlockStartAt: String? = nil,
    vestingScheduleId: String? = nil, vestingStartAt: String? = nil, releaseMode: String? = nil,
    receivedOffMagna: String? = nil, cancellable: Bool? = nil, customAttributes: [Attribute]? = nil,
    walletAddress: String? = nil
  ) {
    self.amount = amount
    self.contractId = contractId
    self.tokenId = tokenId
    self.category = category
    self.stakeholder = stakeholder
    self.description = description
    self.unlockScheduleId = unlockScheduleId
    self.unlockStartAt = unlockStartAt
    self.vestingScheduleId = vestingScheduleId
    self.vestingStartAt = vestingStartAt
    self.releaseMode = releaseMode
    self.receivedOffMagna = receivedOffMagna
    self.cancellable = cancellable
    self.customAttributes = customAttributes
    self.walletAddress = walletAddress
  }
}
