import Testing

@testable import AllotCore

/// The reconciliation's key hashes: case folding eight bytes at a time, and the same key for the same
/// text whichever way it is given.
@Suite struct MatchKeysTests {
  @Test func foldingMatchesByteByByteForEveryByteAtEveryPosition() {
    for position in 0..<8 {
      for v in 0...255 {
        let bytes = (0..<8).map { $0 == position ? UInt8(v) : UInt8(0x41 + $0) }
        let w = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        let folded = bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        let expected = folded.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(SWARBytes.lowercasedASCII(w) == expected, "byte \(v) at \(position)")
      }
    }
  }

  @Test func textGivenAsBytesOrStringHashesAlikeIgnoringCase() {
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("abcXYZ09-_:# é".unicodeScalars)
    for n in 0...40 {
      for _ in 0..<20 {
        let text = String(String.UnicodeScalarView((0..<n).map { _ in alphabet.randomElement(using: &rng)! }))
        let upper = text.uppercased()
        let fromBytes = Array(text.utf8).withUnsafeBufferPointer { MatchKeys.textHash($0) }
        #expect(fromBytes == MatchKeys.textHash(text))
        if text.unicodeScalars.allSatisfy(\.isASCII) {
          #expect(MatchKeys.textHash(upper) == MatchKeys.textHash(text), "\(text)")
        }
      }
    }
  }

  @Test func evmAddressesAreFortyHexDigitsAfter0x() {
    let base = Array("0x8ba1f109551bD432803012645Ac136ddd64DBA72".utf8)
    func isEVM(_ b: [UInt8]) -> Bool { b.withUnsafeBufferPointer { MatchKeys.isEVM($0) } }
    #expect(isEVM(base))
    for i in 0..<42 {
      for v in 0...255 {
        var b = base
        b[i] = UInt8(v)
        let hex = (48...57).contains(v) || (97...102).contains(v) || (65...70).contains(v)
        let expected = i == 0 ? v == 48 : i == 1 ? v == 120 || v == 88 : hex
        #expect(isEVM(b) == expected, "byte \(v) at \(i)")
      }
    }
    #expect(!isEVM(Array(base.dropLast())))
  }

  @Test func keysSeparateFieldsAndAmounts() {
    // Fields cannot run into each other; amounts hash by value.
    #expect(
      MatchKeys.slotHash(wallet: "ab", currency: "c", network: "d")
        != MatchKeys.slotHash(wallet: "a", currency: "bc", network: "d"))
    let a = ExactDecimal("2750.25")!
    let b = ExactDecimal("2750.250000")!
    #expect(
      MatchKeys.exactHash(wallet: "0xAB", currency: "USDC", network: "ethereum", amount: a)
        == MatchKeys.exactHash(wallet: "0xAB", currency: "usdc", network: "Ethereum", amount: b))
    let evm = "0x8ba1f109551bD432803012645Ac136ddd64DBA72"
    #expect(MatchKeys.walletHash(evm) == MatchKeys.walletHash(evm.lowercased()))
    #expect(
      MatchKeys.walletHash("TJRabPrwbZy45sbavfcjinPJC18kjpRTv8")
        != MatchKeys.walletHash("tjrabprwbzy45sbavfcjinpjc18kjprtv8"))
  }

  /// Inserting a list at once (with its slots requested ahead) builds the same chains as inserting each
  /// item in turn: colliding hashes, items in descending order (chains ascending), more items than the
  /// distance the slots are requested ahead.
  @Test func insertingAListBuildsTheSameChainsAsOneByOne() {
    let items = Array(stride(from: Int32(199), through: 0, by: -1))
    let hashes = items.map { UInt64($0 % 7) &* 0x9E37_79B9_7F4A_7C15 | UInt64($0 % 3) }
    var one = HashMultiMap(expectedKeys: 30, itemCount: 200)
    for (h, i) in zip(hashes, items) { one.insert(hash: h, item: i) }
    var all = HashMultiMap(expectedKeys: 30, itemCount: 200)
    all.insert(hashes: hashes, items: items)
    func chain(_ m: HashMultiMap, _ h: UInt64) -> [Int32] {
      var out: [Int32] = []
      var i = m.first(h)
      while i >= 0 {
        out.append(i)
        i = m.next(after: i)
      }
      return out
    }
    for h in Set(hashes) {
      #expect(chain(all, h) == chain(one, h))
      #expect(chain(all, h) == chain(all, h).sorted())
    }
    #expect(Set(hashes).map { chain(all, $0).count }.reduce(0, +) == 200)
    #expect(chain(all, 12345) == [])
  }
}
