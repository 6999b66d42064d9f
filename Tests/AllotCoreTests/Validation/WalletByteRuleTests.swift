import Testing

@testable import AllotCore

/// `ByteRules.isValidWallet` checks an EVM address's 40 digits eight bytes at a time; it must answer as
/// the byte-at-a-time loop it replaced (kept here as the reference), then `WalletAddress.check`.
@Suite struct WalletByteRuleTests {
  static func reference(_ text: String) -> Bool {
    let b = Array(text.utf8)
    if b.count == 42 && b[0] == UInt8(ascii: "0") && b[1] == UInt8(ascii: "x") {
      var lower = false
      var upper = false
      for i in 2..<42 {
        switch b[i] {
        case 48...57: break
        case 97...102: lower = true
        case 65...70: upper = true
        default: return false
        }
      }
      if !(lower && upper) { return true }
    }
    if case .success = WalletAddress.check(text) { return true }
    return false
  }

  static func fast(_ text: String) -> Bool {
    Array(text.utf8).withUnsafeBufferPointer { ByteRules.isValidWallet($0) }
  }

  @Test(arguments: [
    "0x52908400098527886E0F7030069857D2E9169EA7",  // EIP-55, checksum right
    "0x52908400098527886e0F7030069857D2E9169EA7",  // one letter's case wrong
    "0x52908400098527886e0f7030069857d2e9169ea7", "0x52908400098527886E0F7030069857D2E9169EA7".uppercased(),
    "0x0000000000000000000000000000000000000000", "0x000000000000000000000000000000000000000g",
    "0x000000000000000000000000000000000000000", "0x00000000000000000000000000000000000000000",
    "0X0000000000000000000000000000000000000000", "0xé00000000000000000000000000000000000000",
    "0x00000000000000000000 0000000000000000000", "0x:000000000000000000000000000000000000000",
    "0x@000000000000000000000000000000000000000", "0x`000000000000000000000000000000000000000",
    "0x/000000000000000000000000000000000000000", "0xG000000000000000000000000000000000000000",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "",
  ])
  func answersAsTheByteLoop(_ text: String) {
    #expect(Self.fast(text) == Self.reference(text), "\(text)")
  }

  /// Random 42-byte texts starting `0x`, from digits, both cases of a–g, and bytes around the ranges'
  /// edges: the same answer for each.
  @Test func randomAddresses() {
    let alphabet = Array("0123456789abcdefgABCDEFG/:@`x ".utf8) + [0x80, 0xC3, 0xFF]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      var bytes: [UInt8] = [48, 120]
      let bad = Int.random(in: 0..<8, using: &generator) == 0
      for _ in 0..<40 {
        bytes.append(
          bad
            ? alphabet.randomElement(using: &generator)!
            : Array("0123456789abcdefABCDEF".utf8).randomElement(using: &generator)!)
      }
      let fast = bytes.withUnsafeBufferPointer { ByteRules.isValidWallet($0) }
      let text = String(decoding: bytes, as: UTF8.self)
      // Invalid UTF-8 is replaced when decoded: compare on valid text only.
      if Array(text.utf8) == bytes { #expect(fast == Self.reference(text), "\(text)") }
    }
  }
}
