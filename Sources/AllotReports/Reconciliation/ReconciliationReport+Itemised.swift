import AllotCore

extension ReconciliationReport {
  /// Rows per rendered slice: small enough that a slice's buffers (about 250 and 520 bytes a row) stay
  /// under the allocator's 1 MiB threshold for fresh memory maps (`MemoryTuning`), so they are reused
  /// from slice to slice instead of being mapped, faulted in and zeroed again each time.
  static let sliceRows = 1536

  /// Writes `reconciliation.csv`, `unmatched-transactions.csv` and `reconciliation.json` in one pass
  /// (each reason is composed once). Rows are rendered into byte buffers a slice at a time on every
  /// core, and the slices are written in order while the next ones render.
  public func writeItemised(csv csvPath: String, unmatchedCSV unmatchedPath: String, json jsonPath: String)
    throws
  {
    let csv = try ReportFileWriter(path: csvPath)
    let un = try ReportFileWriter(path: unmatchedPath)
    let json = try ReportFileWriter(path: jsonPath)
    try writeJSONHeader(json)
    try csv.write(CSVField.line(Self.itemisedColumns))
    try json.write("],\"expected\":[")
    try SliceRenderer.run(count: result.expected.count, sliceRows: Self.sliceRows) {
      (range, spare: (ByteSink, ByteSink)?) in
      let (c, j) = spare ?? (ByteSink(capacity: range.count * 240), ByteSink(capacity: range.count * 520))
      c.removeAll()
      j.removeAll()
      var scratch = RowScratch()
      withTables { tables in
        for e in range { renderExpected(e, tables, csv: c, json: j, scratch: &scratch) }
      }
      return (c, j)
    } write: { (c: ByteSink, j: ByteSink) throws(ReportError) in
      try csv.write(c)
      try json.write(j)
    }
    try json.write("],\"unmatched\":[")
    try un.write(CSVField.line(Self.unmatchedColumns))
    try SliceRenderer.run(count: result.unmatched.count, sliceRows: Self.sliceRows) {
      (range, spare: (ByteSink, ByteSink)?) in
      let (c, j) = spare ?? (ByteSink(capacity: range.count * 200), ByteSink(capacity: range.count * 420))
      c.removeAll()
      j.removeAll()
      let amount = ByteSink(capacity: 48)
      // Both arrays through their buffers, taken once per slice (see `Tables`).
      result.transactions.withUnsafeBufferPointer { transactions in
        result.unmatched.withUnsafeBufferPointer { unmatched in
          for i in range {
            let u = unmatched[i]
            renderUnmatched(
              i, u, transactions.baseAddress! + u.transactionIndex, csv: c, json: j, amount: amount)
          }
        }
      }
      return (c, j)
    } write: { (c: ByteSink, j: ByteSink) throws(ReportError) in
      try un.write(c)
      try json.write(j)
    }
    try json.write("]}\n")
    try csv.close()
    try un.close()
    try json.close()
  }

  /// The result's arrays that a row of `reconciliation.csv` reads, as buffers: a slice of `links` (or
  /// an element read through the array) retains and releases the array's storage, and every thread
  /// rendering does so on the same storage, whose reference count then moves from core to core.
  struct Tables {
    let payouts: UnsafeBufferPointer<ExpectedPayout>
    let outcomes: UnsafeBufferPointer<ExpectedOutcome>
    let links: UnsafeBufferPointer<Int32>
    let transactions: UnsafeBufferPointer<MagmaTransaction>

    /// The transactions linked to payout `e`, as indices into `transactions`.
    @inline(__always)
    func linked(_ e: Int) -> UnsafeBufferPointer<Int32> {
      UnsafeBufferPointer(rebasing: links[outcomes[e].linkRange])
    }
  }

  func withTables<R>(_ body: (Tables) -> R) -> R {
    result.expected.withUnsafeBufferPointer { payouts in
      result.outcomes.withUnsafeBufferPointer { outcomes in
        result.withLinks { links in
          result.transactions.withUnsafeBufferPointer { transactions in
            body(Tables(payouts: payouts, outcomes: outcomes, links: links, transactions: transactions))
          }
        }
      }
    }
  }

  /// Buffers reused from row to row while rendering a slice: the reason, and the three amounts.
  struct RowScratch {
    var reason: [UInt8] = []
    let amounts = ByteSink(capacity: 96)
  }

