/// Hashing and comparison of the fields matching keys on (wallet, currency, network, amount,
/// reference), without allocating: FNV-1a over the bytes, folded the way each field compares.
struct KeyHasher {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  @inline(__always)
  mutating func byte(_ b: UInt8) {
    value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01b3
  }

  /// Bytes folded to lower case (ASCII).
  mutating func lowercased(_ s: String) {
    var text = s
    text.withUTF8 { u in
      for b in u { byte(b >= 65 && b <= 90 ? b + 32 : b) }
    }
    byte(0xFF)
  }

  /// A wallet: EVM addresses folded to lower case, anything else exactly.
  mutating func wallet(_ s: String) {
    var text = s
    text.withUTF8 { u in
      if MatchKeys.isEVM(u) {
        for b in u { byte(b >= 65 && b <= 90 ? b + 32 : b) }
      } else {
        for b in u { byte(b) }
      }
    }
    byte(0xFF)
  }

  /// An amount by numeric value (`2750.25` and `2750.250000` hash alike).
  mutating func amount(_ d: ExactDecimal) {
    let c = d.canonicalized
    let m = UInt128(bitPattern: c.significand)
    var lo = UInt64(truncatingIfNeeded: m)
    var hi = UInt64(truncatingIfNeeded: m >> 64)
    for _ in 0..<8 {
      byte(UInt8(truncatingIfNeeded: lo))
      lo >>= 8
    }
    for _ in 0..<8 {
      byte(UInt8(truncatingIfNeeded: hi))
      hi >>= 8
    }
    byte(UInt8(truncatingIfNeeded: c.scale))
  }

  /// Final mixing so that the low bits spread well in a power-of-two table.
  var finished: UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}

enum MatchKeys {
  /// `0x` followed by 40 hex digits.
  static func isEVM(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
    guard u.count == 42, u[0] == 48, u[1] == 120 || u[1] == 88 else { return false }
    for i in 2..<42 where Hex.value(u[i]) == nil { return false }
    return true
  }

  /// `0x` followed by 40 hex digits.
  static func isEVM(_ s: String) -> Bool {
    let u = s.utf8
    guard u.count == 42 else { return false }
    var i = 0
    for c in u {
      if i == 0 {
        if c != 48 { return false }
      } else if i == 1 {
        if c != 120 && c != 88 { return false }
      } else if Hex.value(c) == nil {
        return false
      }
      i += 1
    }
    return true
  }

  static func walletsEqual(_ a: String, _ b: String) -> Bool {
    if a == b { return true }
    return isEVM(a) && isEVM(b) && AsciiText.equalsIgnoringCase(a, b)
  }

  static func walletHash(_ wallet: String) -> UInt64 {
    var h = KeyHasher()
    h.wallet(wallet)
    return h.finished
  }

  static func slotHash(wallet: String, currency: String, network: String) -> UInt64 {
    var h = KeyHasher()
    h.wallet(wallet)
    h.lowercased(currency)
    h.lowercased(network)
    return h.finished
  }

  static func exactHash(wallet: String, currency: String, network: String, amount: ExactDecimal) -> UInt64 {
    var h = KeyHasher()
    h.wallet(wallet)
    h.lowercased(currency)
    h.lowercased(network)
    h.amount(amount)
    return h.finished
  }

  static func walletAmountHash(wallet: String, amount: ExactDecimal) -> UInt64 {
    var h = KeyHasher()
    h.wallet(wallet)
    h.amount(amount)
    return h.finished
  }

  static func textHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h = KeyHasher()
    for u in bytes { h.byte(u >= 65 && u <= 90 ? u + 32 : u) }
    h.byte(0xFF)
    return h.finished
  }

  static func textHash(_ s: String) -> UInt64 {
    var h = KeyHasher()
    h.lowercased(s)
    return h.finished
  }

  /// Case-insensitive comparison of a token with a string.
  static func equalsIgnoringCase(_ a: UnsafeBufferPointer<UInt8>, _ b: String) -> Bool {
    guard a.count == b.utf8.count else { return false }
    var i = 0
    for y in b.utf8 {
      let x = a[i]
      i += 1
      if x == y { continue }
      let lx = x >= 65 && x <= 90 ? x + 32 : x
      let ly = y >= 65 && y <= 90 ? y + 32 : y
      if lx != ly { return false }
    }
    return true
  }
}

/// A multimap from 64-bit hashes to item numbers (0..<itemCount), open addressing; each hash holds a
/// chain of items in ascending order when items are inserted in descending order.
struct HashMultiMap {
  private var keys: [UInt64]
  private var heads: [Int32]
  private var next: [Int32]
  private let mask: Int

  init(expectedKeys: Int, itemCount: Int) {
    var cap = 16
    while cap < expectedKeys * 2 { cap <<= 1 }
    keys = Array(repeating: 0, count: cap)
    heads = Array(repeating: -1, count: cap)
    next = Array(repeating: -1, count: max(itemCount, 0))
    mask = cap - 1
  }

  /// Prepends `item` to the chain of `hash`.
  mutating func insert(hash: UInt64, item: Int32) {
    var i = Int(truncatingIfNeeded: hash) & mask
    while true {
      let h = heads[i]
      if h < 0 {
        keys[i] = hash
        heads[i] = item
        return
      }
      if keys[i] == hash {
        next[Int(item)] = h
        heads[i] = item
        return
      }
      i = (i + 1) & mask
    }
  }

  /// The first item of the chain of `hash`, or -1.
  func first(_ hash: UInt64) -> Int32 {
    var i = Int(truncatingIfNeeded: hash) & mask
    while true {
      let h = heads[i]
      if h < 0 { return -1 }
      if keys[i] == hash { return h }
      i = (i + 1) & mask
    }
  }

  func next(after item: Int32) -> Int32 { next[Int(item)] }
}
