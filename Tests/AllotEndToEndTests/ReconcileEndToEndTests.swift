import AllotTestSupport
import Foundation
import Testing

/// The built binary's `reconcile` on payout and transaction files, as finance runs it.
@Suite struct ReconcileEndToEndTests {
  static func lines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
  }

  @Test func samplesGiveEveryCategoryAndTheReports() async throws {
    let out = try AllotRunner.temporaryDirectory()
    let r = try await AllotRunner.run([
      "reconcile", "--payouts", "samples/payouts.csv", "--transactions", "samples/magma-transactions.csv",
      "--as-of", "2026-03-31", "--out", out, "--format", "json",
    ])
    #expect(r.status == 1, "exceptions exit 1: \(r.stderr.prefix(300))")
    #expect(!r.crashed)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(json["expected"] as? Int == 15)
    #expect(json["transactions"] as? Int == 18)
    #expect(json["exceptions"] as? Int == 10)
    let counts = try #require(json["counts"] as? [String: Int])
    let expected: [String: Int] = [
      "matched": 3, "matched_within_tolerance": 1, "partially_paid": 1, "overpaid": 1, "duplicate_payout": 1,
      "in_flight": 1, "failed_payout": 1, "missing": 1, "not_yet_due": 1, "token_mismatch": 1,
      "network_mismatch": 1, "needs_review": 2, "unexpected_transaction": 1, "non_payout": 2,
    ]
    #expect(counts == expected)
    for file in [
      "reconciliation.html", "reconciliation.csv", "unmatched-transactions.csv", "summary.csv",
      "reconciliation.json",
    ] {
      #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) written")
    }
    let csv = try Self.lines(out + "/reconciliation.csv").filter { !$0.isEmpty }
    #expect(csv.count == 16, "a header and one line per expected payout")
    #expect(csv.first?.hasPrefix("expected_ref,stakeholder,wallet,currency,network,due_date,") == true)
  }

  /// The same payouts written as a messy CSV (a title row, CRLF, quoted fields, padded values, a
  /// Windows-1252 name) and as an XLSX read through the workbook reader give the same report.
  @Test func csvBytesAndWorkbookCellsReconcileAlike() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let rows = try Self.lines("samples/payouts.csv").filter { !$0.isEmpty }.map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    // Expected output, from a clean UTF-8 copy with one accented name.
    var clean = rows
    clean[1][1] = "Ada Lovelacé"
    let cleanPath = dir + "/clean.csv"
    try clean.map { $0.joined(separator: ",") }.joined(separator: "\n").write(
      toFile: cleanPath, atomically: true, encoding: .utf8)
    // The messy CSV: title row, blank row, natural header spellings, CRLF, quotes, spaces, and the
    // accented name in Windows-1252.
    var messy: [UInt8] = Array("Payouts for March 2026\r\n\r\n".utf8)
    messy += Array("Reference,Stakeholder,Wallet,Amount,Currency,Network,Due Date\r\n".utf8)
    for (k, row) in rows.dropFirst().enumerated() {
      var cells = row.map { Array($0.utf8) }
      if k == 0 { cells[1] = Array("Ada Lovelac".utf8) + [0xE9] }
      if k % 3 == 2 {
        cells[2] = Array("\t".utf8) + cells[2] + Array(" ".utf8)
        cells[3] = Array("  ".utf8) + cells[3] + Array(" ".utf8)
      }
      if k % 2 == 1 { cells = cells.map { [34] + $0 + [34] } }
      messy += Array(cells.joined(separator: [44])) + [13, 10]
    }
    let messyPath = dir + "/messy.csv"
    _ = FileManager.default.createFile(atPath: messyPath, contents: Data(messy))
    // The workbook: inline strings, the same header and values.
    var xml = ""
    for (r, row) in clean.enumerated() {
      xml += "<row r=\"\(r + 1)\">"
      for (c, value) in row.enumerated() {
        let ref = String(UnicodeScalar(UInt8(65 + c))) + String(r + 1)
        xml += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(XLSXFixture.escape(value))</t></is></c>"
      }
      xml += "</row>"
    }
    let xlsxPath = try XLSXFixture.workbook(sheets: [.init(name: "Payouts", rows: xml)], name: "payouts.xlsx")

    var reports: [String: String] = [:]
    for (name, path) in [("clean", cleanPath), ("messy", messyPath), ("xlsx", xlsxPath)] {
      let out = dir + "/out-" + name
      let r = try await AllotRunner.run([
        "reconcile", "--payouts", path, "--transactions", "samples/magma-transactions.csv", "--as-of",
        "2026-03-31", "--out", out,
      ])
      #expect(r.status == 1, "\(name): \(r.stderr.prefix(300))")
      // The reader's warning about the Windows-1252 text reaches the user, naming the file.
      #expect(r.stderr.contains("messy.csv is not valid UTF-8") == (name == "messy"), "\(name): \(r.stderr)")
      reports[name] = try String(contentsOfFile: out + "/reconciliation.csv", encoding: .utf8)
    }
    #expect(reports["clean"]?.contains("Ada Lovelacé") == true)
    #expect(reports["messy"] == reports["clean"])
    #expect(reports["xlsx"] == reports["clean"])
  }

  @Test func aFileWithoutItsColumnsIsRefusedWithASentence() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let path = dir + "/payouts.csv"
    try "who,what\nAda,1000\n".write(toFile: path, atomically: true, encoding: .utf8)
    let r = try await AllotRunner.run([
      "reconcile", "--payouts", path, "--transactions", "samples/magma-transactions.csv", "--as-of",
      "2026-03-31", "--out", dir + "/out",
    ])
    #expect(r.status == 2)
    #expect(!r.crashed)
    #expect(r.stderr.contains("payouts.csv"), "names the file: \(r.stderr)")
    #expect(r.stderr.contains("header"), "says what is missing: \(r.stderr)")
  }
}
