/// Matches header text to fields: Magna paths, natural spellings, Magna's dashboard template headers and
/// common synonyms, ignoring case, spaces, underscores, dashes, dots and other punctuation.
public enum HeaderMatcher {
  /// `Stakeholder E-mail *` → `stakeholderemail`: ASCII letters and digits lower-cased, non-ASCII kept,
  /// everything else dropped.
  public static func normalise(_ header: String) -> String {
    var out = [UInt8]()
    out.reserveCapacity(header.utf8.count)
    for u in header.utf8 {
      if TextScan.isDigit(u) || TextScan.isASCIILetter(u) {
        out.append(TextScan.lower(u))
      } else if u >= 0x80 {
        out.append(u)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The field a header names, or nil. `attr:<key>` (any case, spaces around the key ignored) names a
  /// custom attribute with that key.
  public static func field(for header: String) -> AllocationField? {
    let trimmed = TextScan.trimmed(header)
    if let attribute = attributeKey(trimmed) { return .attribute(attribute) }
    return synonyms[normalise(trimmed)]
  }

  /// The key of an `attr:<key>` header.
  static func attributeKey(_ header: String) -> String? {
    let prefix = AllocationField.attributePrefix
    guard header.utf8.count > prefix.utf8.count,
      TextScan.asciiLowercased(String(header.prefix(prefix.count))) == prefix
    else { return nil }
    let key = TextScan.trimmed(String(header.dropFirst(prefix.count)))
    return key.isEmpty ? nil : key
  }

  /// Accepted spellings (normalised) for each field.
  public static let spellings: [(AllocationField, [String])] = [
    (
      .amount,
      ["amount", "allocationamount", "tokenamount", "tokens", "numberoftokens", "grantamount", "quantity"]
    ),
    (.contractId, ["contractid", "contract", "contractuuid"]),
    (.tokenId, ["tokenid", "token", "tokenuuid"]),
    (.category, ["category", "allocationcategory", "stakeholdercategory", "categoryname"]),
    (.description, ["description", "notes", "note", "memo", "comment", "comments"]),
    (
      .unlockScheduleId,
      ["unlockscheduleid", "unlockschedule", "schedule", "scheduleid", "unlockscheduleuuid"]
    ),
    (.unlockStartAt, ["unlockstartat", "unlockstart", "unlockstartdate", "unlockdate", "unlockstarttime"]),
    (.vestingScheduleId, ["vestingscheduleid", "vestingschedule", "vestingscheduleuuid"]),
    (
      .vestingStartAt,
      ["vestingstartat", "vestingstart", "vestingstartdate", "vestingcommencementdate", "vestingdate"]
    ),
    (.releaseMode, ["releasemode", "release"]),
    (.receivedOffMagna, ["receivedoffmagna", "receivedoutsidemagna", "alreadyreceived", "received"]),
    (.cancellable, ["cancellable", "cancelable", "revocable"]),
    (
      .walletAddress,
      ["walletaddress", "wallet", "address", "recipientaddress", "recipientwallet", "walletaddr"]
    ),
    (
      .stakeholderName,
      ["stakeholdername", "name", "fullname", "stakeholder", "recipient", "recipientname", "holdername"]
    ),
    (.stakeholderEmail, ["stakeholderemail", "email", "emailaddress", "stakeholderemailaddress", "mail"]),
    (
      .stakeholderXHandle,
      ["stakeholderxhandle", "xhandle", "twitter", "twitterhandle", "handle", "xusername", "xtwitter", "x"]
    ),
    (
      .stakeholderEmployeeNumber,
      [
        "stakeholderemployeenumber", "employeenumber", "employeeid", "employeeno", "empno", "staffnumber",
        "staffid",
      ]
    ),
  ]

  private static let synonyms: [String: AllocationField] = {
    var table: [String: AllocationField] = [:]
    for (field, names) in spellings {
      for name in names { table[name] = field }
    }
    return table
  }()
}
