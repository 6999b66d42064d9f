import AllotCore
import AllotReports
import AllotTestSupport
import Foundation
import Testing

private let asOf = CalendarDay(year: 2026, month: 3, day: 31)!
private let w1 = "0x1111111111111111111111111111111111111111"
private let w2 = "0x2222222222222222222222222222222222222222"
private let hostile = "=HYPERLINK(\"http://evil.example\",\"click\")"
private let script = "<script>alert('x')</script>"

private func sampleResult() -> ReconciliationResult {
  let expected = [
    ExpectedPayout(
      reference: "P-1", stakeholder: hostile, wallet: w1, amount: ExactDecimal("1000.00")!, currency: "USDC",
      network: "ethereum", dueDate: CalendarDay(iso: "2026-03-15")),
    ExpectedPayout(
      reference: "@P-2", stakeholder: script, wallet: w2, amount: ExactDecimal("250.5")!, currency: "USDC",
      network: "ethereum", dueDate: CalendarDay(iso: "2026-03-01")),
    ExpectedPayout(
      reference: "P-3", stakeholder: "+Plus, \"Quoted\"", wallet: w2,
      amount: ExactDecimal("0.000000000000000001")!,
      currency: "USDT", network: "tron", dueDate: CalendarDay(iso: "2026-03-20")),
  ]
  let txs = [
    MagmaTransaction(
      id: "t1", type: "payout_crypto", status: "completed", amount: ExactDecimal("997")!, currency: "USDC",
      network: "ethereum", destinationAddress: w1, createdAt: "2026-03-15T10:00:00Z"),
    MagmaTransaction(
      id: "-t2", type: "payout_crypto", status: "completed", amount: ExactDecimal("5")!, currency: "USDC",
      network: "polygon", destinationAddress: "\t<b>x</b>", memo: script, createdAt: "2026-03-16T10:00:00Z"),
    MagmaTransaction(
      id: "f1", type: "fee", status: "completed", amount: ExactDecimal("1.5")!, currency: "USDC",
      network: "ethereum", destinationAddress: "", createdAt: "2026-03-16T10:00:00Z"),
  ]
  return Reconciler.reconcile(
    expected: expected, transactions: txs,
    settings: ReconciliationSettings(tolerance: .init("0.5%")!, windowDays: 7, asOf: asOf))
}

private func writeReports(_ result: ReconciliationResult) throws -> String {
  let dir = TestScratch.directory("reports").path
  let report = ReconciliationReport(
    result: result,
    inputs: [
      ReportInput(
        role: "payouts", name: "payouts <1>.csv", sha256: String(repeating: "a", count: 64), rows: 3),
      ReportInput(role: "transactions", name: "tx.csv", sha256: String(repeating: "b", count: 64), rows: 3),
    ])
  try report.write(to: dir)
  return dir
}

private func read(_ dir: String, _ name: String) throws -> String {
  try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
}

