extension ReconcilerState {
  /// Categorises every payout from its linked transactions, lists unmatched transactions and adds up
  /// the totals.
  func finish() -> ReconciliationResult {
    // Outcomes and their links, a range of payouts per thread: each thread writes its payouts' outcomes
    // in place (link starts relative to its range's links), then the starts are moved past the ranges
    // before. No second array of a million outcomes.
    let ranges = parallel.ranges(expected.count)
    var rangeLinks = [[Int32]](repeating: [], count: ranges.count)
    // Each range's totals and counts too, added up after (a few groups each).
    var rangeTotals = [TotalsBuilder](repeating: TotalsBuilder(), count: ranges.count)
    var outcomes = [ExpectedOutcome](unsafeUninitializedCapacity: expected.count) { buffer, initialized in
      rangeLinks.withUnsafeMutableBufferPointer { linkSlots in
        rangeTotals.withUnsafeMutableBufferPointer { totalSlots in
          parallel.run(ranges.count) { k in
            var totals = TotalsBuilder()
            var flat: [Int32] = []
            flat.reserveCapacity(ranges[k].count)
            // Reused for every payout (no fresh array per payout).
            var linked: [Int32] = []
            for e in ranges[k] {
              linked.removeAll(keepingCapacity: true)
              if firstLink[e] >= 0 {
                linked.append(firstLink[e])
                if let more = moreLinks[Int32(e)] {
                  linked.append(contentsOf: more)
                  linked.sort(by: before)
                }
              }
              var o = categorize(e, linked)
              o.linkStart = Int32(flat.count)
              o.linkCount = Int32(linked.count)
              flat.append(contentsOf: linked)
              totals.add(
                currency: expected[e].currency, network: expected[e].network, amount: expected[e].amount, o)
              (buffer.baseAddress! + e).initialize(to: o)
            }
            linkSlots[k] = flat
            totalSlots[k] = totals
          }
        }
      }
      initialized = expected.count
    }
    var flat: [Int32] = []
    flat.reserveCapacity(rangeLinks.reduce(0) { $0 + $1.count })
    for (k, range) in ranges.enumerated() {
      let base = Int32(flat.count)
      if base > 0 { for e in range { outcomes[e].linkStart += base } }
      flat.append(contentsOf: rangeLinks[k])
    }
    var totals = TotalsBuilder()
    for range in rangeTotals { totals.merge(range) }
    var unmatchedIdx: [Int32] = []
    for t in 0..<txs.count where !txClaimed[t] || !txPayout[t] { unmatchedIdx.append(Int32(t)) }
    unmatchedIdx.sort(by: before)
    var unmatched: [UnmatchedTransaction] = []
    unmatched.reserveCapacity(unmatchedIdx.count)
    for t in unmatchedIdx {
      let category: ReconciliationCategory = txPayout[Int(t)] ? .unexpectedTransaction : .nonPayout
      totals.add(
        currency: txs[Int(t)].currency, network: txs[Int(t)].network, amount: txs[Int(t)].amount, category)
      unmatched.append(UnmatchedTransaction(transactionIndex: Int(t), category: category))
    }
    return ReconciliationResult(
      expected: expected, transactions: txs, settings: settings, outcomes: outcomes, unmatched: unmatched,
      totals: totals.sorted(), categoryCounts: totals.counts, links: flat)
  }

