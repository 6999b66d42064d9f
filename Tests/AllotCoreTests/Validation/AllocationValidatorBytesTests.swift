import AllotCore
import Testing

/// `validateWithoutRequest` answers only for rows `validate(row:)` finds valid with no issue, with the
/// same duplicate key; everything else is left to `validate(row:)`.
@Suite struct AllocationValidatorBytesTests {
  /// Runs `body` with the row's cells as UTF-8 bytes.
  func withBytes<R>(_ number: Int, _ values: [String], _ body: (ByteRow) -> R) -> R {
    var all: [UInt8] = []
    var ranges: [Range<Int>] = []
    for v in values {
      ranges.append(all.count..<(all.count + v.utf8.count))
      all += Array(v.utf8)
    }
    return all.withUnsafeBufferPointer { base in
      let cells = ranges.map { UnsafeBufferPointer(rebasing: base[$0]) }
      return cells.withUnsafeBufferPointer { body(ByteRow(rowNumber: number, cells: $0)) }
    }
  }

  /// Checks one row both ways; returns whether the byte form answered.
  @discardableResult
  func check(_ v: AllocationValidator, _ values: [String], sourceLocation: SourceLocation = #_sourceLocation)
    -> Bool
  {
    let full = v.validate(row: textRow(7, values))
    let fast = withBytes(7, values) { v.validateWithoutRequest($0) }
    guard let fast else { return false }
    #expect(full.issues.isEmpty, "\(values)", sourceLocation: sourceLocation)
    #expect(full.allocation != nil, "\(values)", sourceLocation: sourceLocation)
    #expect(fast.isValid && fast.issues.isEmpty && fast.rowNumber == 7, sourceLocation: sourceLocation)
    #expect(fast.duplicateKey == full.duplicateKey, "\(values)", sourceLocation: sourceLocation)
    // The body written from the bytes is the request's, byte for byte.
    let prepared = withBytes(7, values) { v.prepareWithoutRequest($0) }
    #expect(prepared != nil, "\(values)", sourceLocation: sourceLocation)
    if let (result, body) = prepared, let request = full.allocation {
      #expect(
        result.isValid && result.issues.isEmpty && result.duplicateKey == full.duplicateKey,
        sourceLocation: sourceLocation)
      #expect(
        String(decoding: body.bytes, as: UTF8.self) == String(decoding: request.jsonBody(), as: UTF8.self),
        sourceLocation: sourceLocation)
      #expect(
        String(decoding: body.bytes[body.tokenId], as: UTF8.self) == request.tokenId,
        sourceLocation: sourceLocation)
      #expect(
        body.walletAddress.map { String(decoding: body.bytes[$0], as: UTF8.self) } == request.walletAddress,
        sourceLocation: sourceLocation)
    }
    return true
  }

  @Test func typicalRowIsAnsweredWithTheSameKey() {
    #expect(check(Sample.validator(), Sample.values()))
  }

  @Test(arguments: [
    // Spellings sent in another form, each valid.
    ["amount": "007.50"], ["amount": "1.500"], ["amount": " 42 "], ["amount": "\u{A0}12.5\u{2007}"],
    ["contractId": Sample.contract.uppercased()], ["contractId": " \(Sample.contract) "],
    ["releaseMode": "CLIFF"], ["releaseMode": "Linear"], ["cancellable": "TRUE"], ["cancellable": "n"],
    ["cancellable": "0"], ["X Handle": "bob_1"], ["X Handle": ""], ["Name": "\u{FEFF}Zoë\u{202F}"],
    ["Email": "é@exämple.com"], ["Wallet": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"],
    ["Wallet": "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV"],
    ["Wallet": "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8"],
    ["unlockStartAt": "2026-01-01T12:00:00Z"], ["receivedOffMagna": "1250.5"], ["receivedOffMagna": "0.5"],
    ["Employee Number": ""], ["Description": ""],
    ["Description": "He said \"hi\" \\ back\tand\u{1F}more text beyond eight bytes"],
    ["Name": "Zoë \"Q\" Ünïcødé, a long name"], ["Description": "\"\"\"\"\"\"\"\"\"\\"], ["Wallet": ""],
    ["unlockScheduleId": "", "vestingScheduleId": Sample.schedule],
    // Problems: left to validate(row:).
    ["amount": "0"], ["amount": "1,234.50"], ["amount": ""], ["amount": "1.0000000000000000001"],
    ["amount": String(repeating: "1", count: 39)], ["contractId": "{\(Sample.contract)}"],
    ["releaseMode": "STEP"], ["cancellable": "maybe"], ["X Handle": "@toolonghandle_12345"],
    ["X Handle": "https://x.com/alice"], ["Name": ""], ["Email": "a at b.com"],
    ["Wallet": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"],
    ["Wallet": "0X5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"],
    ["unlockStartAt": "2026-02-30"], ["unlockStartAt": "2026-01-01t12:00:00Z"], ["unlockStartAt": "45000"],
    ["receivedOffMagna": "1250.51"], ["unlockScheduleId": ""], ["Email": "", "Wallet": ""],
  ])
  func spellingsAgree(_ overrides: [String: String]) {
    check(Sample.validator(), Sample.values(overrides))
  }

  @Test func problemsAreLeftToTheFullRules() {
    let v = Sample.validator()
    for overrides in [
      ["amount": "0"], ["Name": ""], ["releaseMode": "STEP"], ["unlockStartAt": "03/04/2026"],
    ] {
      #expect(!check(v, Sample.values(overrides)), "\(overrides)")
    }
  }

  @Test func equalRequestsGetEqualKeysWhateverTheSpelling() {
    let v = Sample.validator()
    let plain = withBytes(2, Sample.values()) { v.validateWithoutRequest($0)?.duplicateKey }
    let respelled = withBytes(
      3, Sample.values(["amount": "01250.500", "contractId": Sample.contract.uppercased()])
    ) {
      v.validateWithoutRequest($0)?.duplicateKey
    }
    #expect(plain != nil)
    #expect(plain == respelled)
  }

  @Test func defaultsAndAttributes() {
    let options = ValidationOptions(
      contractId: Sample.contract.uppercased(), tokenId: Sample.token, category: "Ops", releaseMode: "cliff")
    let headers = ["amount", "Name", "Email", "unlockScheduleId", "releaseMode", "attr:team", "attr:site"]
    let v = Sample.validator(options, headers: headers)
    #expect(check(v, ["5", "Ada", "a@b.co", Sample.schedule, "", "A", ""]))
    #expect(check(v, ["5", "Ada", "a@b.co", Sample.schedule, "LINEAR", "", ""]))
    #expect(check(v, ["5", "Ada", "a@b.co", Sample.schedule, "", " A ", "B"]))
  }

  /// A column of allot's own reference attribute blocks the file (`column.reserved`): neither byte form
  /// answers, so such a body is never written from bytes.
  @Test func theReferenceAttributeColumnIsLeftToTheFullRules() {
    let headers = ["amount", "Name", "Email", "unlockScheduleId", "attr:allot_ref"]
    let options = ValidationOptions(
      contractId: Sample.contract, tokenId: Sample.token, category: "Ops", releaseMode: "cliff")
    let v = Sample.validator(options, headers: headers)
    let values = ["5", "Ada", "a@b.co", Sample.schedule, "allot:1:2:abc"]
    #expect(v.isBlocked)
    #expect(withBytes(2, values) { v.validateWithoutRequest($0) } == nil)
    #expect(withBytes(2, values) { v.prepareWithoutRequest($0) } == nil)
  }

  @Test func aBlockedFileIsLeftToTheFullRules() {
    let v = Sample.validator(ValidationOptions(maxDecimals: 40))
    #expect(v.isBlocked)
    #expect(!check(v, Sample.values()))
    #expect(withBytes(2, Sample.values()) { v.prepareWithoutRequest($0) } == nil)
  }
}
