import AllotTestSupport
import Foundation
import Testing

/// `allot demo` as a newcomer runs it: exit 0, every step narrated, reports written, nothing left running.
@Suite struct DemoEndToEndTests {
  @Test func demoRunsTheWholeFlow() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let r = try await AllotRunner.run(["demo", "--out", dir], timeout: 120)
    #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
    #expect(!r.crashed)
    for step in 1...7 { #expect(r.stdout.contains("Step \(step).")) }
    #expect(r.stdout.contains("40 skipped (already created)"))
    #expect(r.stdout.contains("All batches: 51 succeeded, 9 invalid, 40 skipped."))
    for file in [
      "reconciliation.html", "reconciliation.csv", "unmatched-transactions.csv", "summary.csv",
      "reconciliation.json", "stakeholders-errors.xlsx", "demo.sqlite",
    ] {
      #expect(FileManager.default.fileExists(atPath: dir + "/" + file), "missing \(file)")
    }
    // The sandbox's API tokens (prefix `sbx_`) appear nowhere: not in the output, the database or the reports.
    #expect(!r.stdout.contains("sbx_") && !r.stderr.contains("sbx_"))
    for file in try FileManager.default.contentsOfDirectory(atPath: dir) {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
      #expect(bytes.range(of: Data("sbx_".utf8)) == nil, "a token prefix appears in \(file)")
    }
  }
}