  /// The payout's category from its linked transactions (in (time, id) order). Reads the payout and the
  /// transactions field by field: no copy of a whole record, no list built, for each of a million payouts.
  func categorize(_ e: Int, _ linked: [Int32]) -> ExpectedOutcome {
    let amount = expected[e].amount
    func outcome(
      _ c: ReconciliationCategory, paid: ExactDecimal = .zero, cause: ReviewCause? = nil
    ) -> ExpectedOutcome {
      ExpectedOutcome(
        category: c, rule: rule[e], paid: paid,
        difference: paid.subtracting(amount) ?? .zero, review: cause, peer: peer[e], linkStart: 0,
        linkCount: 0)
    }
    if let cause = review[e] { return outcome(.needsReview, cause: cause) }
    if linked.isEmpty {
      let due = expected[e].dueDate ?? settings.asOf
      return outcome(due.adding(days: settings.windowDays) < settings.asOf ? .missing : .notYetDue)
    }
    var completedCount = 0
    var inFlightCount = 0
    for t in linked {
      switch txStatus[Int(t)] {
      case .completed: completedCount += 1
      case .inFlight: inFlightCount += 1
      case .failed: break
      case .unknown: return outcome(.needsReview, cause: .unknownStatus)
      }
    }
    func isCompleted(_ t: Int32) -> Bool { txStatus[Int(t)] == .completed }
    if rule[e] == .mismatch || rule[e] == .reference {
      var otherCurrency = false
      var otherNetwork = false
      for t in linked where txStatus[Int(t)] != .failed {
        let i = Int(t)
        if !AsciiText.equalsIgnoringCase(txs[i].currency, expected[e].currency) { otherCurrency = true }
        if !AsciiText.equalsIgnoringCase(txs[i].network, expected[e].network) { otherNetwork = true }
      }
      if otherCurrency && otherNetwork { return outcome(.needsReview, cause: .currencyAndNetwork) }
      if otherCurrency { return outcome(.tokenMismatch) }
      if otherNetwork { return outcome(.networkMismatch) }
      if rule[e] == .reference {
        for t in linked {
          let w = txs[Int(t)].destinationAddress
          if !w.isEmpty && !MatchKeys.walletsEqual(w, expected[e].wallet) {
            return outcome(.needsReview, cause: .otherWallet)
          }
        }
      }
    }
    if completedCount == 0 { return outcome(inFlightCount == 0 ? .failedPayout : .inFlight) }
    var paid = ExactDecimal.zero
    for t in linked where isCompleted(t) { paid = paid.adding(txs[Int(t)].amount) ?? paid }
    let tol = settings.tolerance
    if completedCount >= 2 && rule[e] != .split {
      var full = 0
      for t in linked where isCompleted(t) && tol.accepts(paid: txs[Int(t)].amount, expected: amount) {
        full += 1
      }
      if full >= 2 { return outcome(.duplicatePayout, paid: paid) }
    }
    if paid == amount { return outcome(.matched, paid: paid) }
    if tol.accepts(paid: paid, expected: amount) { return outcome(.matchedWithinTolerance, paid: paid) }
    if paid < amount {
      var pending = paid
      for t in linked where txStatus[Int(t)] == .inFlight {
        pending = pending.adding(txs[Int(t)].amount) ?? pending
      }
      if inFlightCount > 0 && tol.accepts(paid: pending, expected: amount) {
        return outcome(.inFlight, paid: paid)
      }
      return outcome(.partiallyPaid, paid: paid)
    }
    return outcome(.overpaid, paid: paid)
  }
}

/// Adds up totals per currency × network.
struct TotalsBuilder {
  private var index: [String: Int] = [:]
  private var groups: [CurrencyNetworkTotals] = []
  /// The first spellings met of each group's currency and network (at most `recentLimit`), found by
  /// plain comparison: a file has a handful of them, and normalising and hashing the two texts again
  /// for each of a million payouts took 0.2 s.
  private var recent: [(currency: String, network: String, group: Int)] = []
  private static let recentLimit = 16

  private mutating func group(_ currency: String, _ network: String) -> Int {
    for r in recent where r.currency == currency && r.network == network { return r.group }
    let cu = AsciiText.uppercased(currency)
    let ne = AsciiText.lowercased(network)
    let key = cu + "\u{1F}" + ne
    let i: Int
    if let found = index[key] {
      i = found
    } else {
      i = groups.count
      index[key] = i
      groups.append(CurrencyNetworkTotals(currency: cu, network: ne))
    }
    if recent.count < Self.recentLimit { recent.append((currency, network, i)) }
    return i
  }

  /// How many payouts and transactions of each category were added (indexed like
  /// `ReconciliationCategory.allCases`).
  private(set) var counts = [Int](repeating: 0, count: ReconciliationCategory.allCases.count)

  /// Adds what `other` added, group by group. The sums are exact, so the totals are those of adding
  /// everything to one builder (unless a sum passes 38 digits, which makes the figures incomplete
  /// either way: `overflow`).
  mutating func merge(_ other: TotalsBuilder) {
    for k in counts.indices { counts[k] += other.counts[k] }
    for g in other.groups { groups[group(g.currency, g.network)].add(g) }
  }

  /// An expected payout of `amount` and its outcome.
  mutating func add(currency: String, network: String, amount: ExactDecimal, _ o: ExpectedOutcome) {
    counts[o.category.index] += 1
    let i = group(currency, network)
    groups[i].expectedCount += 1
    groups[i].add(amount, to: \.expected)
    groups[i].add(o.paid, to: \.paid)
    groups[i].count(o.category, amount: amount)
  }

  /// A transaction of `amount` that matched no payout.
  mutating func add(currency: String, network: String, amount: ExactDecimal, _ c: ReconciliationCategory) {
    counts[c.index] += 1
    let i = group(currency, network)
    groups[i].count(c, amount: amount)
  }

  func sorted() -> [CurrencyNetworkTotals] {
    groups.sorted { ($0.currency, $0.network) < ($1.currency, $1.network) }
  }
}
