/// Matches expected payouts with Magma transactions in stages, each match recording its rule:
/// reference → exact → tolerance → split → wallet → mismatch. Never guesses: a transaction two
/// payouts could take sends both to `needs_review`. Hash maps keep it linear in the input size.
public enum Reconciler {
  /// `parallel` runs the independent parts (reading times, searching memos for references, hashing
  /// keys, categorising) on several threads; the result is the same with ``ParallelLoop/serial``.
  public static func reconcile(
    expected: [ExpectedPayout], transactions: [MagmaTransaction], settings: ReconciliationSettings,
    parallel: ParallelLoop = .serial
  ) -> ReconciliationResult {
    var state = ReconcilerState(
      expected: expected, transactions: transactions, settings: settings, parallel: parallel)
    state.matchByReference()
    state.matchExact()
    state.matchBySlot()
    state.matchMismatches()
    return state.finish()
  }
}

/// Working state of one reconciliation.
struct ReconcilerState {
  let expected: [ExpectedPayout]
  let txs: [MagmaTransaction]
  let settings: ReconciliationSettings
  let parallel: ParallelLoop
  /// Activity time of each transaction (completion, else creation; seconds since 1970) for windows,
  /// `Int64.min` when unknown.
  var txTime: [Int64]
  /// Creation time (else completion) for ordering: ties are broken by (this, id).
  var txOrder: [Int64]
  var txStatus: [MagmaTransaction.StatusClass]
  var txPayout: [Bool]
  var txClaimed: [Bool]
  /// First linked transaction per expected payout (-1 none); further ones in `moreLinks`.
  var firstLink: [Int32]
  var moreLinks: [Int32: [Int32]] = [:]
  var rule: [MatchRule?]
  var review: [ReviewCause?]
  var peer: [Int32]

  init(
    expected: [ExpectedPayout], transactions: [MagmaTransaction], settings: ReconciliationSettings,
    parallel: ParallelLoop = .serial
  ) {
    self.expected = expected
    self.txs = transactions
    self.settings = settings
    self.parallel = parallel
    let m = transactions.count
    // Field by field (no copy of the whole record per transaction), a range of them per thread, each
    // writing its range of the four arrays in place (no per-range arrays to join after).
    var time = [Int64](repeating: 0, count: m)
    var order = [Int64](repeating: 0, count: m)
    var status = [MagmaTransaction.StatusClass](repeating: .unknown, count: m)
    var payout = [Bool](repeating: false, count: m)
    let ranges = parallel.ranges(m)
    time.withUnsafeMutableBufferPointer { time in
      order.withUnsafeMutableBufferPointer { order in
        status.withUnsafeMutableBufferPointer { status in
          payout.withUnsafeMutableBufferPointer { payout in
            parallel.run(ranges.count) { k in
              for i in ranges[k] {
                let createdAt = transactions[i].createdAt
                let completedAt = transactions[i].completedAt
                let created = createdAt.isEmpty ? nil : Timestamp.seconds(createdAt)
                // Most exports repeat the creation time (one string since reading): parsed once.
                let completed =
                  completedAt.isEmpty
                  ? nil : completedAt == createdAt ? created : Timestamp.seconds(completedAt)
                time[i] = completed ?? created ?? .min
                order[i] = created ?? completed ?? .min
                status[i] = MagmaTransaction.statusClass(transactions[i].status)
                payout[i] = !MagmaTransaction.isNonPayout(type: transactions[i].type)
              }
            }
          }
        }
      }
    }
    txTime = time
    txOrder = order
    txStatus = status
    txPayout = payout
    txClaimed = txPayout.map { !$0 }
    let n = expected.count
    firstLink = [Int32](repeating: -1, count: n)
    rule = [MatchRule?](repeating: nil, count: n)
    review = [ReviewCause?](repeating: nil, count: n)
    peer = [Int32](repeating: -1, count: n)
  }

  // MARK: helpers

  func isOpen(_ e: Int) -> Bool { rule[e] == nil && review[e] == nil }

  mutating func link(_ e: Int, _ t: Int32) {
    txClaimed[Int(t)] = true
    if firstLink[e] < 0 {
      firstLink[e] = t
    } else {
      moreLinks[Int32(e), default: []].append(t)
    }
  }

  func links(_ e: Int) -> [Int32] {
    guard firstLink[e] >= 0 else { return [] }
    var all = [firstLink[e]]
    if let more = moreLinks[Int32(e)] { all += more }
    return all
  }

