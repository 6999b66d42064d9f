import AllotCore
import Testing

private let asOf = CalendarDay(year: 2026, month: 3, day: 31)!
private let w1 = "0x1111111111111111111111111111111111111111"
private let w2 = "0x2222222222222222222222222222222222222222"

private func pay(
  _ ref: String, _ wallet: String, _ amount: String, currency: String = "USDC", network: String = "ethereum",
  due: String = "2026-03-15", stakeholder: String = "Ada"
) -> ExpectedPayout {
  ExpectedPayout(
    reference: ref, stakeholder: stakeholder, wallet: wallet, amount: ExactDecimal(amount)!,
    currency: currency,
    network: network, dueDate: CalendarDay(iso: due))
}

private func tx(
  _ id: String, _ wallet: String, _ amount: String, status: String = "completed",
  type: String = "payout_crypto",
  currency: String = "USDC", network: String = "ethereum", memo: String = "",
  at: String = "2026-03-15T10:00:00Z"
) -> MagmaTransaction {
  MagmaTransaction(
    id: id, type: type, status: status, amount: ExactDecimal(amount)!, currency: currency, network: network,
    destinationAddress: wallet, memo: memo, createdAt: at)
}

private func run(
  _ expected: [ExpectedPayout], _ txs: [MagmaTransaction], tolerance: String = "0.5%"
) -> ReconciliationResult {
  Reconciler.reconcile(
    expected: expected, transactions: txs,
    settings: ReconciliationSettings(tolerance: .init(tolerance)!, windowDays: 7, asOf: asOf))
}

private func category(_ r: ReconciliationResult, _ ref: String) -> ReconciliationCategory? {
  r.expected.firstIndex { $0.reference == ref }.map { r.outcomes[$0].category }
}

@Suite struct ReconcilerTests {
  @Test func exactMatchComparesDecimalsAndEVMWalletsIgnoringCase() {
    let r = run([pay("P1", w1.uppercased().replacingFirstX(), "2750.25")], [tx("t1", w1, "2750.250000")])
    #expect(r.outcomes[0].category == .matched)
    #expect(r.outcomes[0].rule == .exact)
    #expect(r.reason(forExpected: 0).hasPrefix("paid 2750.25 of 2750.25 USDC by t1"))
    #expect(!r.hasExceptions)
  }

  @Test func referenceInMemoWinsOverAmount() {
    let r = run([pay("P-7", w1, "100")], [tx("t1", w1, "90", memo: "Payout P-7 March")])
    #expect(r.outcomes[0].rule == .reference)
    #expect(r.outcomes[0].category == .partiallyPaid)
    // A longer reference is not a match for a shorter one.
    let r2 = run([pay("P-7", w1, "100", due: "2026-01-01")], [tx("t1", w2, "90", memo: "Payout P-70")])
    #expect(r2.outcomes[0].category == .missing)
    #expect(r2.unmatched.map(\.category) == [.unexpectedTransaction])
  }

  @Test func withinToleranceGivesAFieldByFieldReason() {
    let r = run([pay("P1", w1, "1000.00")], [tx("t1", w1, "997")])
    #expect(r.outcomes[0].category == .matchedWithinTolerance)
    #expect(r.outcomes[0].rule == .tolerance)
    #expect(r.reason(forExpected: 0).contains("paid 997.00 of 1000.00 USDC by t1, 3.00 short, within 0.5 %"))
  }

