/// A field of Magna's create-allocation body that a spreadsheet column can fill, named by its dotted
/// Magna path (`amount`, `stakeholder.email`), or a custom attribute (`attr:<key>` → `customAttributes`).
public enum AllocationField: Sendable, Hashable, CustomStringConvertible {
  case amount, contractId, tokenId, category, description
  case unlockScheduleId, unlockStartAt, vestingScheduleId, vestingStartAt
  case releaseMode, receivedOffMagna, cancellable, walletAddress
  case stakeholderName, stakeholderEmail, stakeholderXHandle, stakeholderEmployeeNumber
  /// A `customAttributes` entry with this key.
  case attribute(String)

  /// Every fixed field, in the order of the request body.
  public static let standard: [AllocationField] = [
    .amount, .contractId, .tokenId, .category, .stakeholderName, .stakeholderEmail, .stakeholderXHandle,
    .stakeholderEmployeeNumber, .description, .unlockScheduleId, .unlockStartAt, .vestingScheduleId,
    .vestingStartAt, .releaseMode, .receivedOffMagna, .cancellable, .walletAddress,
  ]

  /// Prefix of custom-attribute columns and mapping targets.
  public static let attributePrefix = "attr:"

  /// The Magna path (`stakeholder.email`) or `attr:<key>`.
  public var path: String {
    switch self {
    case .amount: "amount"
    case .contractId: "contractId"
    case .tokenId: "tokenId"
    case .category: "category"
    case .description: "description"
    case .unlockScheduleId: "unlockScheduleId"
    case .unlockStartAt: "unlockStartAt"
    case .vestingScheduleId: "vestingScheduleId"
    case .vestingStartAt: "vestingStartAt"
    case .releaseMode: "releaseMode"
    case .receivedOffMagna: "receivedOffMagna"
    case .cancellable: "cancellable"
    case .walletAddress: "walletAddress"
    case .stakeholderName: "stakeholder.name"
    case .stakeholderEmail: "stakeholder.email"
    case .stakeholderXHandle: "stakeholder.xHandle"
    case .stakeholderEmployeeNumber: "stakeholder.employeeNumber"
    case .attribute(let key): Self.attributePrefix + key
    }
  }

  public var description: String { path }

  /// How messages name the field ("Amount", "Unlock schedule ID").
  public var label: String {
    switch self {
    case .amount: "Amount"
    case .contractId: "Contract ID"
    case .tokenId: "Token ID"
    case .category: "Category"
    case .description: "Description"
    case .unlockScheduleId: "Unlock schedule ID"
    case .unlockStartAt: "Unlock start"
    case .vestingScheduleId: "Vesting schedule ID"
    case .vestingStartAt: "Vesting start"
    case .releaseMode: "Release mode"
    case .receivedOffMagna: "Received off Magna"
    case .cancellable: "Cancellable"
    case .walletAddress: "Wallet address"
    case .stakeholderName: "Name"
    case .stakeholderEmail: "Email"
    case .stakeholderXHandle: "X handle"
    case .stakeholderEmployeeNumber: "Employee number"
    case .attribute(let key): "Attribute \(key)"
    }
  }

  /// The first part of the field's issue codes (`amount.not_positive`, `email.invalid`).
  public var codePrefix: String {
    switch self {
    case .contractId, .tokenId, .unlockScheduleId, .vestingScheduleId: "uuid"
    case .unlockStartAt, .vestingStartAt: "date"
    case .stakeholderName: "name"
    case .stakeholderEmail: "email"
    case .stakeholderXHandle: "xHandle"
    case .stakeholderEmployeeNumber: "employeeNumber"
    case .walletAddress: "wallet"
    case .attribute: "attr"
    default: path
    }
  }

  /// The field named by a Magna path, its last component (`email`), or `attr:<key>`; nil otherwise.
  /// Case-sensitive for the key of an attribute, insensitive for the rest.
  public init?(path: String) {
    if path.utf8.count > Self.attributePrefix.utf8.count,
      path.lowercased().hasPrefix(Self.attributePrefix)
    {
      let key = String(path.dropFirst(Self.attributePrefix.count))
      let trimmed = TextScan.trimmed(key)
      guard !trimmed.isEmpty else { return nil }
      self = .attribute(trimmed)
      return
    }
    let wanted = path.lowercased()
    for field in Self.standard where field.path.lowercased() == wanted {
      self = field
      return
    }
    return nil
  }

  /// True for the UUID fields.
  var isUUID: Bool { codePrefix == "uuid" }
}