  /// (time, id) order.
  func before(_ a: Int32, _ b: Int32) -> Bool {
    let ta = txOrder[Int(a)]
    let tb = txOrder[Int(b)]
    if ta != tb { return ta < tb }
    let ia = txs[Int(a)].id
    let ib = txs[Int(b)].id
    if ia != ib { return ia < ib }
    return a < b
  }

  func inWindow(_ t: Int32, _ e: Int) -> Bool {
    guard let due = expected[e].dueDate else { return true }
    let time = txTime[Int(t)]
    guard time != .min else { return false }
    let day = Int(time >= 0 ? time / 86_400 : (time - 86_399) / 86_400)
    return abs(day - due.dayNumber) <= settings.windowDays
  }

  func sameSlot(_ t: Int32, _ e: Int) -> Bool {
    let i = Int(t)
    return MatchKeys.walletsEqual(txs[i].destinationAddress, expected[e].wallet)
      && AsciiText.equalsIgnoringCase(txs[i].currency, expected[e].currency)
      && AsciiText.equalsIgnoringCase(txs[i].network, expected[e].network)
  }

  func sameExpectedKey(_ a: Int, _ b: Int) -> Bool {
    expected[a].amount == expected[b].amount && MatchKeys.walletsEqual(expected[a].wallet, expected[b].wallet)
      && AsciiText.equalsIgnoringCase(expected[a].currency, expected[b].currency)
      && AsciiText.equalsIgnoringCase(expected[a].network, expected[b].network)
  }

  /// Sends `group` to review with `candidates` linked (claimed so they are not reported twice).
  mutating func sendToReview(_ e: Int, cause: ReviewCause, candidates: [Int32], peer other: Int32 = -1) {
    review[e] = cause
    if peer[e] < 0 { peer[e] = other }
    for t in candidates where !links(e).contains(t) { link(e, t) }
  }

  /// `hash(records, index(k))` for each `k` in `0..<count`, on every core, each record requested from
  /// memory 8 items ahead (`Prefetch.record`): the records are read in an order the hardware does not
  /// foresee, and hashing them was mostly waiting for them.
  func hashes<T>(
    of records: [T], count: Int, at index: (Int) -> Int, _ hash: (UnsafeBufferPointer<T>, Int) -> UInt64
  ) -> [UInt64] {
    // Each range writes its hashes in place (no arrays per range joined after).
    let ranges = parallel.ranges(count)
    return records.withUnsafeBufferPointer { buffer in
      [UInt64](unsafeUninitializedCapacity: count) { out, initialized in
        parallel.run(ranges.count) { r in
          let range = ranges[r]
          for k in range {
            if k + 8 < range.upperBound { Prefetch.record(buffer, index(k + 8)) }
            (out.baseAddress! + k).initialize(to: hash(buffer, index(k)))
          }
        }
        initialized = count
      }
    }
  }

  // MARK: stage 1: reference

