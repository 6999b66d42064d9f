import AllotCore
import Testing

@Suite struct AllocationJSONTests {
  func text(_ r: AllocationRequest) -> String { String(decoding: r.jsonBody(), as: UTF8.self) }

  @Test func minimalBodyHasFixedKeysAndOmitsNils() {
    let r = AllocationRequest(
      amount: "10.5", contractId: "c", tokenId: "t", category: "Team", stakeholder: .init())
    #expect(
      text(r) == #"{"amount":"10.5","contractId":"c","tokenId":"t","category":"Team","stakeholder":{}}"#)
  }

  @Test func fullBodyKeyOrder() {
    let r = AllocationRequest(
      amount: "1", contractId: "c", tokenId: "t", category: "k",
      stakeholder: .init(name: "N", email: "e@x.io", xHandle: "h", employeeNumber: "007"),
      description: "d", unlockScheduleId: "u", unlockStartAt: "2026-03-01", vestingScheduleId: "v",
      vestingStartAt: "2026-04-01", releaseMode: "LINEAR", receivedOffMagna: "0.5", cancellable: false,
      customAttributes: [.init(key: "a", value: "b"), .init(key: "c", value: "d")], walletAddress: "w")
    #expect(
      text(r)
        == #"{"amount":"1","contractId":"c","tokenId":"t","category":"k","stakeholder":{"name":"N","email":"e@x.io","xHandle":"h","employeeNumber":"007"},"description":"d","unlockScheduleId":"u","unlockStartAt":"2026-03-01","vestingScheduleId":"v","vestingStartAt":"2026-04-01","releaseMode":"LINEAR","receivedOffMagna":"0.5","cancellable":false,"customAttributes":[{"key":"a","value":"b"},{"key":"c","value":"d"}],"walletAddress":"w"}"#
    )
  }

  @Test func escapesStrings() {
    let r = AllocationRequest(
      amount: "1", contractId: "c", tokenId: "t", category: "Q\"uote\\ \n\r\t\u{08}\u{0C}\u{01}\u{1F} é 日本 🎉",
      stakeholder: .init())
    let body = r.jsonBody()
    let s = String(decoding: body, as: UTF8.self)
    #expect(s.contains(#""category":"Q\"uote\\ \n\r\t\b\f\u0001\u001f é 日本 🎉""#))
    // Non-ASCII is written as raw UTF-8.
    #expect(body.contains(0xC3) && body.contains(0xA9))
  }

  @Test func fingerprintIgnoresTheReferenceAttribute() {
    var r = AllocationRequest(amount: "1", contractId: "c", tokenId: "t", category: "k", stakeholder: .init())
    let plain = r.fingerprint()
    #expect(plain == SHA256.hex(r.jsonBody()))
    #expect(plain.count == 64)
    r.customAttributes = [.init(key: AllocationRequest.referenceAttributeKey, value: "allot:1:2:abc")]
    #expect(r.fingerprint() == plain)
    #expect(text(r).contains("allot_ref"))
    r.customAttributes?.append(.init(key: "team", value: "x"))
    #expect(r.fingerprint() != plain)
    #expect(AllocationRequest.referenceAttributeKey == "allot_ref")
  }

  @Test func referenceInsertedLaterKeepsTheBodyValid() throws {
    let r = AllocationRequest(amount: "1", contractId: "c", tokenId: "t", category: "k", stakeholder: .init())
    let withRef = try #require(RowReference.insert(reference: "allot:1:2:0000000000ab", into: r.jsonBody()))
    #expect(withRef.count - r.jsonBody().count <= AllocationRequest.referenceAllowance)
  }
}
