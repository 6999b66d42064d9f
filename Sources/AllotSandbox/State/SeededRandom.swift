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

  /// An RFC 4122 version-4-shaped UUID, lowercase.
  mutating func uuid() -> String {
    var h = Array(hex(32))
    h[12] = "4"
    let variant = Array("89ab")
    h[16] = variant[Int(next() % 4)]
    let s = String(h)
    func part(_ from: Int, _ to: Int) -> Substring {
      s[s.index(s.startIndex, offsetBy: from)..<s.index(s.startIndex, offsetBy: to)]
    }
    return "\(part(0, 8))-\(part(8, 12))-\(part(12, 16))-\(part(16, 20))-\(part(20, 32))"
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
