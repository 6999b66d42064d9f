import CAllotKernels

/// The first row of each duplicate key (`RowValidation.duplicateKey`) met in a file: open addressing
/// with linear probing, 12 bytes a slot, indexed by the keys themselves (well-mixed hashes already).
/// Its capacity need not be a power of two, so a table reserved for a file's rows stays close to
/// their count.
struct DuplicateTable: Sendable {
  /// A key and its row side by side, so that a probe touches one cache line (the table is random
  /// access over tens of megabytes for a million rows).
  /// The key as two 32-bit halves: 4-byte alignment keeps a slot at 12 bytes.
  private struct Slot: Sendable {
    var keyHigh: UInt32
    var keyLow: UInt32
    /// `empty` for a free slot.
    var row: Int32

    init(key: UInt64, row: Int32) {
      keyHigh = UInt32(truncatingIfNeeded: key >> 32)
      keyLow = UInt32(truncatingIfNeeded: key)
      self.row = row
    }

    var key: UInt64 { UInt64(keyHigh) << 32 | UInt64(keyLow) }
  }
  private var slots: [Slot] = []
  private(set) var count = 0
  private static let empty = Int32.min

  init() {}

  /// Slots: room for `n` keys at most 3/4 full.
  private static func slots(for n: Int) -> Int { max(16, n + n / 3 + 1) }

  /// Makes room for `n` keys in all without growing.
  mutating func reserve(_ n: Int) {
    let wanted = Self.slots(for: n)
    if wanted > slots.count { rehash(slots: wanted) }
  }

  /// The row recorded for `key`, or nil after recording `row` for it.
  mutating func firstRow(of key: UInt64, else row: Int32) -> Int32? {
    if (count + 1) * 4 > slots.count * 3 { rehash(slots: Self.slots(for: max(count + 1, count * 2))) }
    let n = slots.count
    var i = Int(truncatingIfNeeded: key.multipliedFullWidth(by: UInt64(n)).high)
    while true {
      let slot = slots[i]
      if slot.row == Self.empty {
        slots[i] = Slot(key: key, row: row)
        count += 1
        return nil
      }
      if slot.key == key { return slot.row }
      i += 1
      if i == n { i = 0 }
    }
  }

  /// Starts loading the slot where `key` would be probed first, so that `firstRow(of:else:)` for it a
  /// little later finds it in cache (the table is too large for the cache, and probed at random).
  @inline(__always)
  func prefetch(_ key: UInt64) {
    let n = slots.count
    guard n > 0 else { return }
    let i = Int(truncatingIfNeeded: key.multipliedFullWidth(by: UInt64(n)).high)
    slots.withUnsafeBufferPointer { allot_prefetch_for_write($0.baseAddress! + i) }
  }

  private mutating func rehash(slots n: Int) {
    let old = slots
    slots = [Slot](repeating: Slot(key: 0, row: Self.empty), count: n)
    count = 0
    for slot in old where slot.row != Self.empty {
      _ = firstRow(of: slot.key, else: slot.row)
    }
  }
}
