import AllotCore
import Mustache

extension ReconciliationReport {
  /// Renders `reconciliation.html`: the template from `templatesDirectory` when it has one, else the
  /// built-in copy of `templates/reconciliation.html.mustache`.
  public func renderHTML(templatesDirectory: String? = nil) throws -> String {
    let source = try ReportTemplates.source(named: "reconciliation.html", in: templatesDirectory)
    let template: MustacheTemplate
    do {
      template = try MustacheTemplate(string: source.text)
    } catch {
      throw ReportError(path: source.origin, message: "the template does not parse (\(error)).")
    }
    return template.render(htmlContext())
  }

  /// Everything the HTML template sees; every value is a preformatted `String` (escaped by `{{ }}`).
  public func htmlContext() -> [String: Any] {
    let s = result.settings
    let exceptionCount = result.exceptionCount
    var context: [String: Any] = [
      "asOf": s.asOf.description,
      "tolerance": s.tolerance.description,
      "windowDays": String(s.windowDays),
      "splitBounds": "up to \(s.maxSplitParts) parts among \(s.maxSplitCandidates) candidates",
      "expectedCount": String(result.expected.count),
      "transactionCount": String(result.transactions.count),
      "exceptionCount": String(exceptionCount),
      "allClear": exceptionCount == 0,
      "inputs": inputs.map {
        ["role": $0.role, "name": $0.name, "sha256": $0.sha256, "rows": String($0.rows)] as [String: Any]
      },
    ]
    context["totals"] = result.totals.map { t -> [String: Any] in
      [
        "currency": t.currency, "network": t.network, "expectedCount": String(t.expectedCount),
        "expected": t.expected.plainText, "paid": amount(t.paid, like: t.expected),
        "difference": amount(t.difference, like: t.expected),
        "differenceClass": t.difference.isZero ? "zero" : t.difference.isNegative ? "neg" : "pos",
        "overflow": t.overflow,
        "categories": ReconciliationCategory.allCases.compactMap { c -> [String: Any]? in
          let ct = t.total(c)
          guard ct.count > 0 else { return nil }
          return [
            "key": c.rawValue, "label": c.label, "count": String(ct.count), "amount": ct.amount.plainText,
            "color": Self.color(c), "exception": c.isException,
          ]
        },
      ]
    }
    context["countChart"] = countChart()
    context["amountCharts"] = amountCharts()
    context["legend"] = ReconciliationCategory.allCases.map {
      ["key": $0.rawValue, "label": $0.label, "color": Self.color($0), "count": String(result.count($0))]
        as [String: Any]
    }
    addExceptions(to: &context)
    addStakeholders(to: &context)
    return context
  }

  private func addExceptions(to context: inout [String: Any]) {
    var rows: [[String: Any]] = []
    var more = 0
    for (e, o) in result.outcomes.enumerated() where o.category.isException {
      if rows.count >= htmlRowLimit {
        more += 1
        continue
      }
      let p = result.expected[e]
      var row: [String: Any] = [
        "reference": p.reference, "stakeholder": p.stakeholder, "wallet": p.wallet, "currency": p.currency,
        "network": p.network, "dueDate": p.dueDate?.description ?? "", "expected": p.amount.plainText,
        "paid": amount(o.paid, like: p.amount), "difference": amount(o.difference, like: p.amount),
        "category": o.category.rawValue, "categoryLabel": o.category.label, "color": Self.color(o.category),
        "reason": result.reason(forExpected: e),
        "transactions": result.linkedTransactions(e).map { result.transactions[Int($0)].id }.joined(
          separator: ", "),
      ]
      // Only present when a rule linked transactions, so `{{#rule}}` shows nothing otherwise.
      if let rule = o.rule { row["rule"] = rule.rawValue }
      rows.append(row)
    }
    context["exceptions"] = rows
    context["hasExceptions"] = !rows.isEmpty
    context["exceptionsMore"] = more > 0 ? "… and \(more) more exceptions in reconciliation.csv." : ""
    var unexpected: [[String: Any]] = []
    var moreUnexpected = 0
    var nonPayouts = 0
    for u in result.unmatched {
      if u.category == .nonPayout {
        nonPayouts += 1
        continue
      }
      if unexpected.count >= htmlRowLimit {
        moreUnexpected += 1
        continue
      }
      let t = result.transactions[u.transactionIndex]
      unexpected.append([
        "id": t.id, "type": t.type, "status": t.status, "currency": t.currency, "network": t.network,
        "amount": t.amount.plainText, "destination": t.destinationAddress, "createdAt": t.createdAt,
        "reason": result.reason(for: u),
      ])
    }
    context["unexpected"] = unexpected
    context["hasUnexpected"] = !unexpected.isEmpty
    context["unexpectedMore"] =
      moreUnexpected > 0 ? "… and \(moreUnexpected) more in unmatched-transactions.csv." : ""
    context["nonPayoutCount"] = String(nonPayouts)
  }

  /// Per stakeholder and currency: payouts, expected, paid, difference, exceptions. Stakeholders with
  /// exceptions first (most first), then by name; at most `htmlRowLimit` rows.
  private func addStakeholders(to context: inout [String: Any]) {
    var rows = result.stakeholderTotals()
    rows.sort {
      if $0.exceptions != $1.exceptions { return $0.exceptions > $1.exceptions }
      if $0.stakeholder != $1.stakeholder { return $0.stakeholder < $1.stakeholder }
      return $0.currency < $1.currency
    }
    let shown = rows.prefix(htmlRowLimit)
    context["stakeholders"] = shown.map { r -> [String: Any] in
      let diff = r.difference
      return [
        "name": r.stakeholder.isEmpty ? "(no name)" : r.stakeholder, "currency": r.currency,
        "payouts": String(r.payouts),
        "expected": r.expected.plainText, "paid": amount(r.paid, like: r.expected),
        "difference": amount(diff, like: r.expected),
        "differenceClass": diff.isZero ? "zero" : diff.isNegative ? "neg" : "pos",
        "exceptions": String(r.exceptions), "hasExceptions": r.exceptions > 0,
      ]
    }
    context["stakeholdersMore"] =
      rows.count > shown.count
      ? "… and \(rows.count - shown.count) more stakeholders in reconciliation.csv." : ""
  }

  /// Category colours (also used by the legend).
  static func color(_ c: ReconciliationCategory) -> String {
    switch c {
    case .matched: return "#2e7d32"
    case .matchedWithinTolerance: return "#66bb6a"
    case .partiallyPaid: return "#ef6c00"
    case .overpaid: return "#8e24aa"
    case .duplicatePayout: return "#c2185b"
    case .inFlight: return "#0288d1"
    case .failedPayout: return "#d32f2f"
    case .missing: return "#b71c1c"
    case .notYetDue: return "#90a4ae"
    case .tokenMismatch: return "#f9a825"
    case .networkMismatch: return "#fbc02d"
    case .needsReview: return "#5d4037"
    case .unexpectedTransaction: return "#455a64"
    case .nonPayout: return "#b0bec5"
    }
  }
}