  mutating func matchByReference() {
    // Every reference, Magna key and Magna id of every expected payout, in payout order: counted per
    // range of payouts, then written in place by each range (field by field: neither a copy of the whole
    // payout nor a list of its three texts per payout).
    let ranges = parallel.ranges(expected.count)
    let payouts = expected
    var starts = [Int](repeating: 0, count: ranges.count + 1)
    starts.withUnsafeMutableBufferPointer { starts in
      parallel.run(ranges.count) { r in
        var n = 0
        for e in ranges[r] {
          if !payouts[e].reference.isEmpty { n += 1 }
          if let key = payouts[e].magnaKey, !key.isEmpty { n += 1 }
          if let id = payouts[e].magnaId, !id.isEmpty { n += 1 }
        }
        starts[r + 1] = n
      }
    }
    for r in ranges.indices { starts[r + 1] += starts[r] }
    let total = starts[ranges.count]
    var owners = [Int32](repeating: 0, count: total)
    let texts = owners.withUnsafeMutableBufferPointer { owners in
      [String](unsafeUninitializedCapacity: total) { texts, initialized in
        parallel.run(ranges.count) { r in
          var k = starts[r]
          func add(_ text: String, _ e: Int) {
            guard !text.isEmpty else { return }
            (texts.baseAddress! + k).initialize(to: text)
            owners[k] = Int32(e)
            k += 1
          }
          for e in ranges[r] {
            add(payouts[e].reference, e)
            if let key = payouts[e].magnaKey { add(key, e) }
            if let id = payouts[e].magnaId { add(id, e) }
          }
        }
        initialized = total
      }
    }
    guard !texts.isEmpty else { return }
    var index = HashMultiMap(expectedKeys: texts.count, itemCount: texts.count)
    let descending = Array(stride(from: Int32(texts.count - 1), through: 0, by: -1))
    index.insert(
      hashes: hashes(of: texts, count: descending.count, at: { Int(descending[$0]) }) { r, i in
        MatchKeys.textHash(r[i])
      }, items: descending)
    // (transaction, payout) pairs in transaction order; a transaction's payouts in the order found.
    // Memos are read in place: the transactions through the array's buffer, each text as its bytes.
    // The threads read constants: a `var` captured by the closure would be loaded, retained and
    // released around every lookup.
    let txPayout = txPayout
    let map = index
    let refText = texts
    let refOwner = owners
    let parts = txs.withUnsafeBufferPointer { txs in
      parallel.map(txs.count) { range in
        var pairTx: [Int32] = []
        var pairOwner: [Int32] = []
        var found: [Int32] = []
        for t in range where txPayout[t] {
          // Each memo's bytes are a cache miss of their own: requested some transactions ahead.
          if t + 8 < range.upperBound { Prefetch.text(txs[t + 8].memo) }
          found.removeAll(keepingCapacity: true)
          if !txs[t].memo.isEmpty {
            TextScan.withBytes(txs[t].memo) { u in
              Self.findReferences(in: u, map: map, refText: refText, refOwner: refOwner, into: &found)
            }
          }
          if !txs[t].invoiceNumber.isEmpty {
            TextScan.withBytes(txs[t].invoiceNumber) { u in
              Self.findReferences(in: u, map: map, refText: refText, refOwner: refOwner, into: &found)
            }
          }
          for o in found {
            pairTx.append(Int32(t))
            pairOwner.append(o)
          }
        }
        return (pairTx, pairOwner)
      }
    }
    let pairTx = parts.flatMap(\.0)
    let pairOwner = parts.flatMap(\.1)
    // A transaction that names several payouts sends each of them to review.
    var start = 0
    while start < pairTx.count {
      var end = start + 1
      while end < pairTx.count && pairTx[end] == pairTx[start] { end += 1 }
      if end - start > 1 {
        for k in start..<end {
          let o = Int(pairOwner[k])
          let other = k == start ? pairOwner[start + 1] : pairOwner[start]
          review[o] = .sharedTransaction
          if peer[o] < 0 { peer[o] = other }
        }
      }
      start = end
    }
    // Each payout takes its transactions in transaction order.
    for k in pairTx.indices {
      let e = Int(pairOwner[k])
      link(e, pairTx[k])
      if review[e] == nil { rule[e] = .reference }
    }
  }

  /// Looks up every token of `text` (and the whole trimmed text) among the references.
  static func findReferences(
    in u: UnsafeBufferPointer<UInt8>, map: HashMultiMap, refText: [String], refOwner: [Int32],
    into owners: inout [Int32]
  ) {
    do {
      func lookup(_ a: Int, _ b: Int) {
        guard b > a, let base = u.baseAddress else { return }
        let token = UnsafeBufferPointer(start: base + a, count: b - a)
        var item = map.first(MatchKeys.textHash(token))
        while item >= 0 {
          let i = Int(item)
          if MatchKeys.equalsIgnoringCase(token, refText[i]), !owners.contains(refOwner[i]) {
            owners.append(refOwner[i])
          }
          item = map.next(after: item)
        }
      }
      func isSeparator(_ c: UInt8) -> Bool {
        switch c {
        case 32, 9, 10, 13, 44, 59, 40, 41, 91, 93, 123, 125, 34, 39, 124, 60, 62: return true
        default: return false
        }
      }
      // Whole text, trimmed.
      var a = 0
      var b = u.count
      while a < b && isSeparator(u[a]) { a += 1 }
      while b > a && isSeparator(u[b - 1]) { b -= 1 }
      lookup(a, b)
      // Tokens, with a leading `#` and trailing `.` `:` dropped.
      var i = 0
      while i < u.count {
        while i < u.count && isSeparator(u[i]) { i += 1 }
        var start = i
        while i < u.count && !isSeparator(u[i]) { i += 1 }
        var end = i
        if end - start == b - a && start == a { continue }
        if start < end && u[start] == UInt8(ascii: "#") { start += 1 }
        while end > start && (u[end - 1] == UInt8(ascii: ".") || u[end - 1] == UInt8(ascii: ":")) { end -= 1 }
        lookup(start, end)
      }
    }
  }

