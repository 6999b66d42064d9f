import AllotCore
import Testing

@Suite struct SHA256Tests {
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    ),
    (
      "The quick brown fox jumps over the lazy dog",
      "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
    ),
  ])
  func knownVectors(_ input: String, _ expected: String) {
    #expect(SHA256.hex(Array(input.utf8)) == expected)
  }

  @Test func millionAs() {
    var h = SHA256()
    let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { h.update(chunk) }
    #expect(h.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test(arguments: [1, 3, 55, 56, 63, 64, 65, 127, 1000])
  func streamingInAnyChunksEqualsOneShot(_ chunkSize: Int) {
    let data = (0..<3001).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    var h = SHA256()
    var i = 0
    while i < data.count {
      h.update(data[i..<min(i + chunkSize, data.count)])
      i += chunkSize
    }
    #expect(h.finalize() == SHA256.hash(data))
  }

  @Test(arguments: [55, 56, 57, 63, 64, 119, 120])
  func paddingBoundaries(_ length: Int) {
    // Same data hashed one byte at a time and at once; also checked against known lengths below.
    let data = [UInt8](repeating: 0x61, count: length)
    var h = SHA256()
    for b in data { h.update([b]) }
    #expect(h.finalize() == SHA256.hash(data))
  }

  @Test func sixtyFourAs() {
    #expect(
      SHA256.hex([UInt8](repeating: 0x61, count: 64))
        == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
  }
}

@Suite struct Keccak256Tests {
  @Test(arguments: [
    ("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
    ("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
    (
      "The quick brown fox jumps over the lazy dog",
      "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"
    ),
    ("transfer(address,uint256)", "a9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b"),
  ])
  func knownVectors(_ input: String, _ expected: String) {
    #expect(Keccak256.hex(Array(input.utf8)) == expected)
  }

  @Test(arguments: [135, 136, 137, 272, 500])
  func multiBlockStreamingEqualsOneShot(_ length: Int) {
    let data = (0..<length).map { UInt8(truncatingIfNeeded: $0) }
    var k = Keccak256()
    k.update(data[0..<length / 3])
    k.update(data[(length / 3)...])
    #expect(k.finalize() == Keccak256.hash(data))
  }
}

@Suite struct HexTests {
  @Test func roundTrip() {
    #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
    #expect(Hex.decode("00ABff") == [0x00, 0xab, 0xff])
    #expect(Hex.decode("abc") == nil)
    #expect(Hex.decode("zz") == nil)
  }
}

/// The block function on the CPU's SHA extensions against the portable one: every length around the block
/// and padding boundaries, streamed and one-shot. (On a CPU without the extensions both run the portable
/// code and the comparison is trivially true; `hardwareAvailable` is printed so the log says which.)
@Suite struct SHA256HardwareTests {
  @Test func hardwareAndPortableAgreeOnEveryLength() {
    print("SHA-256 hardware block function available: \(SHA256.hardwareAvailable)")
    var rng = SystemRandomNumberGenerator()
    for length in Array(0...300) + [511, 512, 513, 4095, 4096, 4097, 100_003] {
      let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
      let portable = data.withUnsafeBytes { SHA256.hash($0, hardware: false) }
      let hardware = data.withUnsafeBytes { SHA256.hash($0, hardware: true) }
      #expect(hardware == portable, "length \(length)")
      var streamed = SHA256(hardware: true)
      var i = 0
      while i < length {
        let n = min(length - i, 1 + (i % 97))
        streamed.update(data[i..<(i + n)])
        i += n
      }
      #expect(streamed.finalize() == portable, "length \(length), streamed")
      var slow = SHA256(hardware: false)
      slow.update(data)
      #expect(slow.finalize() == portable, "length \(length), portable streamed")
    }
  }

  /// `hashPair` hashes two messages together block for block: each digest must be the message's own,
  /// for pairs of equal lengths, of lengths a block or more apart, and past the stack limit.
  @Test func pairsGiveEachMessagesOwnDigest() {
    var random = SplitMix64(seed: 7)
    let lengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 600, 640, 1000, 4096, 4097]
    for la in lengths {
      for lb in lengths {
        let a = (0..<la).map { _ in UInt8.random(in: 0...255, using: &random) }
        let b = (0..<lb).map { _ in UInt8.random(in: 0...255, using: &random) }
        let expected = (
          a.withUnsafeBytes { SHA256.hash($0, hardware: false) },
          b.withUnsafeBytes { SHA256.hash($0, hardware: false) }
        )
        for hardware in [true, false] {
          let pair = a.withUnsafeBytes { ra in
            b.withUnsafeBytes { rb in SHA256.hashPair(ra, rb, hardware: hardware) }
          }
          #expect(pair.0 == expected.0 && pair.1 == expected.1, "\(la) \(lb) hardware \(hardware)")
        }
      }
    }
  }

  @Test func hardwarePathGivesTheKnownVectors() {
    #expect(
      Hex.encode(Array("abc".utf8).withUnsafeBytes { SHA256.hash($0, hardware: true) })
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      Hex.encode([UInt8]().withUnsafeBytes { SHA256.hash($0, hardware: false) })
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }
}
