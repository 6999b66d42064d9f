import AllotCore
import Testing

/// The staged form of a row holds exactly what `jsonBody()` and `fingerprint()` give, and its parts.
@Suite struct PreparedRowTests {
  static let requests: [AllocationRequest] = [
    AllocationRequest(
      amount: "10.5", contractId: "c", tokenId: "tok-1", category: "Team", stakeholder: .init()),
    AllocationRequest(
      amount: "1", contractId: "c", tokenId: "t", category: "Zoë \"Q\"",
      stakeholder: .init(name: "N", email: "e@x.io"), customAttributes: [.init(key: "a", value: "b")],
      walletAddress: "0x562b0f79c37459eef50bea63371ecd7b27cd8130"),
    // A sheet that carries allot's own reference attribute: the fingerprint leaves it out.
    AllocationRequest(
      amount: "2", contractId: "c", tokenId: "t", category: "k", stakeholder: .init(),
      customAttributes: [.init(key: AllocationRequest.referenceAttributeKey, value: "allot:9:9:abc")],
      walletAddress: ""),
  ]

  @Test(arguments: requests)
  func partsEqualTheRequestsOwn(request: AllocationRequest) {
    let p = PreparedRow(request, batch: 3, row: 7, random: 0xFF)
    #expect(Array(p.storage[p.body]) == request.jsonBody())
    #expect(p.text(p.fingerprint) == request.fingerprint())
    #expect(p.text(p.reference) == "allot:3:7:0000000000ff")
    #expect(p.text(p.tokenId) == request.tokenId)
    #expect(p.walletAddress.map(p.text) == request.walletAddress)
    #expect(
      p.storage.count == p.body.count + 64 + 22 + request.tokenId.utf8.count
        + (request.walletAddress?.utf8.count ?? 0))
  }

  @Test func fromPartsKeepsEachPart() {
    let p = PreparedRow(
      body: Array("{}".utf8), fingerprint: "fp", reference: "", tokenId: "é", walletAddress: nil)
    #expect(Array(p.storage[p.body]) == Array("{}".utf8))
    #expect(p.text(p.fingerprint) == "fp" && p.text(p.reference) == "" && p.text(p.tokenId) == "é")
    #expect(p.walletAddress == nil)
  }
}