  // MARK: stage 2: exact

  mutating func matchExact() {
    let open = (0..<expected.count).filter { isOpen($0) }
    guard !open.isEmpty else { return }
    var expHash = [UInt64](repeating: 0, count: expected.count)
    let openHashes = hashes(of: expected, count: open.count, at: { open[$0] }) { p, e in
      MatchKeys.exactHash(
        wallet: p[e].wallet, currency: p[e].currency, network: p[e].network, amount: p[e].amount)
    }
    for (k, e) in open.enumerated() { expHash[e] = openHashes[k] }
    let unclaimed = stride(from: Int32(txs.count - 1), through: 0, by: -1).filter { !txClaimed[Int($0)] }
    let txHashes = hashes(of: txs, count: unclaimed.count, at: { Int(unclaimed[$0]) }) { r, t in
      MatchKeys.exactHash(
        wallet: r[t].destinationAddress, currency: r[t].currency, network: r[t].network, amount: r[t].amount)
    }
    // The two maps are built at the same time, one per core (each insertion is a serial pass; slots for
    // the transactions still unclaimed only, the maps being mapped and zeroed afresh).
    let payoutCount = expected.count
    let transactionCount = txs.count
    let exactHashes = expHash
    var maps = [HashMultiMap?](repeating: nil, count: 2)
    maps.withUnsafeMutableBufferPointer { maps in
      parallel.run(2) { k in
        if k == 0 {
          var map = HashMultiMap(expectedKeys: open.count, itemCount: payoutCount)
          let openDescending = open.reversed().map { Int32($0) }
          map.insert(hashes: openDescending.map { exactHashes[Int($0)] }, items: openDescending)
          maps[0] = map
        } else {
          var map = HashMultiMap(expectedKeys: unclaimed.count, itemCount: transactionCount)
          map.insert(hashes: txHashes, items: unclaimed)
          maps[1] = map
        }
      }
    }
    let expMap = maps[0]!
    let txMap = maps[1]!
    // The payouts of one key (wallet, currency, network, amount) and the transactions of that key are
    // theirs alone: matching one key's group links, claims and reviews nothing of another key. So the
    // groups and their candidates are found on every core, each group by its first open payout, and
    // then matched one after the other in payout order, exactly as one pass in payout order would.
    // A copy of the state for the threads to read (the state itself is `inout` here, and each of its
    // reads from a closure would be an exclusivity check).
    let state = self
    let pieces = parallel.map(open.count) { range in
      state.exactGroups(open: open, range: range, expHash: expHash, expMap: expMap, txMap: txMap)
    }
    for piece in pieces {
      for k in piece.payouts.indices {
        let e = Int(piece.payouts[k])
        let candidates = piece.candidates(k)
        guard let group = piece.groups[Int32(e)] else {
          for t in candidates { link(e, t) }
          rule[e] = .exact
          continue
        }
        resolveByWindow(group: group, candidates: Array(candidates), rule: .exact)
      }
    }
  }

  /// The exact stage's groups among `open[range]`: see `matchExact()`.
  func exactGroups(
    open: [Int], range: Range<Int>, expHash: [UInt64], expMap: HashMultiMap, txMap: HashMultiMap
  ) -> ExactGroups {
    var found = ExactGroups()
    // Reused for every payout (no two fresh arrays per payout).
    var candidates: [Int32] = []
    var group: [Int] = []
    for k in range {
      if k + 16 < range.upperBound {
        // The two tables are probed at random: their slots for a payout further on are requested now.
        let ahead = expHash[open[k + 16]]
        txMap.prefetch(ahead)
        expMap.prefetch(ahead)
      }
      if k + 8 < range.upperBound {
        // And the first candidate of a payout nearer on (its slot requested 8 payouts ago), whose
        // record is read at random too.
        let item = txMap.first(expHash[open[k + 8]])
        if item >= 0 { txs.withUnsafeBufferPointer { Prefetch.record($0, Int(item)) } }
      }
      let e = open[k]
      let h = expHash[e]
      group.removeAll(keepingCapacity: true)
      var first = true
      var g = expMap.first(h)
      while g >= 0 {
        if sameExpectedKey(Int(g), e) {
          // A payout before this one has the same key: that one finds the group.
          if Int(g) < e {
            first = false
            break
          }
          group.append(Int(g))
        }
        g = expMap.next(after: g)
      }
      guard first else { continue }
      candidates.removeAll(keepingCapacity: true)
      var item = txMap.first(h)
      while item >= 0 {
        if !txClaimed[Int(item)] && sameSlot(item, e) && txs[Int(item)].amount == expected[e].amount {
          candidates.append(item)
        }
        item = txMap.next(after: item)
      }
      if candidates.isEmpty { continue }
      if candidates.count > 1 { candidates.sort(by: before) }
      found.append(payout: e, candidates: candidates, group: group)
    }
    return found
  }

