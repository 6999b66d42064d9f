import AllotCore

extension ReconciliationReport {
  /// Geometry of a horizontal bar chart, for the template's inline SVG.
  static func barChart(
    title: String, items: [(label: String, value: String, magnitude: Double, color: String)]
  )
    -> [String: Any]
  {
    let labelWidth = 170
    let barArea = 330
    let rowHeight = 26
    let maxValue = items.map(\.magnitude).max() ?? 0
    var bars: [[String: Any]] = []
    for (i, item) in items.enumerated() {
      let width =
        maxValue > 0
        ? max(item.magnitude > 0 ? 2 : 0, Int((item.magnitude / maxValue * Double(barArea)).rounded())) : 0
      let y = 8 + i * rowHeight
      bars.append([
        "label": item.label, "value": item.value, "color": item.color, "y": String(y),
        "textY": String(y + 14), "width": String(width), "labelWidth": String(labelWidth - 8),
        "barX": String(labelWidth), "valueX": String(labelWidth + width + 6),
      ])
    }
    let height = 16 + items.count * rowHeight
    return [
      "title": title, "bars": bars, "height": String(height), "width": String(labelWidth + barArea + 130),
      "empty": items.isEmpty,
    ]
  }

  /// Number of expected payouts and unmatched transactions per category.
  func countChart() -> [String: Any] {
    let items = ReconciliationCategory.allCases.compactMap { c -> (String, String, Double, String)? in
      let n = result.count(c)
      return n > 0 ? (c.label, String(n), Double(n), Self.color(c)) : nil
    }
    return Self.barChart(title: "Count by category", items: items)
  }

  /// Expected amount per category, one chart per currency (networks added together).
  func amountCharts() -> [[String: Any]] {
    var currencies: [String] = []
    for t in result.totals where !currencies.contains(t.currency) { currencies.append(t.currency) }
    return currencies.map { currency in
      let groups = result.totals.filter { $0.currency == currency }
      let items = ReconciliationCategory.allCases.compactMap { c -> (String, String, Double, String)? in
        var sum = ExactDecimal.zero
        var count = 0
        for g in groups {
          let ct = g.total(c)
          count += ct.count
          sum = sum.adding(ct.amount) ?? sum
        }
        guard count > 0 else { return nil }
        // The bar length only: display geometry may use floating point, the label is exact.
        return (c.label, sum.description, Double(sum.description) ?? 0, Self.color(c))
      }
      return Self.barChart(title: "Amount by category — \(currency)", items: items)
    }
  }
}
