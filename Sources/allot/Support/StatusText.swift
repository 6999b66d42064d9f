import AllotCore
import AllotReports
import AllotStore

/// Text and JSON for `allot status` and the end of `allot submit`.
enum StatusText {
  static let stateOrder: [RowState] = [
    .pending, .inFlight, .retryWait, .succeeded, .failed, .unknown, .invalid, .skipped,
  ]

  static func countsJSON(_ counts: [RowState: Int]) -> String {
    "{" + stateOrder.map { "\(JSONString.quoted($0.rawValue)):\(counts[$0] ?? 0)" }.joined(separator: ",")
      + "}"
  }

  static func json(batches: [BatchStatus], rows: [RowStatus]) -> String {
    var out = "{\"batches\":["
    out += batches.map {
      "{\"id\":\($0.id),\"file\":\(JSONString.quoted($0.fileName)),\"counts\":\(countsJSON($0.counts))}"
    }.joined(separator: ",")
    out += "],\"rows\":["
    out += rows.map { r in
      "{\"batch\":\(r.batch),\"row\":\(r.row),\"state\":\(JSONString.quoted(r.state.rawValue)),"
        + "\"allocationId\":\(r.allocationId.map(JSONString.quoted) ?? "null"),\"attempts\":\(r.attempts),"
        + "\"error\":\(r.error.map(JSONString.quoted) ?? "null")}"
    }.joined(separator: ",")
    return out + "]}"
  }

  /// "97 succeeded, 2 failed, 1 invalid" (non-zero states only).
  static func summary(_ counts: [RowState: Int]) -> String {
    let parts = stateOrder.compactMap { s -> String? in
      guard let n = counts[s], n > 0 else { return nil }
      return "\(n) \(s.rawValue.replacingUnderscores)"
    }
    return parts.isEmpty ? "no rows" : parts.joined(separator: ", ")
  }

  static func text(batches: [BatchStatus], rows: [RowStatus], all: Bool) -> String {
    var lines: [String] = []
    if batches.isEmpty { return "No batches yet: stage one with `allot import FILE`." }
    let header = [
      "Batch", "File", "Rows", "Succeeded", "Pending", "Failed", "Unknown", "Invalid", "Skipped", "Other",
    ]
    var table: [[String]] = [header]
    for b in batches {
      let total = b.counts.values.reduce(0, +)
      let other = b.count(.inFlight) + b.count(.retryWait)
      table.append([
        "\(b.id)", b.fileName, "\(total)", "\(b.count(.succeeded))", "\(b.count(.pending))",
        "\(b.count(.failed))",
        "\(b.count(.unknown))", "\(b.count(.invalid))", "\(b.count(.skipped))", "\(other)",
      ])
    }
    lines += render(table, rightAligned: Set(2..<header.count))
    if rows.isEmpty {
      lines.append("")
      lines.append(all ? "No rows." : "No rows need attention.")
    } else {
      lines.append("")
      lines.append(all ? "Rows:" : "Rows that need attention:")
      var rt: [[String]] = [["Batch", "Row", "State", "Attempts", "Allocation", "Why"]]
      for r in rows {
        var why = r.error ?? ""
        if let t = r.errorType, r.state == .failed || r.state == .unknown { why = "\(t): \(why)" }
        if r.state == .unknown {
          why += (why.isEmpty ? "" : " — ") + "settle with `allot resolve \(r.batch):\(r.row)`"
        }
        if r.state == .failed { why += (why.isEmpty ? "" : " — ") + "fix, then `allot retry`" }
        rt.append([
          "\(r.batch)", "\(r.row)", r.state.rawValue.replacingUnderscores, "\(r.attempts)",
          r.allocationKey ?? r.allocationId ?? "", String(why.prefix(160)),
        ])
      }
      lines += render(rt, rightAligned: [0, 1, 3])
    }
    return lines.joined(separator: "\n")
  }

  static func render(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
    guard let first = rows.first else { return [] }
    var widths = Array(repeating: 0, count: first.count)
    for r in rows {
      for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) }
    }
    return rows.map { r in
      r.enumerated().map { i, c in
        let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
        return i == r.count - 1 && !rightAligned.contains(i)
          ? c : (rightAligned.contains(i) ? pad + c : c + pad)
      }.joined(separator: "  ")
    }
  }
}

extension String {
  var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
