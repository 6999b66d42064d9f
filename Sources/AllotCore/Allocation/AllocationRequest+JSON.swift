extension AllocationRequest {
  /// The custom attribute key of allot's own row reference (see `RowReference`); left out of the
  /// fingerprint so the same row has the same fingerprint in every batch.
  public static let referenceAttributeKey = RowReference.attributeKey

  /// Magna's request body limit (413 above it).
  public static let maxBodyBytes = 1_048_576

  /// Room kept below `maxBodyBytes` for the reference attribute added at submission
  /// (`{"key":"allot_ref","value":"allot:<batch>:<row>:<hex>"}` and possibly the array around it).
  public static let referenceAllowance = 128

  /// The exact bytes sent to `POST /allocations/create`: keys in a fixed order (`amount`, `contractId`,
  /// `tokenId`, `category`, `stakeholder{name,email,xHandle,employeeNumber}`, `description`,
  /// `unlockScheduleId`, `unlockStartAt`, `vestingScheduleId`, `vestingStartAt`, `releaseMode`,
  /// `receivedOffMagna`, `cancellable`, `customAttributes[{key,value}]`, `walletAddress`), nil fields
  /// omitted, amounts as JSON strings holding the exact decimal text.
  public func jsonBody() -> [UInt8] {
    jsonBody(includingReference: true)
  }

  /// SHA-256 (hex) of the body without the `allot_ref` attribute: equal for rows that would create the
  /// same allocation, in this file or an earlier batch.
  public func fingerprint() -> String {
    SHA256.hex(jsonBody(includingReference: false))
  }

  func jsonBody(includingReference: Bool) -> [UInt8] {
    var w = JSONWriter(capacity: 640)
    w.beginObject()
    w.key("amount")
    w.string(amount)
    w.key("contractId")
    w.string(contractId)
    w.key("tokenId")
    w.string(tokenId)
    w.key("category")
    w.string(category)
    w.key("stakeholder")
    w.beginObject()
    w.field("name", stakeholder.name)
    w.field("email", stakeholder.email)
    w.field("xHandle", stakeholder.xHandle)
    w.field("employeeNumber", stakeholder.employeeNumber)
    w.endObject()
    w.field("description", description)
    w.field("unlockScheduleId", unlockScheduleId)
    w.field("unlockStartAt", unlockStartAt)
    w.field("vestingScheduleId", vestingScheduleId)
    w.field("vestingStartAt", vestingStartAt)
    w.field("releaseMode", releaseMode)
    w.field("receivedOffMagna", receivedOffMagna)
    if let cancellable {
      w.key("cancellable")
      w.bool(cancellable)
    }
    if let customAttributes {
      let kept =
        includingReference
        ? customAttributes : customAttributes.filter { $0.key != Self.referenceAttributeKey }
      if !kept.isEmpty || includingReference {
        w.key("customAttributes")
        w.beginArray()
        for attribute in kept {
          w.beginObject()
          w.key("key")
          w.string(attribute.key)
          w.key("value")
          w.string(attribute.value)
          w.endObject()
        }
        w.endArray()
      }
    }
    w.field("walletAddress", walletAddress)
    w.endObject()
    return w.bytes
  }
}
