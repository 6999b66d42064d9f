/// The first row of each duplicate key (`RowValidation.duplicateKey`) met in a file: open addressing
/// with linear probing, 12 bytes a slot, indexed by the keys themselves (well-mixed hashes already).
/// Its capacity need not be a power of two, so a table reserved for a file's rows stays close to
/// their count.
struct DuplicateTable: Sendable {
  private var keys: [UInt64] = []
  /// `empty` for a free slot.
  private var rows: [Int32] = []
  private(set) var count = 0
  private static let empty = Int32.min

  init() {}

  /// Slots: room for `n` keys at most 3/4 full.
  private static func slots(for n: Int) -> Int { max(16, n + n / 3 + 1) }

  /// Makes room for `n` keys in all without growing.
  mutating func reserve(_ n: Int) {
    let wanted = Self.slots(for: n)
    if wanted > keys.count { rehash(slots: wanted) }
  }

  /// The row recorded for `key`, or nil after recording `row` for it.
  mutating func firstRow(of key: UInt64, else row: Int32) -> Int32? {
    if (count + 1) * 4 > keys.count * 3 { rehash(slots: Self.slots(for: max(count + 1, count * 2))) }
    let n = keys.count
    var i = Int(truncatingIfNeeded: key.multipliedFullWidth(by: UInt64(n)).high)
    while true {
      let r = rows[i]
      if r == Self.empty {
        keys[i] = key
        rows[i] = row
        count += 1
        return nil
      }
      if keys[i] == key { return r }
      i += 1
      if i == n { i = 0 }
    }
  }

  private mutating func rehash(slots: Int) {
    let oldKeys = keys
    let oldRows = rows
    keys = [UInt64](repeating: 0, count: slots)
    rows = [Int32](repeating: Self.empty, count: slots)
    count = 0
    for i in oldRows.indices where oldRows[i] != Self.empty {
      _ = firstRow(of: oldKeys[i], else: oldRows[i])
    }
  }
}