  /// Several payouts share the same key: each takes the single candidate inside its own window when
  /// no other payout wants it; the rest go to review.
  mutating func resolveByWindow(group: [Int], candidates: [Int32], rule matchRule: MatchRule) {
    var wanted: [Int32: [Int]] = [:]
    var own: [[Int32]] = []
    for e in group {
      let c = candidates.filter { inWindow($0, e) }
      own.append(c)
      for t in c { wanted[t, default: []].append(e) }
    }
    var unwanted = candidates.filter { wanted[$0] == nil }
    var withoutCandidates: [Int] = []
    for (k, e) in group.enumerated() {
      let c = own[k]
      if c.isEmpty {
        withoutCandidates.append(e)
      } else if c.count == 1, let w = wanted[c[0]], w.count == 1 {
        link(e, c[0])
        rule[e] = matchRule
      } else if c.count > 1 {
        sendToReview(e, cause: .severalCandidates, candidates: c)
      } else {
        let other = wanted[c[0]]?.first { $0 != e } ?? -1
        sendToReview(e, cause: .sharedTransaction, candidates: c, peer: Int32(other))
      }
    }
    if !unwanted.isEmpty && !withoutCandidates.isEmpty {
      unwanted.sort(by: before)
      for e in withoutCandidates {
        let other = withoutCandidates.first { $0 != e } ?? group.first { $0 != e } ?? -1
        sendToReview(e, cause: .severalCandidates, candidates: unwanted, peer: Int32(other))
      }
    }
  }

  // MARK: stages 3–5: tolerance, split, wallet (same wallet, currency and network)

  mutating func matchBySlot() {
    let open = (0..<expected.count).filter { isOpen($0) }
    guard !open.isEmpty else { return }
    let unclaimed = stride(from: Int32(txs.count - 1), through: 0, by: -1).filter { !txClaimed[Int($0)] }
    guard !unclaimed.isEmpty else { return }
    var slotMap = HashMultiMap(expectedKeys: unclaimed.count, itemCount: txs.count)
    slotMap.insert(
      hashes: hashes(of: txs, count: unclaimed.count, at: { Int(unclaimed[$0]) }) { r, t in
        MatchKeys.slotHash(wallet: r[t].destinationAddress, currency: r[t].currency, network: r[t].network)
      }, items: unclaimed)
    let openHashes = hashes(of: expected, count: open.count, at: { open[$0] }) { p, e in
      MatchKeys.slotHash(wallet: p[e].wallet, currency: p[e].currency, network: p[e].network)
    }
    var pool: [Int: [Int32]] = [:]
    for (k, e) in open.enumerated() {
      var c: [Int32] = []
      var item = slotMap.first(openHashes[k])
      while item >= 0 {
        if sameSlot(item, e) { c.append(item) }
        item = slotMap.next(after: item)
      }
      if !c.isEmpty {
        c.sort(by: before)
        pool[e] = c
      }
    }
    guard !pool.isEmpty else { return }
    let order = pool.keys.sorted()
    let tol = settings.tolerance
    // Tolerance: amount within tolerance and inside the window.
    assignUnique(order: order, rule: .tolerance) { s, e, _ in
      (pool[e] ?? []).filter {
        !s.txClaimed[Int($0)] && s.inWindow($0, e)
          && tol.accepts(paid: s.txs[Int($0)].amount, expected: s.expected[e].amount)
      }
    }
    matchSplits(order: order, pool: pool)
    // Wallet: the only transaction to this wallet, currency and network inside the window.
    assignUnique(order: order, rule: .wallet) { s, e, _ in
      (pool[e] ?? []).filter { !s.txClaimed[Int($0)] && s.inWindow($0, e) }
    }
  }