  /// One line of `reconciliation.csv` and one element of the JSON `expected` array, reading the payout,
  /// its outcome and its transactions in place, through `tables`: a copy of the payout (which the
  /// compiler made for a `borrowing` parameter) retains and releases each of its texts, for each of a
  /// million payouts.
  private func renderExpected(
    _ e: Int, _ tables: Tables, csv: ByteSink, json: ByteSink, scratch: inout RowScratch
  ) {
    scratch.reason.removeAll(keepingCapacity: true)
    result.appendReason(forExpected: e, to: &scratch.reason)
    let reason = scratch.reason
    let p = tables.payouts.baseAddress! + e
    let o = tables.outcomes[e]
    let linked = tables.linked(e)
    let transactions = tables.transactions.baseAddress!
    let amounts = scratch.amounts
    amounts.removeAll()
    amounts.decimal(p.pointee.amount)
    let expectedEnd = amounts.count
    amounts.amount(o.paid, like: p.pointee.amount)
    let paidEnd = amounts.count
    amounts.amount(o.difference, like: p.pointee.amount)
    amounts.withBytes { a in
      let expectedAmount = UnsafeBufferPointer(rebasing: a[0..<expectedEnd])
      let paid = UnsafeBufferPointer(rebasing: a[expectedEnd..<paidEnd])
      let difference = UnsafeBufferPointer(rebasing: a[paidEnd...])
      reason.withUnsafeBufferPointer { reasonBytes in
        // The CSV line and the JSON element are written side by side, so that each text of the payout
        // is read once: reading a text out of the record retains and releases its storage.
        /// A text cell of the line, and the same text after `key` in the element.
        @inline(__always) func text(_ s: String, _ key: StaticString) {
          TextScan.withBytes(s) { b in
            csv.csvText(b)
            csv.byte(44)
            json.raw(key)
            json.jsonString(b)
          }
        }
        if e == 0 {
          text(p.pointee.reference, "\n{\"reference\":")
        } else {
          text(p.pointee.reference, ",\n{\"reference\":")
        }
        text(p.pointee.stakeholder, ",\"stakeholder\":")
        text(p.pointee.wallet, ",\"wallet\":")
        text(p.pointee.currency, ",\"currency\":")
        text(p.pointee.network, ",\"network\":")
        json.raw(",\"dueDate\":")
        if let day = p.pointee.dueDate {
          // An ISO date needs no quotes and starts with a digit; another year is a text cell.
          if !csv.isoDay(day) { csv.csvText(day.description) }
          json.byte(34)
          if !json.isoDay(day) { json.rawText(day.description) }
          json.byte(34)
        } else {
          json.raw("null")
        }
        csv.byte(44)
        csv.csvNumber(expectedAmount)
        csv.byte(44)
        csv.csvNumber(paid)
        csv.byte(44)
        csv.csvNumber(difference)
        csv.byte(44)
        json.raw(",\"expectedAmount\":\"")
        json.append(contentsOf: expectedAmount)
        json.raw("\",\"paidAmount\":\"")
        json.append(contentsOf: paid)
        json.raw("\",\"difference\":\"")
        json.append(contentsOf: difference)
        json.raw("\",\"category\":\"")
        TextScan.withBytes(o.category.rawValue) { b in
          csv.append(contentsOf: b)
          json.append(contentsOf: b)
        }
        csv.byte(44)
        json.raw("\",\"rule\":")
        if let rule = o.rule {
          TextScan.withBytes(rule.rawValue) { b in
            csv.append(contentsOf: b)
            json.byte(34)
            json.append(contentsOf: b)
            json.byte(34)
          }
        } else {
          json.raw("null")
        }
        csv.byte(44)
        json.raw(",\"review\":")
        json.plainJSONStringOrNull(o.review?.rawValue)
        json.raw(",\"transactionIds\":[")
        if linked.count == 1 {
          TextScan.withBytes((transactions + Int(linked[0])).pointee.id) { b in
            csv.csvText(b)
            json.jsonString(b)
          }
        } else {
          var ids = ""
          for (k, t) in linked.enumerated() {
            if k > 0 {
              ids += " "
              json.byte(44)
            }
            let id = (transactions + Int(t)).pointee.id
            ids += id
            json.jsonString(id)
          }
          csv.csvText(ids)
        }
        csv.byte(44)
        csv.csvText(reasonBytes)
        csv.byte(10)
        json.raw("],\"reason\":")
        json.jsonString(reasonBytes)
        json.raw(",\"row\":")
        if let row = p.pointee.sourceRow { json.int(row) } else { json.raw("null") }
        json.byte(125)
      }
    }
  }

