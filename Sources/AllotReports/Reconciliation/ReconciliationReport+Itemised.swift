import AllotCore

extension ReconciliationReport {
  /// Writes `reconciliation.csv`, `unmatched-transactions.csv` and `reconciliation.json` in one pass
  /// (each reason is composed once), streaming through buffered writers.
  public func writeItemised(csv csvPath: String, unmatchedCSV unmatchedPath: String, json jsonPath: String)
    throws
  {
    let csv = try ReportFileWriter(path: csvPath)
    let un = try ReportFileWriter(path: unmatchedPath)
    let json = try ReportFileWriter(path: jsonPath)
    try writeJSONHeader(json)
    try csv.write(CSVField.line(Self.itemisedColumns))
    try json.write("],\"expected\":[")
    for (e, p) in result.expected.enumerated() {
      let o = result.outcomes[e]
      let reason = result.reason(forExpected: e)
      let linked = result.linkedTransactions(e)
      let paid = amount(o.paid, like: p.amount)
      let difference = amount(o.difference, like: p.amount)
      let expectedAmount = p.amount.plainText
      let due = p.dueDate?.description ?? ""
      // CSV
      try csv.csvText(p.reference)
      try csv.write(byte: 44)
      try csv.csvText(p.stakeholder)
      try csv.write(byte: 44)
      try csv.csvText(p.wallet)
      try csv.write(byte: 44)
      try csv.csvText(p.currency)
      try csv.write(byte: 44)
      try csv.csvText(p.network)
      try csv.write(byte: 44)
      try csv.csvText(due)
      try csv.write(byte: 44)
      try csv.csvNumber(expectedAmount)
      try csv.write(byte: 44)
      try csv.csvNumber(paid)
      try csv.write(byte: 44)
      try csv.csvNumber(difference)
      try csv.write(",\(o.category.rawValue),\(o.rule?.rawValue ?? ""),")
      var ids = ""
      for (k, t) in linked.enumerated() {
        if k > 0 { ids += " " }
        ids += result.transactions[Int(t)].id
      }
      try csv.csvText(ids)
      try csv.write(byte: 44)
      try csv.csvText(reason)
      try csv.write(byte: 10)
      // JSON
      try json.write(e == 0 ? "\n{\"reference\":" : ",\n{\"reference\":")
      try json.jsonString(p.reference)
      try json.write(",\"stakeholder\":")
      try json.jsonString(p.stakeholder)
      try json.write(",\"wallet\":")
      try json.jsonString(p.wallet)
      try json.write(",\"currency\":")
      try json.jsonString(p.currency)
      try json.write(",\"network\":")
      try json.jsonString(p.network)
      try json.write(p.dueDate == nil ? ",\"dueDate\":null" : ",\"dueDate\":\"\(due)\"")
      try json.write(
        ",\"expectedAmount\":\"\(expectedAmount)\",\"paidAmount\":\"\(paid)\",\"difference\":\"\(difference)\""
      )
      try json.write(",\"category\":\"\(o.category.rawValue)\",\"rule\":")
      try json.write(o.rule.map { "\"\($0.rawValue)\"" } ?? "null")
      try json.write(",\"review\":")
      try json.write(o.review.map { "\"\($0.rawValue)\"" } ?? "null")
      try json.write(",\"transactionIds\":[")
      for (k, t) in linked.enumerated() {
        if k > 0 { try json.write(byte: 44) }
        try json.jsonString(result.transactions[Int(t)].id)
      }
      try json.write("],\"reason\":")
      try json.jsonString(reason)
      try json.write(",\"row\":\(p.sourceRow.map(String.init) ?? "null")}")
    }
    try json.write("],\"unmatched\":[")
    try un.write(CSVField.line(Self.unmatchedColumns))
    for (i, u) in result.unmatched.enumerated() {
      let t = result.transactions[u.transactionIndex]
      let reason = result.reason(for: u)
      let amountText = t.amount.plainText
      for (k, v) in [t.id, t.type, t.status, t.currency, t.network].enumerated() {
        if k > 0 { try un.write(byte: 44) }
        try un.csvText(v)
      }
      try un.write(byte: 44)
      try un.csvNumber(amountText)
      try un.write(byte: 44)
      try un.csvText(t.destinationAddress)
      try un.write(byte: 44)
      try un.csvText(t.createdAt)
      try un.write(",\(u.category.rawValue),")
      try un.csvText(reason)
      try un.write(byte: 10)
      try json.write(i == 0 ? "\n{" : ",\n{")
      for (k, (key, v)) in [
        ("id", t.id), ("type", t.type), ("status", t.status), ("currency", t.currency),
        ("network", t.network),
        ("amount", amountText), ("destination", t.destinationAddress), ("createdAt", t.createdAt),
        ("category", u.category.rawValue), ("reason", reason),
      ].enumerated() {
        try json.write(k == 0 ? "\"\(key)\":" : ",\"\(key)\":")
        try json.jsonString(v)
      }
      try json.write(",\"row\":\(t.sourceRow.map(String.init) ?? "null")}")
    }
    try json.write("]}\n")
    try csv.close()
    try un.close()
    try json.close()
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