  /// Accepts a candidate only when it is the payout's only one and no other payout wants it.
  /// `candidates(state, e, k)` lists those of `order[k]`, payout `e`.
  mutating func assignUnique(
    order: [Int], rule matchRule: MatchRule, candidates: (Self, Int, Int) -> [Int32]
  ) {
    var proposals: [(Int, [Int32])] = []
    var wanted: [Int32: [Int]] = [:]
    for (k, e) in order.enumerated() where isOpen(e) {
      let c = candidates(self, e, k)
      if c.isEmpty { continue }
      proposals.append((e, c))
      for t in c { wanted[t, default: []].append(e) }
    }
    for (e, c) in proposals {
      if c.count == 1, let w = wanted[c[0]], w.count == 1 {
        link(e, c[0])
        rule[e] = matchRule
      } else if c.count > 1 {
        sendToReview(e, cause: .severalCandidates, candidates: c)
      } else {
        let other = wanted[c[0]]?.first { $0 != e } ?? -1
        sendToReview(e, cause: .sharedTransaction, candidates: c, peer: Int32(other))
      }
    }
  }

  mutating func matchSplits(order: [Int], pool: [Int: [Int32]]) {
    var proposals: [(Int, [Int32], ambiguous: Bool)] = []
    var wanted: [Int32: [Int]] = [:]
    for e in order where isOpen(e) {
      let target = expected[e].amount
      let c = (pool[e] ?? []).filter {
        !txClaimed[Int($0)] && txStatus[Int($0)] != .failed && inWindow($0, e)
          && txs[Int($0)].amount.isPositive && txs[Int($0)].amount < target
      }
      guard c.count >= 2, c.count <= settings.maxSplitCandidates else { continue }
      let found = SplitSearch.search(
        amounts: c.map { txs[Int($0)].amount }, target: target, tolerance: settings.tolerance,
        maxParts: settings.maxSplitParts)
      guard let first = found.first else { continue }
      let pick = first.map { c[$0] }
      let ambiguous = found.count > 1
      let involved = ambiguous ? Array(Set(found.flatMap { $0 }).sorted().map { c[$0] }) : pick
      proposals.append((e, involved, ambiguous))
      for t in involved { wanted[t, default: []].append(e) }
    }
    for (e, c, ambiguous) in proposals {
      let shared = c.compactMap { wanted[$0]?.first { $0 != e } }.first
      if ambiguous {
        sendToReview(e, cause: .severalSplits, candidates: c)
      } else if let shared {
        sendToReview(e, cause: .sharedTransaction, candidates: c, peer: Int32(shared))
      } else {
        for t in c { link(e, t) }
        rule[e] = .split
      }
    }
  }

  // MARK: stage 6: same wallet and amount, other currency or network

  mutating func matchMismatches() {
    let open = (0..<expected.count).filter { isOpen($0) }
    guard !open.isEmpty else { return }
    let unclaimed = stride(from: Int32(txs.count - 1), through: 0, by: -1).filter { !txClaimed[Int($0)] }
    var map = HashMultiMap(expectedKeys: unclaimed.count, itemCount: txs.count)
    map.insert(
      hashes: hashes(of: txs, count: unclaimed.count, at: { Int(unclaimed[$0]) }) { r, t in
        MatchKeys.walletAmountHash(wallet: r[t].destinationAddress, amount: r[t].amount)
      }, items: unclaimed)
    let openHashes = hashes(of: expected, count: open.count, at: { open[$0] }) { p, e in
      MatchKeys.walletAmountHash(wallet: p[e].wallet, amount: p[e].amount)
    }
    assignUnique(order: open, rule: .mismatch) { s, e, k in
      // Field by field: no copy of a payout or a transaction (each copy retains all its texts).
      var c: [Int32] = []
      var item = map.first(openHashes[k])
      while item >= 0 {
        let t = Int(item)
        if !s.txClaimed[t] && s.txStatus[t] != .failed
          && MatchKeys.walletsEqual(s.txs[t].destinationAddress, s.expected[e].wallet)
          && s.txs[t].amount == s.expected[e].amount
          && !(AsciiText.equalsIgnoringCase(s.txs[t].currency, s.expected[e].currency)
            && AsciiText.equalsIgnoringCase(s.txs[t].network, s.expected[e].network))
        {
          c.append(item)
        }
        item = map.next(after: item)
      }
      return c.count > 1 ? c.sorted(by: s.before) : c
    }
  }
}
