import AllotCore
import Dispatch
import Testing

/// The reconciler cuts its independent loops into ranges run on several threads; whatever the cut, the
/// result must be the one of the serial run.
@Suite struct ReconcilerParallelTests {
  /// A seeded mix that reaches every stage: references in memos (some naming two payouts), exact
  /// amounts, ties on the same key, fees within tolerance, splits, other currencies and networks,
  /// every status, non-payouts and strays.
  static func workload(seed: UInt64, payouts: Int) -> ([ExpectedPayout], [MagmaTransaction]) {
    var rng = SplitMix64(seed: seed)
    let wallets = (0..<(payouts / 3 + 2)).map { k in
      "0x" + String(repeating: String(k % 16, radix: 16), count: 8)
        + String(k, radix: 16)
        .padding(toLength: 32, withPad: "0", startingAt: 0)
    }
    let currencies = ["USDC", "USDT"]
    let networks = ["ethereum", "base", "polygon"]
    let statuses = ["completed", "completed", "completed", "pending", "failed", "mystery"]
    var expected: [ExpectedPayout] = []
    var txs: [MagmaTransaction] = []
    func day(_ d: Int) -> String { "2026-03-" + (d < 10 ? "0" : "") + String(d) }
    for e in 0..<payouts {
      let wallet = wallets[Int.random(in: 0..<wallets.count, using: &rng)]
      let currency = currencies[Int.random(in: 0..<2, using: &rng)]
      let network = networks[Int.random(in: 0..<3, using: &rng)]
      let amount = 100 + Int.random(in: 0..<20, using: &rng) * 50
      let due = 1 + Int.random(in: 0..<28, using: &rng)
      expected.append(
        ExpectedPayout(
          reference: "P-\(e)", stakeholder: "Holder \(e % 17)", wallet: wallet,
          amount: ExactDecimal(String(amount))!, currency: currency, network: network,
          dueDate: CalendarDay(iso: day(due))))
      let shape = Int.random(in: 0..<10, using: &rng)
      func tx(_ amount: String, memo: String = "", currency: String = currency, network: String = network) {
        txs.append(
          MagmaTransaction(
            id: "tx-\(txs.count)", type: Int.random(in: 0..<20, using: &rng) == 0 ? "fee" : "payout_crypto",
            status: statuses[Int.random(in: 0..<statuses.count, using: &rng)], amount: ExactDecimal(amount)!,
            currency: currency,
            network: network, destinationAddress: wallet, memo: memo,
            createdAt: day(1 + Int.random(in: 0..<28, using: &rng)) + "T10:00:00Z"))
      }
      switch shape {
      case 0: tx(String(amount), memo: "payout P-\(e)")
      case 1: tx(String(amount), memo: "P-\(e) and P-\(max(0, e - 1))")
      case 2: tx(String(amount) + ".3")
      case 3:
        tx(String(amount / 2))
        tx(String(amount - amount / 2))
      case 4: tx(String(amount), currency: "EURC")
      case 5: tx(String(amount), network: "arbitrum")
      case 6: break
      default: tx(String(amount))
      }
      if Int.random(in: 0..<8, using: &rng) == 0 { tx(String(amount)) }
    }
    return (expected, txs)
  }

  static func dispatch(width: Int) -> ParallelLoop {
    ParallelLoop(width: width, minimumPiece: 1) { count, body in
      withoutActuallyEscaping(body) { body in
        let shared = Shared(body: body)
        DispatchQueue.concurrentPerform(iterations: count) { shared.body($0) }
      }
    }
  }

  @Test(arguments: [(1 as UInt64, 2), (2, 3), (3, 4), (4, 7)])
  func parallelRunGivesTheSerialResult(seed: UInt64, width: Int) {
    let (expected, txs) = Self.workload(seed: seed, payouts: 600)
    let settings = ReconciliationSettings(
      tolerance: .init("0.5%")!, windowDays: 7, asOf: CalendarDay(year: 2026, month: 3, day: 31)!)
    let serial = Reconciler.reconcile(expected: expected, transactions: txs, settings: settings)
    let parallel = Reconciler.reconcile(
      expected: expected, transactions: txs, settings: settings, parallel: Self.dispatch(width: width))
    #expect(parallel.outcomes.map(\.category) == serial.outcomes.map(\.category))
    #expect(parallel.outcomes == serial.outcomes)
    for e in expected.indices {
      #expect(Array(parallel.linkedTransactions(e)) == Array(serial.linkedTransactions(e)), "payout \(e)")
    }
    #expect(parallel.unmatched == serial.unmatched)
    #expect(parallel.totals == serial.totals)
    #expect(parallel.categoryCounts == serial.categoryCounts)
    // The workload reaches the stages it is meant to.
    let rules = Set(serial.outcomes.compactMap(\.rule))
    #expect(rules.isSuperset(of: [.reference, .exact, .tolerance, .split]), "\(rules)")
    #expect(serial.count(.needsReview) > 0 && serial.count(.tokenMismatch) > 0)
  }

  @Test func rangesCoverEveryItemOnce() {
    let loop = Self.dispatch(width: 3)
    for count in [0, 1, 2, 3, 10, 1_000] {
      let ranges = loop.ranges(count)
      #expect(ranges.flatMap { Array($0) } == Array(0..<count))
      #expect(ranges.count <= 3)
    }
    #expect(ParallelLoop.serial.ranges(100_000).count == 1)
    #expect(ParallelLoop(width: 2) { _, _ in }.ranges(20_000).count == 1)
  }
}

private struct Shared: @unchecked Sendable {
  let body: (Int) -> Void
}
