/// One allocation held by the sandbox, encoded as Magna's allocation resource.
struct SandboxAllocation: Sendable, Hashable, Codable {
  struct Stakeholder: Sendable, Hashable, Codable {
    var id: String
    var name: String?
    var email: String?
    var xHandle: String?
    var employeeNumber: String?
  }

  struct Attribute: Sendable, Hashable, Codable {
    var key: String
    var value: String
  }

  /// Creation order, from 1.
  var sequence: Int
  var id: String
  var key: String
  var amount: String
  var state: String
  var status: String
  var received: String
  var releasable: String
  var custodyType: String
  var projectId: String
  var tokenId: String
  var contractId: String
  var stakeholderId: String
  var stakeholder: Stakeholder
  var walletId: String?
  var walletAddress: String?
  var categoryId: String
  var category: String
  var description: String?
  var unlockScheduleId: String?
  var unlockStartAt: String?
  var vestingScheduleId: String?
  var vestingStartAt: String?
  var releaseMode: String?
  var receivedOffMagna: String?
  var cancellable: Bool
  var customAttributes: [Attribute]
  var createdAt: String
  var updatedAt: String
  var cancelledAt: String?
  /// Creation time in milliseconds since 1970 (for generated Magma timestamps).
  var createdAtMs: Int64

  /// The row reference allot attached (`allot_ref`), else nil.
  func attribute(_ name: String) -> String? {
    customAttributes.first { $0.key == name }?.value
  }
}

/// What `--state FILE` holds.
struct SandboxStateFile: Codable {
  var version: Int
  /// The seed the ids were derived from; a restart must use the same one.
  var seed: UInt64?
  var nextSequence: Int
  var allocations: [SandboxAllocation]
}
