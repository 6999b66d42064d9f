import AllotCore

/// A Magna-style refusal: HTTP status, error type and message.
struct MagnaFailure: Error, Sendable, Hashable {
  var status: Int
  var type: String
  var message: String

  static func validation(_ message: String) -> Self {
    Self(status: 400, type: "ValidationError", message: message)
  }
  static func unprocessable(_ message: String) -> Self {
    Self(status: 422, type: "UnprocessableEntityError", message: message)
  }
  static func notFound(_ message: String) -> Self {
    Self(status: 404, type: "NotFoundError", message: message)
  }
  static func unauthorized(_ message: String) -> Self {
    Self(status: 401, type: "UnauthorizedError", message: message)
  }
}

/// A create request that passed validation.
struct ValidCreate: Sendable {
  var amount: String
  var contractId: String
  var tokenId: String
  var category: String
  var stakeholder: SandboxAllocation.Stakeholder
  var description: String?
  var unlockScheduleId: String?
  var unlockStartAt: String?
  var vestingScheduleId: String?
  var vestingStartAt: String?
  var releaseMode: String?
  var receivedOffMagna: String?
  var cancellable: Bool
  var customAttributes: [SandboxAllocation.Attribute]
  var walletAddress: String?
}

/// Magna's server-side rules for `POST /allocations/create`, as documented (magna-api.md).
enum CreateAllocationValidator {
  static let releaseModes: Set<String> = ["LINEAR", "CLIFF", "IMMEDIATE"]

  /// Shape and value checks (400/422), then ownership against the project (401/404).
  static func validate(_ body: JSONValue, project: SandboxProject.Project, world: SandboxProject)
    throws(MagnaFailure) -> ValidCreate
  {
    guard let o = body.object else { throw .validation("Request body must be a JSON object") }

    func required(_ key: String) throws(MagnaFailure) -> JSONValue {
      guard let value = o[key], !value.isNull else { throw .validation("\(key) is required") }
      return value
    }
    func optionalString(_ key: String) throws(MagnaFailure) -> String? {
      guard let value = o[key], !value.isNull else { return nil }
      guard let text = value.string else { throw .validation("\(key) must be a string") }
      return text
    }
    func uuid(_ key: String, _ value: JSONValue?) throws(MagnaFailure) -> String? {
      guard let value, !value.isNull else { return nil }
      guard let text = value.string, isUUID(text) else { throw .validation("\(key) must be a valid UUID") }
      return text.lowercased()
    }
    func positiveDecimal(_ key: String, _ value: JSONValue) throws(MagnaFailure) -> String {
      let text: String
      switch value {
      case .string(let s): text = s.trimmingSpaces
      case .number(let n): text = n
      default: throw .validation("\(key) must be a positive decimal number")
      }
      guard let decimal = ExactDecimal(text), !text.hasPrefix("+") else {
        throw .validation("\(key) must be a positive decimal number")
      }
      guard decimal.isPositive else { throw .unprocessable("\(key) must be a positive decimal number") }
      return decimal.canonical
    }
    func isoDate(_ key: String) throws(MagnaFailure) -> String? {
      guard let text = try optionalString(key) else { return nil }
      guard isISO8601(text) else { throw .validation("\(key) must be an ISO 8601 date") }
      return text
    }

    // Presence first, like Magna: every missing required field is a 400 before any value check.
    let missing = ["amount", "contractId", "tokenId", "category", "stakeholder"].filter {
      (o[$0] ?? .null).isNull
    }
    if !missing.isEmpty {
      throw .validation(
        "Missing required field\(missing.count > 1 ? "s" : ""): \(missing.joined(separator: ", "))")
    }
    let amount = try positiveDecimal("amount", try required("amount"))
    guard let contractId = try uuid("contractId", try required("contractId")) else {
      throw .validation("contractId is required")
    }
    guard let tokenId = try uuid("tokenId", try required("tokenId")) else {
      throw .validation("tokenId is required")
    }
    guard let category = try required("category").string?.trimmingSpaces, !category.isEmpty else {
      throw .validation("category must be a non-empty string")
    }
    guard let stakeholderObject = try required("stakeholder").object else {
      throw .validation("stakeholder must be an object")
    }
    func stakeholderField(_ key: String) throws(MagnaFailure) -> String? {
      guard let value = stakeholderObject[key], !value.isNull else { return nil }
      guard let text = value.string else { throw .validation("stakeholder.\(key) must be a string") }
      return text
    }
    let name = try stakeholderField("name")
    let email = try stakeholderField("email")
    let xHandle = try stakeholderField("xHandle")
    let employeeNumber = try stakeholderField("employeeNumber")
    if let email, !isEmail(email) { throw .unprocessable("stakeholder.email must be a valid email address") }
    if [name, email, xHandle, employeeNumber].allSatisfy({ ($0 ?? "").isEmpty }) {
      throw .validation("stakeholder must have a name, email, xHandle or employeeNumber")
    }

    let description = try optionalString("description")
    let unlockScheduleId = try uuid("unlockScheduleId", o["unlockScheduleId"])
    let vestingScheduleId = try uuid("vestingScheduleId", o["vestingScheduleId"])
    guard unlockScheduleId != nil || vestingScheduleId != nil else {
      throw .validation("Either unlockScheduleId or vestingScheduleId must be provided")
    }
    let unlockStartAt = try isoDate("unlockStartAt")
    let vestingStartAt = try isoDate("vestingStartAt")
    let releaseMode = try optionalString("releaseMode")
    if let releaseMode, !releaseModes.contains(releaseMode) {
      throw .validation("releaseMode must be one of \(releaseModes.sorted().joined(separator: ", "))")
    }
    var receivedOffMagna: String?
    if let value = o["receivedOffMagna"], !value.isNull {
      receivedOffMagna = try positiveDecimal("receivedOffMagna", value)
    }
    var cancellable = true
    if let value = o["cancellable"], !value.isNull {
      guard case .bool(let flag) = value else { throw .validation("cancellable must be a boolean") }
      cancellable = flag
    }
    var attributes: [SandboxAllocation.Attribute] = []
    if let value = o["customAttributes"], !value.isNull {
      guard case .array(let list) = value else { throw .validation("customAttributes must be an array") }
      for entry in list {
        guard let pair = entry.object, let key = pair["key"]?.string, let value = pair["value"]?.string else {
          throw .validation("customAttributes entries must be {key, value} strings")
        }
        attributes.append(.init(key: key, value: value))
      }
    }
    let walletAddress = try optionalString("walletAddress").map(\.trimmingSpaces).flatMap {
      $0.isEmpty ? nil : $0
    }

    // Ownership: the token must belong to the API token's project.
    guard let owner = world.project(forTokenId: tokenId) else {
      throw .notFound("Token \(tokenId) not found")
    }
    guard owner.projectId == project.projectId else {
      throw MagnaFailure(status: 401, type: "ForbiddenError", message: "Invalid API key for project")
    }
    guard project.contracts.contains(where: { $0.id == contractId }) else {
      throw .notFound("Contract \(contractId) not found")
    }
    for (key, id) in [("unlockScheduleId", unlockScheduleId), ("vestingScheduleId", vestingScheduleId)] {
      if let id, !project.schedules.contains(where: { $0.id == id }) {
        throw .notFound("Schedule \(id) not found (\(key))")
      }
    }

    return ValidCreate(
      amount: amount, contractId: contractId, tokenId: tokenId, category: category,
      stakeholder: .init(id: "", name: name, email: email, xHandle: xHandle, employeeNumber: employeeNumber),
      description: description, unlockScheduleId: unlockScheduleId, unlockStartAt: unlockStartAt,
      vestingScheduleId: vestingScheduleId, vestingStartAt: vestingStartAt, releaseMode: releaseMode,
      receivedOffMagna: receivedOffMagna, cancellable: cancellable, customAttributes: attributes,
      walletAddress: walletAddress)
  }

