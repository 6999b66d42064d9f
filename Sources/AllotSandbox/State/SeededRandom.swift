/// SplitMix64: small, fast, deterministic; good enough for ids and fault dice.
struct SeededRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  /// A generator for one derived stream: `(seed, label, index)` always gives the same numbers.
  init(seed: UInt64, label: String, index: Int = 0) {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in label.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    state = seed ^ hash ^ (UInt64(bitPattern: Int64(index)) &* 0x9E37_79B9_7F4A_7C15)
    _ = next()
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform double in [0, 1).
  mutating func unit() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// Lowercase hex digits.
  mutating func hex(_ count: Int) -> String {
    let digits = Array("0123456789abcdef")
    var out = ""
    out.reserveCapacity(count)
    var word = next()
    var left = 16
    for _ in 0..<count {
      if left == 0 {
        word = next()
        left = 16
      }
      out.append(digits[Int(word & 0xF)])
      word >>= 4
      left -= 1
    }
    return out
  }

  /// An RFC 4122 version-4-shaped UUID, lowercase: the digits of ``hex(_:)`` with 32 digits, the version
  /// digit set to 4 and the variant digit drawn from `89ab`, written as bytes.
  mutating func uuid() -> String {
    let digits: StaticString = "0123456789abcdef"
    let variants: StaticString = "89ab"
    var words = (next(), next())
    let variant = variants.utf8Start[Int(next() % 4)]
    return String(unsafeUninitializedCapacity: 36) { out in
      var o = 0
      for position in 0..<32 {
        if position == 8 || position == 12 || position == 16 || position == 20 {
          out[o] = UInt8(ascii: "-")
          o += 1
        }
        let nibble: Int
        if position < 16 {
          nibble = Int(words.0 & 0xF)
          words.0 >>= 4
        } else {
          nibble = Int(words.1 & 0xF)
          words.1 >>= 4
        }
        switch position {
        case 12: out[o] = UInt8(ascii: "4")
        case 16: out[o] = variant
        default: out[o] = digits.utf8Start[nibble]
        }
        o += 1
      }
      return o
    }
  }

  /// Uppercase letters and digits, like Magna's keys (`A-DC574CI5YB`).
  mutating func code(_ count: Int) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    return String((0..<count).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
  }
}

/// Deterministic id helpers.
enum SeededID {
  static func uuid(_ seed: UInt64, _ label: String, _ index: Int = 0) -> String {
    var random = SeededRandom(seed: seed, label: label, index: index)
    return random.uuid()
  }

  static func hex(_ seed: UInt64, _ label: String, _ index: Int, count: Int) -> String {
    var random = SeededRandom(seed: seed, label: label, index: index)
    return random.hex(count)
  }
}
