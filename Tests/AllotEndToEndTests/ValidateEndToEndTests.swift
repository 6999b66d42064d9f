import AllotTestSupport
import Foundation
import Testing

/// The built binary's `validate`, `inspect` and `template` as a user runs them.
@Suite struct ValidateEndToEndTests {
  @Test func sampleWorkbookReportsEveryMistakeAtOnce() async throws {
    let r = try await AllotRunner.run(["validate", "samples/stakeholders.xlsx", "--format", "json"])
    #expect(r.status == 1)
    #expect(!r.crashed)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(json["file"] as? String == "stakeholders.xlsx")
    #expect(json["sheet"] as? String == "Grants")
    #expect(json["rows"] as? Int == 50)
    #expect(json["valid"] as? Int == 41)
    #expect(json["invalid"] as? Int == 9)
    let issues = try #require(json["issues"] as? [[String: Any]])
    let codes = Set(issues.compactMap { $0["code"] as? String })
    for code in [
      "amount.not_positive", "amount.thousands_separator", "email.invalid", "wallet.checksum",
      "row.no_schedule", "date.ambiguous", "uuid.invalid", "row.duplicate", "amount.currency_symbol",
    ] {
      #expect(codes.contains(code), "missing \(code)")
    }
    let negative = try #require(issues.first { $0["code"] as? String == "amount.not_positive" })
    #expect(negative["row"] as? Int == 7)
    #expect(negative["column"] as? String == "Amount")
    #expect(negative["field"] as? String == "amount")
    #expect(negative["severity"] as? String == "error")
    #expect(negative["value"] as? String == "-250")
  }

  @Test func csvAndXlsxOfTheSameSheetAgree() async throws {
    let x = try await AllotRunner.run(["validate", "samples/stakeholders.xlsx", "--format", "json"])
    let c = try await AllotRunner.run(["validate", "samples/stakeholders.csv", "--format", "json"])
    func codes(_ s: String) throws -> [String] {
      let json = try #require(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
      return (json["issues"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }
    #expect(try codes(x.stdout) == codes(c.stdout))
  }

  @Test func cleanSheetExitsZero() async throws {
    let r = try await AllotRunner.run(["validate", "samples/stakeholders-fixed.xlsx"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("50 valid, 0 invalid"))
  }

  @Test func errorsOutWritesTheRowsBackWithTheirProblems() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let csv = dir + "/fix.csv"
    let xlsx = dir + "/fix.xlsx"
    let r1 = try await AllotRunner.run(["validate", "samples/stakeholders.xlsx", "--errors-out", csv])
    #expect(r1.status == 1)
    let text = try String(contentsOfFile: csv, encoding: .utf8)
    #expect(text.contains("errors"))
    #expect(text.contains("Amount must be greater than zero (found -250)."))
    let r2 = try await AllotRunner.run(["validate", "samples/stakeholders.xlsx", "--errors-out", xlsx])
    #expect(r2.status == 1)
    let back = try await AllotRunner.run(["inspect", xlsx, "--format", "json"])
    #expect(back.status == 0)
    #expect(back.stdout.contains("Amount must be greater than zero (found -250)."))
  }

  @Test func inspectShowsCellsAsRead() async throws {
    let r = try await AllotRunner.run(["inspect", "samples/stakeholders.xlsx", "--format", "json"])
    #expect(r.status == 0)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(json["format"] as? String == "xlsx")
    let sheets = try #require(json["sheets"] as? [[String: Any]])
    #expect(sheets.first?["name"] as? String == "Grants")
    #expect(sheets.first?["hidden"] as? Bool == false)
    let rows = try #require(sheets.first?["rows"] as? [[String: Any]])
    #expect(rows.first?["row"] as? Int == 1)
    #expect(rows[1]["row"] as? Int == 3)  // row 2 is blank and omitted
    #expect((rows[1]["values"] as? [String])?.first == "Stakeholder Name")
    // Employee numbers keep their leading zeros.
    #expect((rows[2]["values"] as? [String])?[3] == "00007")
  }

  @Test func templateWritesCsvAndXlsxThatValidate() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let r = try await AllotRunner.run(["template", "--out", dir])
    #expect(r.status == 0)
    for ext in ["csv", "xlsx"] {
      let v = try await AllotRunner.run(["validate", dir + "/allocations-template." + ext])
      #expect(v.status == 0, "\(ext): \(v.stdout)")
    }
    let sheets = try await AllotRunner.run([
      "inspect", dir + "/allocations-template.xlsx", "--format", "json",
    ])
    #expect(sheets.stdout.contains("\"name\":\"Notes\""))
  }

  @Test(arguments: [
    ("unsupported/calamine-any_sheets.xls", ".xls"),
    ("unsupported/calamine-any_sheets.xlsb", ".xlsb"),
    ("unsupported/calamine-any_sheets.ods", ".ods"),
    ("xlsx/calamine-pass_protected.xlsx", "password"),
    ("xlsx/edr-EmptyZipFile.xlsx", "xlsx"),
  ])
  func unreadableFilesExitTwoWithOneSentence(_ file: String, _ mention: String) async throws {
    guard TestPaths.corporaAvailable else {
      #expect(!TestPaths.isCI, "the corpora folder \(TestPaths.corpora) is missing")
      return
    }
    let r = try await AllotRunner.run(["validate", TestPaths.corpora + "/" + file])
    #expect(r.status == 2)
    #expect(!r.crashed)
    #expect(r.stderr.contains(mention), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test func missingAndEmptyFilesAreExplained() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let missing = try await AllotRunner.run(["validate", dir + "/nope.csv"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("nope.csv"))
    _ = FileManager.default.createFile(atPath: dir + "/empty.csv", contents: Data())
    let empty = try await AllotRunner.run(["validate", dir + "/empty.csv"])
    #expect(empty.status == 2)
    #expect(empty.stderr.contains("empty"))
  }

  @Test func wholeFileDefaultsFillMissingColumns() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let path = dir + "/dashboard.csv"
    try """
    Name,Email,Wallet,Allocation Amount,Allocation Category,Unlock Start,Unlock Schedule
    Ada Lovelace,ada@example.org,0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,1000,Team,2026-03-01 00:00,5c0e0a00-0000-4000-8000-000000000001

    """.write(toFile: path, atomically: true, encoding: .utf8)
    let without = try await AllotRunner.run(["validate", path, "--format", "json"])
    #expect(without.status == 1)
    let with = try await AllotRunner.run([
      "validate", path, "--contract-id", "C0A80101-0000-4000-8000-000000000001",
      "--token-id", "7f3c2a10-4b5e-4c6d-8e9f-0a1b2c3d4e5f",
    ])
    #expect(with.status == 0, "\(with.stdout)")
  }
}

