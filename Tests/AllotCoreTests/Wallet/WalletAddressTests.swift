import AllotCore
import Testing

@Suite struct Base58Tests {
  @Test func decodesAndEncodes() {
    #expect(Base58.decode("11111111111111111111111111111111") == [UInt8](repeating: 0, count: 32))
    #expect(Base58.decode("2g") == [0x61])
    #expect(Base58.decode("a3gV") == Array("bbb".utf8))
    #expect(Base58.encode(Array("Hello World!".utf8)) == "2NEpo7TZRRrLZSi2U")
    #expect(Base58.decode("2NEpo7TZRRrLZSi2U") == Array("Hello World!".utf8))
    #expect(Base58.decode("1112") == [0, 0, 0, 1])
  }

  @Test(arguments: ["", "0abc", "Oops", "Il1", "ab cd", "é"])
  func rejectsNonBase58(_ text: String) {
    #expect(Base58.decode(text) == nil)
  }
}

@Suite struct WalletAddressTests {
  @Test(arguments: [
    // EIP-55 test vectors.
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    // All upper / all lower case carry no checksum.
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x0000000000000000000000000000000000000000",
  ])
  func acceptsEVM(_ address: String) {
    #expect(WalletAddress.check(address) == .success(.evm))
  }

  @Test func eip55FormsMatchTheVectors() {
    #expect(
      WalletAddress.eip55("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
        == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    #expect(WalletAddress.eip55("0x123") == nil)
  }

  @Test func wrongChecksumShowsTheCorrectForm() throws {
    // One letter's case flipped.
    let result = WalletAddress.check("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    guard case .failure(let problem) = result else {
      Issue.record("expected a checksum failure")
      return
    }
    #expect(problem.code == "wallet.checksum")
    #expect(problem.message.contains("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"))
  }

  @Test(arguments: [
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", "has 39"),
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd", "has 41"),
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", "'g'"),
    ("0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "lower-case 0x"),
    ("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "without its 0x"),
  ])
  func refusesMalformedEVM(_ address: String, _ hint: String) {
    guard case .failure(let problem) = WalletAddress.check(address) else {
      Issue.record("expected failure for \(address)")
      return
    }
    #expect(problem.code == "wallet.invalid")
    #expect(problem.message.contains(hint))
  }

  @Test(arguments: [
    "So11111111111111111111111111111111111111112",
    "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v",
    "11111111111111111111111111111111",
    "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
  ])
  func acceptsSolana(_ address: String) {
    #expect(WalletAddress.check(address) == .success(.solana))
  }

  @Test(arguments: ["TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"])
  func acceptsTron(_ address: String) {
    #expect(WalletAddress.check(address) == .success(.tron))
  }

  @Test func tronTypoFailsTheChecksum() {
    guard case .failure(let problem) = WalletAddress.check("TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU8") else {
      Issue.record("expected failure")
      return
    }
    #expect(problem.code == "wallet.checksum")
  }

  @Test(arguments: [
    ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "'0'"),
    ("alice@example.com", "'@'"),
    ("abcdef", "decodes to"),
    ("TLa2f6VPqDgRE67v1736s7bJ8Ray5wYj", "34 base58"),
    ("So1111111111111111111111111111111111111111O", "'O'"),
    ("", "empty"),
  ])
  func refusesEverythingElseNamingTheFormats(_ text: String, _ hint: String) {
    guard case .failure(let problem) = WalletAddress.check(text) else {
      Issue.record("expected failure for \(text)")
      return
    }
    #expect(problem.code == "wallet.invalid")
    #expect(problem.message.contains(hint), "\(problem.message)")
  }
}