@Suite struct ReconciliationReportTests {
  @Test func csvColumnsAreExactlyTheContract() throws {
    let dir = try writeReports(sampleResult())
    let itemised = try read(dir, "reconciliation.csv").split(separator: "\n").map(String.init)
    #expect(
      itemised[0]
        == "expected_ref,stakeholder,wallet,currency,network,due_date,expected_amount,paid_amount,difference,category,rule,transaction_ids,reason"
    )
    #expect(itemised.count == 4)
    let unmatched = try read(dir, "unmatched-transactions.csv").split(separator: "\n").map(String.init)
    #expect(
      unmatched[0]
        == "transaction_id,type,status,currency,network,amount,destination,created_at,category,reason")
    #expect(
      try read(dir, "summary.csv").hasPrefix(
        "currency,network,expected_count,expected_amount,paid_amount,difference,matched_count"))
  }

  @Test func formulasAreNeutralisedButAmountsStayNumbers() throws {
    let dir = try writeReports(sampleResult())
    let csv = try read(dir, "reconciliation.csv")
    #expect(csv.contains(#""'=HYPERLINK(""http://evil.example"",""click"")""#))
    #expect(csv.contains("\n'@P-2,"))
    #expect(csv.contains(#","'+Plus, ""Quoted"""#))
    #expect(csv.contains(",1000.00,997.00,-3.00,matched_within_tolerance,tolerance,t1,"))
    #expect(
      csv.contains(",0.000000000000000001,0,-0.000000000000000001,")
        || csv.contains(",0.000000000000000001,0.000000000000000000,"))
    let unmatched = try read(dir, "unmatched-transactions.csv")
    #expect(unmatched.contains("\n'-t2,payout_crypto,"))
    #expect(unmatched.contains(",'\t<b>x</b>,"))
    #expect(!csv.contains("\n=") && !csv.contains(",=") && !csv.contains(",@"))
  }

  @Test func htmlEscapesEveryValue() throws {
    let dir = try writeReports(sampleResult())
    let html = try read(dir, "reconciliation.html")
    #expect(!html.contains("<script>"))
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    #expect(html.contains("=HYPERLINK(&quot;http://evil.example&quot;"))
    #expect(html.contains("payouts &lt;1&gt;.csv"))
    #expect(!html.contains("<b>x</b>"))
    #expect(html.contains("<svg"))
    #expect(!html.contains("http://") || !html.contains("src=\"http"))
    #expect(!html.contains("<link") && !html.contains("<script"))
  }

  @Test func jsonIsValidAndExact() throws {
    let dir = try writeReports(sampleResult())
    let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/reconciliation.json"))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let expected = try #require(object["expected"] as? [[String: Any]])
    #expect(expected.count == 3)
    #expect(expected[0]["stakeholder"] as? String == hostile)
    #expect(expected[2]["expectedAmount"] as? String == "0.000000000000000001")
    #expect((object["unmatched"] as? [Any])?.count == 2)
  }

  @Test func expectedAmountsAddUpToTheInputTotal() throws {
    let result = sampleResult()
    let dir = try writeReports(result)
    let lines = try read(dir, "reconciliation.csv").split(separator: "\n").dropFirst()
    var sum = ExactDecimal.zero
    for line in lines {
      // expected_amount is the 7th column; the quoted stakeholder cells contain commas, so find the
      // wallet (a fixed 42-character 0x value) and count from there.
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      let walletIndex = try #require(cells.firstIndex { $0.hasPrefix("0x") && $0.count == 42 })
      sum = sum + (try #require(ExactDecimal(cells[walletIndex + 4])))
    }
    #expect(sum == result.expected.reduce(ExactDecimal.zero) { $0 + $1.amount })
    #expect(sum.description == "1250.500000000000000001")
  }

  @Test func twoRunsAreByteIdentical() throws {
    let a = try writeReports(sampleResult())
    let b = try writeReports(sampleResult())
    for name in ReconciliationReport.files {
      let x = try Data(contentsOf: URL(fileURLWithPath: a + "/" + name))
      let y = try Data(contentsOf: URL(fileURLWithPath: b + "/" + name))
      #expect(x == y, "\(name) differs")
      let mode = try FileManager.default.attributesOfItem(atPath: a + "/" + name)[.posixPermissions] as? Int
      #expect(mode == 0o644)
    }
  }

  @Test func builtInTemplateMatchesTemplatesFolder() throws {
    // Package root: Tests/AllotReportsTests/<this file> → ../../
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    for name in ReportTemplates.builtInNames {
      let onDisk = try String(
        contentsOf: root.appendingPathComponent("templates/\(name).mustache"), encoding: .utf8)
      #expect(ReportTemplates.builtIn(name) == onDisk, "run scripts/embed_templates.py after editing \(name)")
    }
  }

  @Test func templatesDirectoryOverridesTheBuiltIn() throws {
    let dir = TestScratch.directory("templates").path
    try "as of {{asOf}}: {{exceptionCount}} {{#inputs}}[{{name}}]{{/inputs}}".write(
      toFile: dir + "/reconciliation.html.mustache", atomically: true, encoding: .utf8)
    let report = ReconciliationReport(
      result: sampleResult(), inputs: [ReportInput(role: "payouts", name: "<a>", sha256: "00", rows: 1)])
    #expect(try report.renderHTML(templatesDirectory: dir) == "as of 2026-03-31: 3 [&lt;a&gt;]")
  }
}
