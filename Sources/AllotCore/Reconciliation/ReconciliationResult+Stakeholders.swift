/// One stakeholder's payouts in one currency, for the report's per-stakeholder table.
public struct StakeholderTotal: Sendable, Hashable {
  public var stakeholder: String
  public var currency: String
  public var payouts = 0
  /// Payouts in an exception category.
  public var exceptions = 0
  public var expected = ExactDecimal.zero
  public var paid = ExactDecimal.zero
  /// True when a sum did not fit 38 digits (the figures are then incomplete).
  public var overflow = false

  public init(stakeholder: String, currency: String) {
    self.stakeholder = stakeholder
    self.currency = currency
  }

  public var difference: ExactDecimal { paid.subtracting(expected) ?? .zero }
}

extension ReconciliationResult {
  /// A total per (stakeholder, currency), in the order each pair first appears among the expected payouts.
  ///
  /// The pairs are found by a 64-bit hash of their bytes and checked text to text (a million payouts
  /// hashed with `Hasher` and compared as `String` keys took a third of a second); two pairs with the
  /// same hash, which practically never happens, are told apart through a dictionary.
  public func stakeholderTotals() -> [StakeholderTotal] {
    struct Pair: Hashable {
      var stakeholder: String
      var currency: String
    }
    var rows: [StakeholderTotal] = []
    var first = DuplicateFinder()
    var collided: [Pair: Int] = [:]
    func key(_ e: Int) -> UInt64 {
      var h = BodyHash.Streaming()
      h.add(0, expected[e].currency)
      h.add(1, expected[e].stakeholder)
      return h.finish()
    }
    // The table outgrows the cache (a pair per stakeholder and currency) and is probed at random: each
    // pair's slot is requested `ahead` payouts before it is probed, its key kept in a ring till then.
    let ahead = 16
    var ring = [UInt64](repeating: 0, count: ahead)
    for e in 0..<min(ahead, expected.count) {
      ring[e] = key(e)
      first.prefetch(ring[e])
    }
    for e in expected.indices {
      let stakeholder = expected[e].stakeholder
      let currency = expected[e].currency
      let pairKey = ring[e % ahead]
      if e + ahead < expected.count {
        ring[e % ahead] = key(e + ahead)
        first.prefetch(ring[e % ahead])
      }
      var i = rows.count
      if let j = first.candidate(forKey: pairKey, item: i) {
        if rows[j].stakeholder == stakeholder && rows[j].currency == currency {
          i = j
        } else if let k = collided[Pair(stakeholder: stakeholder, currency: currency)] {
          i = k
        } else {
          collided[Pair(stakeholder: stakeholder, currency: currency)] = i
        }
      }
      if i == rows.count { rows.append(StakeholderTotal(stakeholder: stakeholder, currency: currency)) }
      let o = outcomes[e]
      rows[i].payouts += 1
      if o.category.isException { rows[i].exceptions += 1 }
      if let sum = rows[i].expected.adding(expected[e].amount) {
        rows[i].expected = sum
      } else {
        rows[i].overflow = true
      }
      if let sum = rows[i].paid.adding(o.paid) {
        rows[i].paid = sum
      } else {
        rows[i].overflow = true
      }
    }
    return rows
  }
}
