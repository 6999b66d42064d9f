extension ReconciliationResult {
  /// One sentence explaining the outcome of expected payout `e`, field by field
  /// ("paid 997.00 of 1000.00 by tx-1, 3.00 short, within 0.5 %").
  public func reason(forExpected e: Int) -> String {
    // The common case, one completed transaction, without building lists of transactions (nor copying
    // the payout).
    if let t = singleCompletedTransaction(e) {
      var bytes: [UInt8] = []
      appendSingleCompletedReason(e, outcomes[e], t, to: &bytes)
      return String(decoding: bytes, as: UTF8.self)
    }
    let o = outcomes[e]
    let links = linkedTransactions(e)
    let p = expected[e]
    let cur = p.currency
    func amt(_ d: ExactDecimal) -> String { Self.format(d, like: p.amount) }
    let linked = links.map { transactions[Int($0)] }
    func ids(_ list: [MagmaTransaction]) -> String { list.map(\.id).joined(separator: ", ") }
    let completed = linked.filter { $0.statusClass == .completed }
    let by =
      completed.count == 1 ? " by \(completed[0].id)" : completed.isEmpty ? "" : " by \(ids(completed))"
    let how = howText(o.rule, reference: p.reference)
    let failedNote: String = {
      let failed = linked.filter { $0.statusClass == .failed }
      guard !failed.isEmpty, o.category != .failedPayout else { return "" }
      return
        "; \(ids(failed)) \(failed.count == 1 ? "was" : "were") \(failed.map(\.status).joined(separator: "/"))"
    }()
    let diff = o.difference.magnitude
    switch o.category {
    case .matched:
      if o.rule == .split {
        let parts = completed.map { "\($0.id) \(amt($0.amount))" }.joined(separator: " + ")
        return
          "paid \(amt(o.paid)) of \(amt(p.amount)) \(cur) in \(completed.count) parts (\(parts))\(failedNote)"
      }
      return "paid \(amt(o.paid)) of \(amt(p.amount)) \(cur)\(by)\(how)\(failedNote)"
    case .matchedWithinTolerance:
      let side = o.difference.isNegative ? "short" : "over"
      var feeNote = ""
      if completed.count == 1, let fee = completed[0].fee, completed[0].amount.adding(fee) == p.amount {
        feeNote = " (the fee \(amt(fee)) makes up the difference)"
      }
      let parts = o.rule == .split ? " in \(completed.count) parts" : ""
      return
        "paid \(amt(o.paid)) of \(amt(p.amount)) \(cur)\(by)\(parts), \(amt(diff)) \(side), within \(settings.tolerance)\(feeNote)\(failedNote)"
    case .partiallyPaid:
      return
        "paid \(amt(o.paid)) of \(amt(p.amount)) \(cur)\(by), \(amt(diff)) short, beyond the \(settings.tolerance) tolerance\(how)\(failedNote)"
    case .overpaid:
      return
        "paid \(amt(o.paid)) of \(amt(p.amount)) \(cur)\(by), \(amt(diff)) too much, beyond the \(settings.tolerance) tolerance\(how)\(failedNote)"
    case .duplicatePayout:
      return
        "\(completed.count) completed transactions each pay the full \(amt(p.amount)) \(cur) (\(ids(completed))): \(amt(diff)) paid too much\(failedNote)"
    case .inFlight:
      let pending = linked.filter { $0.statusClass == .inFlight }
      let list = pending.map { "\($0.id) for \(amt($0.amount)) is \($0.status)" }.joined(separator: "; ")
      let already = o.paid.isZero ? "" : "paid \(amt(o.paid)) of \(amt(p.amount)) so far; "
      return "\(already)\(list): not completed yet\(failedNote)"
    case .failedPayout:
      let list = linked.map { "\($0.id) for \(amt($0.amount)) \($0.status)" }.joined(separator: "; ")
      return "\(list); nothing else paid \(amt(p.amount)) \(cur)"
    case .missing, .notYetDue:
      // Written once, as bytes (the reports write it for a tenth of a million rows).
      var bytes: [UInt8] = []
      appendUnpaidReason(e, missing: o.category == .missing, to: &bytes)
      return String(decoding: bytes, as: UTF8.self)
    case .tokenMismatch:
      let x = linked.first
      return
        "\(x?.id ?? "?") paid \(amt(x?.amount ?? .zero)) \(x?.currency ?? "") on \(x?.network ?? "") to this wallet; expected \(cur) on \(p.network)"
    case .networkMismatch:
      let x = linked.first
      return
        "\(x?.id ?? "?") paid \(amt(x?.amount ?? .zero)) \(x?.currency ?? "") on \(x?.network ?? "") to this wallet; expected network \(p.network)"
    case .needsReview:
      let peerRef = o.peer >= 0 && Int(o.peer) < expected.count ? expected[Int(o.peer)].reference : nil
      let list = ids(linked)
      switch o.review {
      case .sharedTransaction?:
        return
          "\(list) could pay this payout and \(peerRef.map { "payout \($0)" } ?? "another payout"); allot does not guess, decide which by hand"
      case .severalCandidates?:
        return
          "\(linked.count) transactions could pay \(amt(p.amount)) \(cur) (\(list)); allot does not guess, decide which by hand"
      case .severalSplits?:
        return
          "several groups of transactions among \(list) add up to \(amt(p.amount)) \(cur); decide which by hand"
      case .otherWallet?:
        let other = linked.first { !MatchKeys.walletsEqual($0.destinationAddress, p.wallet) }
        return
          "\(other?.id ?? list) names reference \(p.reference) but went to \(other?.destinationAddress ?? "another wallet"), not \(p.wallet)"
      case .unknownStatus?:
        let odd = linked.filter { $0.statusClass == .unknown }
        return
          "\(ids(odd)) has status \(odd.map { "\"\($0.status)\"" }.joined(separator: ", ")), which allot does not know"
      case .currencyAndNetwork?:
        let x = linked.first
        return
          "\(x?.id ?? list) paid \(amt(p.amount)) to this wallet but in \(x?.currency ?? "?") on \(x?.network ?? "?"); expected \(cur) on \(p.network)"
      case nil:
        return "needs a person to look at it (\(list))"
      }
    case .unexpectedTransaction, .nonPayout:
      return ""
    }
  }

  /// How the rule linked the transactions, for the reason sentence.
  private func howText(_ rule: MatchRule?, reference: String) -> String {
    switch rule {
    case .reference?: return " (reference \(reference) in memo or invoice number)"
    case .exact?: return " (same wallet, currency, network and amount)"
    case .tolerance?:
      return " (same wallet, currency and network, within \(settings.windowDays) days of the due date)"
    case .wallet?:
      return " (only transaction to this wallet within \(settings.windowDays) days of the due date)"
    default: return ""
    }
  }

  /// Appends `reason(forExpected:)`'s sentence as UTF-8 to `out`: the common case (one completed
  /// transaction) written straight as bytes, without a `String` (the reports write a million of them).
  public func appendReason(forExpected e: Int, to out: inout [UInt8]) {
    if let t = singleCompletedTransaction(e) {
      return appendSingleCompletedReason(e, outcomes[e], t, to: &out)
    }
    let category = outcomes[e].category
    if category == .missing || category == .notYetDue {
      return appendUnpaidReason(e, missing: category == .missing, to: &out)
    }
    out.append(contentsOf: reason(forExpected: e).utf8)
  }

  /// The sentence of a `missing` or `not_yet_due` payout (the next most common after one completed
  /// transaction), written as bytes; `reason(forExpected:)` gives it as text.
  private func appendUnpaidReason(_ e: Int, missing: Bool, to out: inout [UInt8]) {
    func text(_ s: StaticString) {
      out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
    func text(_ s: String) { TextScan.withBytes(s) { out.append(contentsOf: $0) } }
    func day(_ d: CalendarDay) { d.withISOBytes { out.append(contentsOf: $0) } }
    let due = expected[e].dueDate ?? settings.asOf
    if missing {
      text("no transaction pays ")
      Self.appendFormatted(expected[e].amount, like: expected[e].amount, to: &out)
      text(" ")
      text(expected[e].currency)
      text(" on ")
      text(expected[e].network)
      text(" to ")
      text(expected[e].wallet)
      text("; due ")
    } else {
      text("no transaction yet; due ")
    }
    day(due)
    text(", the ")
    text(String(settings.windowDays))
    text(missing ? "-day window ended " : "-day window runs until ")
    day(due.adding(days: settings.windowDays))
    text(missing ? ", before " : ", after ")
    day(settings.asOf)
  }

  /// The transaction of a payout matched (or within tolerance) by exactly one completed transaction and
  /// no split, the case that takes most payouts; nil otherwise.
  private func singleCompletedTransaction(_ e: Int) -> Int? {
    // Read in place: no slice of the links, no copy of the transaction (each would retain storage, for
    // each of a million payouts).
    let o = outcomes[e]
    guard o.linkCount == 1, o.category == .matched || o.category == .matchedWithinTolerance, o.rule != .split
    else { return nil }
    let t = Int(links[Int(o.linkStart)])
    return MagmaTransaction.statusClass(transactions[t].status) == .completed ? t : nil
  }

  /// The sentence for a payout matched (or within tolerance) by exactly one completed transaction `t`
  /// and no split: the same sentences as the general path, without its lists.
  private func appendSingleCompletedReason(_ e: Int, _ o: ExpectedOutcome, _ t: Int, to out: inout [UInt8]) {
    let amount = expected[e].amount
    func text(_ s: StaticString) {
      out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
    func text(_ s: String) { TextScan.withBytes(s) { out.append(contentsOf: $0) } }
    func decimal(_ d: ExactDecimal) { Self.appendFormatted(d, like: amount, to: &out) }
    text("paid ")
    decimal(o.paid)
    text(" of ")
    decimal(amount)
    text(" ")
    text(expected[e].currency)
    text(" by ")
    text(transactions[t].id)
    if o.category == .matched {
      // `howText(_:reference:)`'s two common sentences without building a `String`.
      switch o.rule {
      case .reference?:
        text(" (reference ")
        text(expected[e].reference)
        text(" in memo or invoice number)")
      case .exact?: text(" (same wallet, currency, network and amount)")
      default: text(howText(o.rule, reference: expected[e].reference))
      }
      return
    }
    text(", ")
    decimal(o.difference.magnitude)
    text(o.difference.isNegative ? " short, within " : " over, within ")
    text(settings.tolerance.description)
    if let fee = transactions[t].fee, transactions[t].amount.adding(fee) == amount {
      text(" (the fee ")
      decimal(fee)
      text(" makes up the difference)")
    }
  }

  /// Why a transaction matched no expected payout.
  public func reason(for u: UnmatchedTransaction) -> String {
    transactions.withUnsafeBufferPointer { all in Self.reason(for: u, all.baseAddress! + u.transactionIndex) }
  }

  /// `reason(for:)` with the transaction `u` names given in place (`t`, in `transactions`' buffer):
  /// read field by field, since a copy of the transaction would retain and release each of its texts,
  /// and without taking the array's buffer for each transaction, which retains the array's storage —
  /// the same storage for every thread rendering the report.
  public static func reason(for u: UnmatchedTransaction, _ t: UnsafePointer<MagmaTransaction>) -> String {
    if u.category == .nonPayout {
      let kind = t.pointee.type.isEmpty ? "non-payout" : t.pointee.type
      return "\(kind) transaction: not a payout, listed for completeness"
    }
    let to = t.pointee.destinationAddress.isEmpty ? "no destination" : t.pointee.destinationAddress
    let status: String
    switch MagmaTransaction.statusClass(t.pointee.status) {
    case .completed: status = "completed"
    case .inFlight: status = "\(t.pointee.status) (not completed yet)"
    case .failed: status = "\(t.pointee.status) (nothing moved)"
    case .unknown: status = "status \"\(t.pointee.status)\""
    }
    let network = t.pointee.network.isEmpty ? "?" : t.pointee.network
    return
      "no expected payout matches \(t.pointee.amount.plainText) \(t.pointee.currency) on \(network) to \(to); \(status)"
  }

  /// `d` written with `reference`'s number of fractional digits when that loses nothing
  /// (`997` like `1000.00` → `997.00`; `2750.250000` like `2750.25` → `2750.25`), else exactly as is.
  public static func format(_ d: ExactDecimal, like reference: ExactDecimal) -> String {
    shown(d, like: reference).plainText
  }

  /// `format(_:like:)` appended as UTF-8 to `out`.
  static func appendFormatted(_ d: ExactDecimal, like reference: ExactDecimal, to out: inout [UInt8]) {
    let v = shown(d, like: reference)
    if v.withPlainTextUTF8({ out.append(contentsOf: $0) }) == nil { out.append(contentsOf: v.plainText.utf8) }
  }

  /// `d` with `reference`'s number of fractional digits when that loses nothing, else exactly as is.
  private static func shown(_ d: ExactDecimal, like reference: ExactDecimal) -> ExactDecimal {
    if d.scale == reference.scale { return d }
    let c = d.scale > reference.scale ? d.canonicalized : d
    if c.scale <= reference.scale, let r = c.rescaled(to: reference.scale) { return r }
    return c
  }
}
