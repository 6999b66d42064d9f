import AllotCore
import AllotStore
import AllotTestSupport
import Foundation
import Testing

/// `allot import` writes the bodies of a UTF-8 CSV's rows on the validating workers, straight from the
/// rows' bytes when it can. A file that ends in a Windows-1252 byte is read again sequentially, where
/// every body is built from its request: both must stage the same rows, bodies, fingerprints and issues.
@Suite struct ImportPreparedRowsTests {
  /// Several chunks of rows (the first chunk is read sequentially in both cases): distinct rows, exact
  /// copies far apart, rows with a warning or an error, and texts that need escaping.
  static func rows() throws -> (header: String, lines: [String]) {
    let sample = try String(
      contentsOfFile: TestPaths.packageRoot + "/samples/stakeholders.csv", encoding: .utf8)
    let all = sample.split(whereSeparator: \.isNewline).map(String.init)
    let header = all[0]
    let data = Array(all.dropFirst())
    var lines: [String] = []
    for i in 0..<9_000 {
      var cells = data[i % data.count].split(separator: ",", omittingEmptySubsequences: false).map(
        String.init)
      guard cells.count == 17 else { continue }
      cells[5] = "\(1000 + i).\(i % 7)"  // Amount: every row distinct
      switch i % 97 {
      case 3: cells[0] = ""  // name.missing (a warning)
      case 5: cells[5] = "0"  // amount.not_positive (an error)
      case 7: cells[15] = "\"Grant \"\"Q\"\" \\ \(i)\""  // quotes and a backslash in the description
      case 11: cells[0] = "\" Zoë Ünïcødé \""  // trimmed non-ASCII name
      default: break
      }
      lines.append(cells.joined(separator: ","))
    }
    // Exact copies of rows in other chunks.
    for i in stride(from: 10, to: 8_000, by: 1_000) { lines.append(lines[i]) }
    return (header, lines)
  }

  @Test func workersStageWhatTheSequentialReadStages() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let (header, lines) = try Self.rows()
    let utf8 = header + "\n" + lines.joined(separator: "\n") + "\n"
    let a = dir + "/a.csv"
    #expect(FileManager.default.createFile(atPath: a, contents: Data(utf8.utf8)))
    // The same rows, then one whose description is Windows-1252 (0xE9): read again sequentially.
    var bytes = Array(utf8.utf8)
    bytes +=
      Array(
        (lines[1].split(separator: ",", omittingEmptySubsequences: false).dropLast(2)
          .joined(separator: ",") + ",Caf").utf8) + [0xE9, UInt8(ascii: ","), UInt8(ascii: "X"), 10]
    let b = dir + "/b.csv"
    #expect(FileManager.default.createFile(atPath: b, contents: Data(bytes)))
    #expect(utf8.utf8.count > 2 * (1 << 20))

    var summaries: [[String: Any]] = []
    for (file, db) in [(a, dir + "/a.sqlite"), (b, dir + "/b.sqlite")] {
      let r = try await AllotRunner.run(["import", file, "--db", db, "--format", "json"])
      #expect(r.status == 1, "\(r.stderr)")  // the file has errors
      summaries.append(
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]))
    }
    #expect(
      (summaries[1]["readerWarnings"] as? [[String: Any]])?.first?["code"] as? String == "csv.windows1252")
    #expect(summaries[0]["rows"] as? Int == lines.count)
    #expect(summaries[1]["rows"] as? Int == lines.count + 1)
    #expect(summaries[0]["invalid"] as? Int == summaries[1]["invalid"] as? Int)
    // The last row of b repeats row 3 but for its description: no issue of its own.
    #expect(summaries[0]["issues"] as? Int == summaries[1]["issues"] as? Int)
    #expect((summaries[0]["issues"] as? Int ?? 0) > 2 * 9_000 / 97 + 7)
    // And the same issues as `allot validate` finds: the copies of rows of the first chunk (read
    // sequentially, to find the header) are found in later chunks too.
    let v = try await AllotRunner.run(["validate", a, "--format", "json"])
    let report = try #require(try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any])
    let issues = try #require(report["issues"] as? [[String: Any]])
    // Eight copies, one of them of a row with an error (which has no body to repeat).
    #expect(issues.filter { $0["code"] as? String == "row.duplicate" }.count == 7)
    #expect(summaries[0]["issues"] as? Int == issues.count)

    let pa = try await AllotDatabase(path: dir + "/a.sqlite").sendableRows(batch: 1, now: 0, limit: 20_000)
    let pb = try await AllotDatabase(path: dir + "/b.sqlite").sendableRows(batch: 1, now: 0, limit: 20_000)
    #expect(pa.count == pb.count - 1)
    #expect(pa.count == summaries[0]["pending"] as? Int)
    for (x, y) in zip(pa, pb) {
      #expect(x.sourceRow == y.sourceRow)
      #expect(x.payload == y.payload, "row \(x.sourceRow)")
      #expect(x.reference?.dropLast(12) == y.reference?.dropLast(12))
    }
    // Rows that repeat another one were found (a warning each) the same way.
    let statuses = try AllotDatabase(path: dir + "/a.sqlite").rowStatuses(batch: 1, all: true)
    #expect(statuses.count == lines.count)
  }

  /// An import long enough for the database file to be flushed early while rows are staged
  /// (`EarlyWriteback`, every 64 chunks of 1,024 rows): every row is staged and the file reopens.
  @Test func aLongImportFlushesEarlyAndKeepsEveryRow() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let (header, lines) = try Self.rows()
    var text = header + "\n"
    let total = 70_000
    for i in 0..<total {
      var cells = lines[i % lines.count].split(separator: ",", omittingEmptySubsequences: false)
      if cells.count == 17 { cells[5] = Substring("\(i + 1).25") }
      text += cells.joined(separator: ",") + "\n"
    }
    let path = dir + "/long.csv"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
    let r = try await AllotRunner.run(["import", path, "--db", dir + "/long.sqlite", "--format", "json"])
    #expect([0, 1].contains(r.status), "\(r.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(json["rows"] as? Int == total)
    let statuses = try AllotDatabase(path: dir + "/long.sqlite").rowStatuses(batch: 1, all: true)
    #expect(statuses.count == total)
    #expect(statuses.map(\.row) == Array(2..<(total + 2)))
  }
}