  /// 8-4-4-4-12 hex digits.
  static func isUUID(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 36 else { return false }
    for (i, b) in bytes.enumerated() {
      if i == 8 || i == 13 || i == 18 || i == 23 {
        if b != UInt8(ascii: "-") { return false }
      } else if !isHex(b) {
        return false
      }
    }
    return true
  }

  static func isHex(_ b: UInt8) -> Bool {
    (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)
  }

  /// `local@domain.tld`: one `@`, no spaces, a dot in the domain, no empty labels.
  static func isEmail(_ text: String) -> Bool {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !text.contains(" ") else { return false }
    let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
    return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
  }

  /// `YYYY-MM-DD`, optionally followed by `T` or space and a time (`HH:MM[:SS[.fff]]`) and a zone
  /// (`Z` or `±HH:MM`).
  static func isISO8601(_ text: String) -> Bool {
    let b = Array(text.utf8)
    func digits(_ range: Range<Int>) -> Bool {
      range.upperBound <= b.count && range.allSatisfy { b[$0] >= 48 && b[$0] <= 57 }
    }
    guard b.count >= 10, digits(0..<4), b[4] == 45, digits(5..<7), b[7] == 45, digits(8..<10) else {
      return false
    }
    let month = Int(b[5] - 48) * 10 + Int(b[6] - 48)
    let day = Int(b[8] - 48) * 10 + Int(b[9] - 48)
    guard (1...12).contains(month), (1...31).contains(day) else { return false }
    if b.count == 10 { return true }
    guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), digits(11..<13), b.count >= 16,
      b[13] == 58,
      digits(14..<16)
    else { return false }
    var i = 16
    if i < b.count, b[i] == 58 {
      guard digits(i + 1..<i + 3) else { return false }
      i += 3
      if i < b.count, b[i] == UInt8(ascii: ".") {
        i += 1
        let start = i
        while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        guard i > start else { return false }
      }
    }
    if i == b.count { return true }
    if b[i] == UInt8(ascii: "Z") { return i + 1 == b.count }
    guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), digits(i + 1..<i + 3) else { return false }
    i += 3
    if i < b.count, b[i] == 58 { i += 1 }
    return digits(i..<i + 2) && i + 2 == b.count
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return String(s)
  }
}
