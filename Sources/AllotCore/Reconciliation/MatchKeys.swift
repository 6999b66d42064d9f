import CAllotKernels

/// Hashing and comparison of the fields matching keys on (wallet, currency, network, amount,
/// reference), without allocating: FNV-1a over the bytes, folded the way each field compares.
struct KeyHasher {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  /// Mixes in eight bytes (the final mixing in `finished` spreads them over every bit).
  @inline(__always)
  mutating func word(_ w: UInt64) {
    value = (value ^ w) &* 0x9FB2_1C65_1E98_DF25
    value ^= value >> 32
  }

  /// `u` eight bytes at a time, ASCII capitals folded to lower case when `foldCase`, then its length
  /// (so that consecutive fields cannot run into each other).
  @inline(__always)
  mutating func bytes(_ u: UnsafeBufferPointer<UInt8>, foldCase: Bool) {
    let n = u.count
    if let base = u.baseAddress, n > 0 {
      let raw = UnsafeRawPointer(base)
      @inline(__always) func fold(_ w: UInt64) -> UInt64 { foldCase ? SWARBytes.lowercasedASCII(w) : w }
      var i = 0
      while i + 8 <= n {
        word(fold(SWARBytes.load(raw, i)))
        i += 8
      }
      if i < n { word(fold(SWARBytes.tail(raw, from: i, to: n))) }
    }
    word(0xFF00_0000_0000_0000 | UInt64(n))
  }

  /// Bytes folded to lower case (ASCII).
  mutating func lowercased(_ s: String) {
    var text = s
    text.withUTF8 { bytes($0, foldCase: true) }
  }

  /// A wallet: EVM addresses folded to lower case, anything else exactly.
  mutating func wallet(_ s: String) {
    var text = s
    text.withUTF8 { u in bytes(u, foldCase: MatchKeys.isEVM(u)) }
  }

  /// An amount by numeric value (`2750.25` and `2750.250000` hash alike).
  mutating func amount(_ d: ExactDecimal) {
    let c = d.canonicalized
    let m = UInt128(bitPattern: c.significand)
    word(UInt64(truncatingIfNeeded: m))
    word(UInt64(truncatingIfNeeded: m >> 64))
    word(UInt64(truncatingIfNeeded: c.scale))
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
    guard u.count == 42, let base = u.baseAddress, base[0] == 48, base[1] == 120 || base[1] == 88 else {
      return false
    }
    // The 40 digits as five words of eight bytes.
    let raw = UnsafeRawPointer(base)
    var all = SWARBytes.highs
    for offset in stride(from: 2, to: 42, by: 8) {
      all &= SWARBytes.hexDigits(SWARBytes.load(raw, offset)).hex
    }
    return all == SWARBytes.highs
  }

  /// `0x` followed by 40 hex digits.
  static func isEVM(_ s: String) -> Bool {
    var text = s
    return text.withUTF8 { isEVM($0) }
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
    h.bytes(bytes, foldCase: true)
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
    return TextScan.withBytes(b) { AsciiText.equalsIgnoringCase(a, $0) }
  }
}

/// A multimap from 64-bit hashes to item numbers (0..<itemCount), open addressing; each hash holds a
/// chain of items in ascending order when items are inserted in descending order.
struct HashMultiMap {
  /// A hash and the first item of its chain side by side, so a probe touches one cache line.
  private struct Slot {
    var key: UInt64
    var head: Int32
  }
  private var slots: [Slot]
  private var next: [Int32]
  private let mask: Int

  init(expectedKeys: Int, itemCount: Int) {
    var cap = 16
    while cap < expectedKeys * 2 { cap <<= 1 }
    slots = Array(repeating: Slot(key: 0, head: -1), count: cap)
    next = Array(repeating: -1, count: max(itemCount, 0))
    mask = cap - 1
  }

  /// Prepends `item` to the chain of `hash`.
  mutating func insert(hash: UInt64, item: Int32) {
    var i = Int(truncatingIfNeeded: hash) & mask
    while true {
      let h = slots[i].head
      if h < 0 {
        slots[i] = Slot(key: hash, head: item)
        return
      }
      if slots[i].key == hash {
        next[Int(item)] = h
        slots[i].head = item
        return
      }
      i = (i + 1) & mask
    }
  }

  /// Inserts `items[k]` under `hashes[k]` in order (`insert(hash:item:)` for each), requesting each slot
  /// some inserts ahead: the table is larger than the cache and probed at random.
  mutating func insert(hashes: [UInt64], items: [Int32]) {
    let ahead = 16
    for k in hashes.indices {
      if k + ahead < hashes.count { prefetch(hashes[k + ahead]) }
      insert(hash: hashes[k], item: items[k])
    }
  }

  /// Starts loading the slot `hash` is probed at first (`insert` or `first` for it soon finds it in cache).
  @inline(__always)
  func prefetch(_ hash: UInt64) {
    let i = Int(truncatingIfNeeded: hash) & mask
    slots.withUnsafeBufferPointer { allot_prefetch_for_write($0.baseAddress! + i) }
  }

  /// The first item of the chain of `hash`, or -1.
  func first(_ hash: UInt64) -> Int32 {
    var i = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = slots[i]
      if slot.head < 0 { return -1 }
      if slot.key == hash { return slot.head }
      i = (i + 1) & mask
    }
  }

  func next(after item: Int32) -> Int32 { next[Int(item)] }
}