  @Test func reasonsOfSingleCompletedPaymentsAreWholeSentences() {
    var fee = tx("t4", w2, "995")
    fee.fee = ExactDecimal("5")!
    let r = run(
      [
        pay("P1", w1, "2750.25"), pay("P-7", w1, "100", currency: "USDT"), pay("P3", w2, "1000.00"),
        pay("P4", w2, "1000", currency: "EURC"), pay("P5", w1, "10", network: "base"),
      ],
      [
        tx("t1", w1, "2750.250000"), tx("t2", w1, "100", currency: "USDT", memo: "for P-7"), fee,
        tx("t5", w1, "10.02", network: "base"),
      ])
    #expect(
      r.reason(forExpected: 0)
        == "paid 2750.25 of 2750.25 USDC by t1 (same wallet, currency, network and amount)")
    #expect(
      r.reason(forExpected: 1) == "paid 100 of 100 USDT by t2 (reference P-7 in memo or invoice number)")
    #expect(
      r.reason(forExpected: 2)
        == "paid 995.00 of 1000.00 USDC by t4, 5.00 short, within 0.5 % (the fee 5.00 makes up the difference)"
    )
    #expect(r.reason(forExpected: 4) == "paid 10.02 of 10 USDC by t5, 0.02 over, within 0.5 %")
    // The byte form the reports use is the same text, for every payout (both paths).
    for e in r.expected.indices {
      var bytes: [UInt8] = [1, 2]
      r.appendReason(forExpected: e, to: &bytes)
      #expect(bytes == [1, 2] + Array(r.reason(forExpected: e).utf8), "payout \(e)")
    }
  }

  /// Missing and not-yet-due payouts have their sentence written as bytes too: the same text.
  @Test func reasonsOfUnpaidPayoutsAreTheSameAsBytes() {
    let r = run(
      [
        pay("P1", w1, "2750.25", due: "2026-01-02"),
        pay("P2", w2, "100", currency: "USDT", due: "2026-03-30"),
        pay("P3", w2, "5", network: "base", due: "2026-03-24"),
      ], [])
    #expect(r.outcomes.map(\.category) == [.missing, .notYetDue, .notYetDue])
    #expect(
      r.reason(forExpected: 0)
        == "no transaction pays 2750.25 USDC on ethereum to \(w1); due 2026-01-02, the 7-day window ended 2026-01-09, before 2026-03-31"
    )
    #expect(
      r.reason(forExpected: 1)
        == "no transaction yet; due 2026-03-30, the 7-day window runs until 2026-04-06, after 2026-03-31")
    for e in r.expected.indices {
      var bytes: [UInt8] = [1]
      r.appendReason(forExpected: e, to: &bytes)
      #expect(bytes == [1] + Array(r.reason(forExpected: e).utf8), "payout \(e)")
    }
  }

  @Test func partiallyPaidAndOverpaidByWallet() {
    let r = run(
      [pay("P1", w1, "1000"), pay("P2", w2, "1000")],
      [tx("t1", w1, "600"), tx("t2", w2, "1500")])
    #expect(category(r, "P1") == .partiallyPaid)
    #expect(category(r, "P2") == .overpaid)
    #expect(r.outcomes[0].rule == .wallet)
    #expect(r.outcomes[1].difference == ExactDecimal("500")!)
  }

  @Test func duplicatePayoutWhenTwoTransactionsPayInFull() {
    let r = run(
      [pay("P1", w1, "250")], [tx("t2", w1, "250", at: "2026-03-16T00:00:00Z"), tx("t1", w1, "250")])
    #expect(r.outcomes[0].category == .duplicatePayout)
    #expect(r.linkedTransactions(0).map { r.transactions[Int($0)].id } == ["t1", "t2"])
    #expect(r.outcomes[0].paid == ExactDecimal("500")!)
  }

  @Test func inFlightFailedMissingNotYetDue() {
    let r = run(
      [
        pay("A", w1, "10"), pay("B", w2, "20"), pay("C", "TXyz", "30", due: "2026-03-01"),
        pay("D", "TAbc", "40", due: "2026-04-10"),
      ],
      [tx("t1", w1, "10", status: "processing"), tx("t2", w2, "20", status: "returned")])
    #expect(category(r, "A") == .inFlight)
    #expect(category(r, "B") == .failedPayout)
    #expect(category(r, "C") == .missing)
    #expect(category(r, "D") == .notYetDue)
  }

  @Test func failedThenRetriedIsMatched() {
    let r = run(
      [pay("A", w1, "10")],
      [tx("t1", w1, "10", status: "failed"), tx("t2", w1, "10", at: "2026-03-16T00:00:00Z")])
    #expect(r.outcomes[0].category == .matched)
    #expect(r.reason(forExpected: 0).contains("t1 was failed"))
  }

  @Test func tokenAndNetworkMismatch() {
    let r = run(
      [pay("A", w1, "10"), pay("B", w2, "20")],
      [tx("t1", w1, "10", currency: "USDT"), tx("t2", w2, "20", network: "polygon")])
    #expect(category(r, "A") == .tokenMismatch)
    #expect(category(r, "B") == .networkMismatch)
    #expect(r.outcomes[0].paid == .zero)
  }

  @Test func splitBySum() {
    let r = run(
      [pay("A", w1, "1000")],
      [
        tx("t1", w1, "600"), tx("t2", w1, "400", at: "2026-03-16T10:00:00Z"),
        tx("t3", w1, "5", status: "failed"),
      ])
    #expect(r.outcomes[0].category == .matched)
    #expect(r.outcomes[0].rule == .split)
    #expect(r.reason(forExpected: 0).contains("in 2 parts (t1 600 + t2 400)"))
  }

  @Test func ambiguousSplitNeedsReview() {
    let r = run([pay("A", w1, "1000")], [tx("t1", w1, "500"), tx("t2", w1, "500"), tx("t3", w1, "500")])
    #expect(r.outcomes[0].category == .needsReview)
    #expect(r.outcomes[0].review == .severalSplits)
  }

  @Test func twoPayoutsWantingOneTransactionBothNeedReview() {
    // Same wallet/currency/network, both within tolerance of the one transaction.
    let r = run([pay("A", w1, "1000"), pay("B", w1, "1001")], [tx("t1", w1, "999")])
    #expect(category(r, "A") == .needsReview)
    #expect(category(r, "B") == .needsReview)
    #expect(r.outcomes[0].review == .sharedTransaction)
    #expect(r.reason(forExpected: 0).contains("payout B"))
    #expect(r.unmatched.isEmpty)
  }

  @Test func tieOfSameKeyResolvedByWindowElseReview() {
    // Two monthly payouts of the same amount: each takes the one inside its own window.
    let r = run(
      [pay("Feb", w1, "100", due: "2026-02-15"), pay("Mar", w1, "100", due: "2026-03-15")],
      [
        tx("t-mar", w1, "100", at: "2026-03-14T09:00:00Z"),
        tx("t-feb", w1, "100", at: "2026-02-15T09:00:00Z"),
      ])
    #expect(category(r, "Feb") == .matched)
    #expect(category(r, "Mar") == .matched)
    #expect(r.linkedTransactions(0).map { r.transactions[Int($0)].id } == ["t-feb"])
    // Same due date: allot cannot tell them apart.
    let r2 = run(
      [pay("X", w1, "100"), pay("Y", w1, "100")],
      [tx("t1", w1, "100"), tx("t2", w1, "100")])
    #expect(r2.outcomes.allSatisfy { $0.category == .needsReview })
    #expect(r2.linkedTransactions(0).map { r2.transactions[Int($0)].id } == ["t1", "t2"])
  }

  @Test func referenceNamingTwoPayoutsNeedsReview() {
    let r = run([pay("A1", w1, "10"), pay("B1", w2, "10")], [tx("t1", w1, "10", memo: "A1 B1")])
    #expect(r.outcomes.allSatisfy { $0.category == .needsReview })
  }

  @Test func unknownStatusNeedsReviewAndNonPayouts() {
    let r = run(
      [pay("A", w1, "10")],
      [
        tx("t1", w1, "10", status: "weird"), tx("f1", "", "1.5", type: "fee"),
        tx("d1", w2, "99", type: "deposit_crypto"),
      ])
    #expect(r.outcomes[0].category == .needsReview)
    #expect(r.outcomes[0].review == .unknownStatus)
    #expect(r.unmatched.map(\.category) == [.nonPayout, .nonPayout])
  }

  @Test func totalsAddUpExactlyPerCurrencyAndNetwork() {
    let expected = [
      pay("A", w1, "0.1"), pay("B", w2, "0.2"),
      pay("C", w1, "1000000000000.000000000000000001", currency: "USDT"),
    ]
    let r = run(expected, [tx("t1", w1, "0.1"), tx("t2", w2, "0.2")])
    let usdc = r.totals.first { $0.currency == "USDC" }
    #expect(usdc?.expected == ExactDecimal("0.3")!)
    #expect(usdc?.paid == ExactDecimal("0.3")!)
    #expect(usdc?.difference == .zero)
    let usdt = r.totals.first { $0.currency == "USDT" }
    #expect(usdt?.expected.description == "1000000000000.000000000000000001")
    #expect(usdt?.total(.missing).count == 1)
    let sum = r.totals.reduce(ExactDecimal.zero) { $0 + $1.expected }
    #expect(sum == expected.reduce(ExactDecimal.zero) { $0 + $1.amount })
  }

  @Test func everyExpectedCategoryIsReachable() {
    var seen = Set<ReconciliationCategory>()
    let r = run(
      [
        pay("M", w1, "100"), pay("T", w2, "1000"), pay("PP", "S1", "1000"), pay("OP", "S2", "10"),
        pay("DU", "S3", "5"), pay("IF", "S4", "7"), pay("FP", "S5", "8"),
        pay("MI", "S6", "9", due: "2026-01-01"),
        pay("NY", "S7", "9", due: "2026-05-01"), pay("TM", "S8", "11"), pay("NM", "S9", "12"),
        pay("R1", "S10", "13"), pay("R2", "S10", "13"),
      ],
      [
        tx("a", w1, "100"), tx("b", w2, "996"), tx("c", "S1", "100"), tx("d", "S2", "20"), tx("e", "S3", "5"),
        tx("e2", "S3", "5"), tx("f", "S4", "7", status: "pending"), tx("g", "S5", "8", status: "expired"),
        tx("h", "S8", "11", currency: "USDT"), tx("i", "S9", "12", network: "base"), tx("j", "S10", "13"),
        tx("k", "S11", "1"),
      ])
    for o in r.outcomes { seen.insert(o.category) }
    for u in r.unmatched { seen.insert(u.category) }
    #expect(seen.count == ReconciliationCategory.allCases.count - 1)  // all but non_payout
    #expect(r.hasExceptions)
  }
}