/// The rows before the header are read on one thread, the rest on every core: a sheet whose title rows
/// fill more than the first read (64 KiB) reports what the same rows without the titles report.
@Suite struct ValidateTitleRowsEndToEndTests {
  @Test func titleRowsLongerThanTheFirstReadChangeOnlyRowNumbers() async throws {
    let sample = try String(contentsOfFile: "samples/stakeholders.csv", encoding: .utf8)
    let lines = sample.split(whereSeparator: \.isNewline).map(String.init)
    let header = lines[0]
    // 12,000 data rows (three 1 MiB chunks): the sample's rows again and again (duplicates too).
    let body = (0..<240).flatMap { _ in lines.dropFirst() }.joined(separator: "\n") + "\n"
    let titles = (1...10).map { "Grants register, part \($0): " + String(repeating: "notes ", count: 1_500) }
    let dir = try AllotRunner.temporaryDirectory()
    try (header + "\n" + body).write(toFile: dir + "/plain.csv", atomically: true, encoding: .utf8)
    try (titles.joined(separator: "\n") + "\n" + header + "\n" + body)
      .write(toFile: dir + "/titled.csv", atomically: true, encoding: .utf8)
    #expect(titles.joined().utf8.count > 64 << 10)

    func issues(_ name: String) async throws -> (rows: Int?, list: [String]) {
      let r = try await AllotRunner.run(["validate", dir + "/" + name, "--format", "json"])
      #expect(r.status == 1)
      #expect(!r.crashed)
      let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
      let shift = name == "titled.csv" ? titles.count : 0
      let list = (json["issues"] as? [[String: Any]] ?? []).map { issue in
        let row = (issue["row"] as? Int).map { $0 - shift }
        return "\(row ?? -1) \(issue["column"] ?? "") \(issue["code"] ?? "") \(issue["value"] ?? "")"
      }
      return (json["rows"] as? Int, list)
    }
    let plain = try await issues("plain.csv")
    let titled = try await issues("titled.csv")
    #expect(plain.rows == 12_000)
    #expect(titled.rows == plain.rows)
    #expect(plain.list.count > 10_000)  // copies of valid rows are duplicates
    #expect(titled.list == plain.list)
  }
}