  /// One line of `unmatched-transactions.csv` and one element of the JSON `unmatched` array, reading the
  /// transaction in place, its amount formatted in `amount` (a buffer reused from row to row).
  private func renderUnmatched(
    _ i: Int, _ u: UnmatchedTransaction, _ t: UnsafePointer<MagmaTransaction>, csv: ByteSink,
    json: ByteSink, amount amountSink: ByteSink
  ) {
    let reason = ReconciliationResult.reason(for: u, t)
    amountSink.removeAll()
    amountSink.decimal(t.pointee.amount)
    amountSink.withBytes { amountText in
      csv.csvText(t.pointee.id)
      csv.byte(44)
      csv.csvText(t.pointee.type)
      csv.byte(44)
      csv.csvText(t.pointee.status)
      csv.byte(44)
      csv.csvText(t.pointee.currency)
      csv.byte(44)
      csv.csvText(t.pointee.network)
      csv.byte(44)
      csv.csvNumber(amountText)
      csv.byte(44)
      csv.csvText(t.pointee.destinationAddress)
      csv.byte(44)
      csv.csvText(t.pointee.createdAt)
      csv.byte(44)
      csv.rawText(u.category.rawValue)
      csv.byte(44)
      csv.csvText(reason)
      csv.byte(10)
      json.raw(i == 0 ? "\n{\"id\":" : ",\n{\"id\":")
      json.jsonString(t.pointee.id)
      json.raw(",\"type\":")
      json.jsonString(t.pointee.type)
      json.raw(",\"status\":")
      json.jsonString(t.pointee.status)
      json.raw(",\"currency\":")
      json.jsonString(t.pointee.currency)
      json.raw(",\"network\":")
      json.jsonString(t.pointee.network)
      json.raw(",\"amount\":")
      json.jsonString(amountText)
      json.raw(",\"destination\":")
      json.jsonString(t.pointee.destinationAddress)
      json.raw(",\"createdAt\":")
      json.jsonString(t.pointee.createdAt)
      json.raw(",\"category\":")
      json.jsonString(u.category.rawValue)
      json.raw(",\"reason\":")
      json.jsonString(reason)
      json.raw(",\"row\":")
      if let row = t.pointee.sourceRow { json.int(row) } else { json.raw("null") }
      json.byte(125)
    }
  }

  /// Everything before the itemised arrays: as-of, settings, inputs, counts, totals.
  private func writeJSONHeader(_ w: ReportFileWriter) throws {
    let q = JSONString.quoted
    let s = result.settings
    try w.write("{\"asOf\":\(q(s.asOf.description)),\"settings\":{\"tolerance\":\(q(s.tolerance.argument))")
    try w.write(",\"windowDays\":\(s.windowDays),\"maxSplitCandidates\":\(s.maxSplitCandidates)")
    try w.write(",\"maxSplitParts\":\(s.maxSplitParts)},\"inputs\":[")
    for (i, input) in inputs.enumerated() {
      try w.write(i == 0 ? "" : ",")
      try w.write(
        "{\"role\":\(q(input.role)),\"name\":\(q(input.name)),\"sha256\":\(q(input.sha256)),\"rows\":\(input.rows)}"
      )
    }
    try w.write("],\"exceptions\":\(result.exceptionCount),\"counts\":{")
    for (i, c) in ReconciliationCategory.allCases.enumerated() {
      try w.write("\(i == 0 ? "" : ",")\(q(c.rawValue)):\(result.count(c))")
    }
    try w.write("},\"totals\":[")
    for (i, t) in result.totals.enumerated() {
      try w.write(i == 0 ? "\n" : ",\n")
      try w.write(
        "{\"currency\":\(q(t.currency)),\"network\":\(q(t.network)),\"expectedCount\":\(t.expectedCount)")
      try w.write(",\"expected\":\(q(t.expected.plainText)),\"paid\":\(q(amount(t.paid, like: t.expected)))")
      try w.write(
        ",\"difference\":\(q(amount(t.difference, like: t.expected))),\"overflow\":\(t.overflow),\"categories\":{"
      )
      for (k, c) in ReconciliationCategory.allCases.enumerated() {
        let ct = t.total(c)
        try w.write(
          "\(k == 0 ? "" : ",")\(q(c.rawValue)):{\"count\":\(ct.count),\"amount\":\(q(ct.amount.plainText))}")
      }
      try w.write("}}")
    }
  }
}