extension String {
  fileprivate func replacingFirstX() -> String { "0x" + dropFirst(2) }

  /// The per-stakeholder table's totals: one per (stakeholder, currency) in order of first appearance,
  /// names compared exactly (case and spaces count), exceptions counted, amounts summed exactly.
  @Test func stakeholderTotalsGroupByStakeholderAndCurrency() {
    let r = run(
      [
        pay("P1", w1, "100.10", stakeholder: "Ada"),
        pay("P2", w2, "50", stakeholder: "Grace"),
        pay("P3", w1, "0.05", stakeholder: "Ada"),
        pay("P4", w1, "7", currency: "USDT", stakeholder: "Ada"),
        pay("P5", w2, "1", stakeholder: "ada"),
        pay("P6", w2, "2", stakeholder: ""),
      ],
      [tx("t1", w1, "100.10", memo: "P1"), tx("t2", w2, "50", memo: "P2")])
    let totals = r.stakeholderTotals()
    #expect(
      totals.map { "\($0.stakeholder)/\($0.currency)" } == [
        "Ada/USDC", "Grace/USDC", "Ada/USDT", "ada/USDC", "/USDC",
      ])
    #expect(totals[0].payouts == 2)
    #expect(totals[0].expected == ExactDecimal("100.15")!)
    #expect(totals[0].paid == ExactDecimal("100.10")!)
    #expect(totals[0].difference == ExactDecimal("-0.05")!)
    #expect(totals[0].exceptions == 1)
    #expect(totals[1].exceptions == 0)
    #expect(totals[1].difference.isZero)
    #expect(totals.map(\.payouts).reduce(0, +) == r.expected.count)
    #expect(!totals.contains { $0.overflow })
  }
}
