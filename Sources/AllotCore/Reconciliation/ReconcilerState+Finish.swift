extension ReconcilerState {
  /// Categorises every payout from its linked transactions, lists unmatched transactions and adds up
  /// the totals.
  func finish() -> ReconciliationResult {
    var outcomes: [ExpectedOutcome] = []
    outcomes.reserveCapacity(expected.count)
    var flat: [Int32] = []
    flat.reserveCapacity(expected.count + moreLinks.count)
    var counts = [Int](repeating: 0, count: ReconciliationCategory.allCases.count)
    var totals = TotalsBuilder()
    for e in 0..<expected.count {
      var linked = links(e)
      if linked.count > 1 { linked.sort(by: before) }
      var o = categorize(e, linked)
      o.linkStart = Int32(flat.count)
      o.linkCount = Int32(linked.count)
      flat.append(contentsOf: linked)
      counts[o.category.index] += 1
      totals.add(expected[e], o)
      outcomes.append(o)
    }
    var unmatchedIdx: [Int32] = []
    for t in 0..<txs.count where !txClaimed[t] || !txPayout[t] { unmatchedIdx.append(Int32(t)) }
    unmatchedIdx.sort(by: before)
    var unmatched: [UnmatchedTransaction] = []
    unmatched.reserveCapacity(unmatchedIdx.count)
    for t in unmatchedIdx {
      let category: ReconciliationCategory = txPayout[Int(t)] ? .unexpectedTransaction : .nonPayout
      counts[category.index] += 1
      totals.add(txs[Int(t)], category)
      unmatched.append(UnmatchedTransaction(transactionIndex: Int(t), category: category))
    }
    return ReconciliationResult(
      expected: expected, transactions: txs, settings: settings, outcomes: outcomes, unmatched: unmatched,
      totals: totals.sorted(), categoryCounts: counts, links: flat)
  }

  func categorize(_ e: Int, _ linked: [Int32]) -> ExpectedOutcome {
    let p = expected[e]
    func outcome(
      _ c: ReconciliationCategory, paid: ExactDecimal = .zero, cause: ReviewCause? = nil
    ) -> ExpectedOutcome {
      ExpectedOutcome(
        category: c, rule: rule[e], paid: paid,
        difference: paid.subtracting(p.amount) ?? .zero, review: cause, peer: peer[e], linkStart: 0,
        linkCount: 0)
    }
    if let cause = review[e] { return outcome(.needsReview, cause: cause) }
    if linked.isEmpty {
      let due = p.dueDate ?? settings.asOf
      return outcome(due.adding(days: settings.windowDays) < settings.asOf ? .missing : .notYetDue)
    }
    var completed: [Int32] = []
    var inFlight: [Int32] = []
    for t in linked {
      switch txStatus[Int(t)] {
      case .completed: completed.append(t)
      case .inFlight: inFlight.append(t)
      case .failed: break
      case .unknown: return outcome(.needsReview, cause: .unknownStatus)
      }
    }
    if rule[e] == .mismatch || rule[e] == .reference {
      var otherCurrency = false
      var otherNetwork = false
      for t in completed + inFlight {
        let x = txs[Int(t)]
        if !AsciiText.equalsIgnoringCase(x.currency, p.currency) { otherCurrency = true }
        if !AsciiText.equalsIgnoringCase(x.network, p.network) { otherNetwork = true }
      }
      if otherCurrency && otherNetwork { return outcome(.needsReview, cause: .currencyAndNetwork) }
      if otherCurrency { return outcome(.tokenMismatch) }
      if otherNetwork { return outcome(.networkMismatch) }
      if rule[e] == .reference {
        for t in linked {
          let w = txs[Int(t)].destinationAddress
          if !w.isEmpty && !MatchKeys.walletsEqual(w, p.wallet) {
            return outcome(.needsReview, cause: .otherWallet)
          }
        }
      }
    }
    if completed.isEmpty { return outcome(inFlight.isEmpty ? .failedPayout : .inFlight) }
    var paid = ExactDecimal.zero
    for t in completed { paid = paid.adding(txs[Int(t)].amount) ?? paid }
    let tol = settings.tolerance
    if completed.count >= 2 && rule[e] != .split {
      let full = completed.filter { tol.accepts(paid: txs[Int($0)].amount, expected: p.amount) }
      if full.count >= 2 { return outcome(.duplicatePayout, paid: paid) }
    }
    if paid == p.amount { return outcome(.matched, paid: paid) }
    if tol.accepts(paid: paid, expected: p.amount) { return outcome(.matchedWithinTolerance, paid: paid) }
    if paid < p.amount {
      var pending = paid
      for t in inFlight { pending = pending.adding(txs[Int(t)].amount) ?? pending }
      if !inFlight.isEmpty && tol.accepts(paid: pending, expected: p.amount) {
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
  private var lastKey: (String, String, Int)? = nil

  private mutating func group(_ currency: String, _ network: String) -> Int {
    if let (c, n, i) = lastKey, c == currency, n == network { return i }
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
    lastKey = (currency, network, i)
    return i
  }

  mutating func add(_ p: ExpectedPayout, _ o: ExpectedOutcome) {
    let i = group(p.currency, p.network)
    groups[i].expectedCount += 1
    groups[i].add(p.amount, to: \.expected)
    groups[i].add(o.paid, to: \.paid)
    groups[i].count(o.category, amount: p.amount)
  }

  mutating func add(_ t: MagmaTransaction, _ c: ReconciliationCategory) {
    let i = group(t.currency, t.network)
    groups[i].count(c, amount: t.amount)
  }

  func sorted() -> [CurrencyNetworkTotals] {
    groups.sorted { ($0.currency, $0.network) < ($1.currency, $1.network) }
  }
}
