import AllotTestSupport
import Foundation
import Testing

/// A CSV that turns out not to be UTF-8 part-way through (an Excel "CSV" saved as Windows-1252) is
/// read again sequentially; the rows read before the switch must not be handed on twice.
@Suite struct ImportEncodingTests {
  /// The stakeholder sample with an `é` written as Windows-1252 (0xE9) in its 31st line.
  static func windows1252Sample(in dir: String) throws -> String {
    let sample = try #require(
      FileManager.default.contents(atPath: TestPaths.packageRoot + "/samples/stakeholders.csv"))
    var lines = Array(sample).split(separator: 10, omittingEmptySubsequences: false).map { Array($0) }
    let target = 30
    let index = try #require(lines[target].firstIndex(of: UInt8(ascii: "a")))
    lines[target][index] = 0xE9
    let path = dir + "/latin1-grants.csv"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(lines.joined(separator: [10]))))
    return path
  }

  @Test func importStagesEveryRowOnce() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let path = try Self.windows1252Sample(in: dir)
    let r = try await AllotRunner.run(["import", path, "--db", dir + "/a.sqlite", "--format", "json"])
    #expect([0, 1].contains(r.status), "\(r.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let warnings = try #require(json["readerWarnings"] as? [[String: Any]])
    #expect(warnings.first?["code"] as? String == "csv.windows1252")
    #expect(json["rows"] as? Int == 50)
    let staged =
      (json["pending"] as? Int ?? 0) + (json["invalid"] as? Int ?? 0) + (json["skipped"] as? Int ?? 0)
    #expect(staged == 50)
  }

  @Test func importSaysTheFileWasReadAsWindows1252() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let path = try Self.windows1252Sample(in: dir)
    let r = try await AllotRunner.run(["import", path, "--db", dir + "/a.sqlite"])
    #expect([0, 1].contains(r.status), "\(r.stderr)")
    #expect(r.stderr.contains("Windows-1252"))
    #expect(r.stdout.contains("50 rows"))
  }

  @Test func errorsOutListsEveryRowOnce() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let path = try Self.windows1252Sample(in: dir)
    let out = dir + "/errors.csv"
    let r = try await AllotRunner.run(["validate", path, "--errors-out", out])
    #expect([0, 1].contains(r.status), "\(r.stderr)")
    let text = try String(contentsOfFile: out, encoding: .utf8)
    let lines = text.split(whereSeparator: \.isNewline)
    #expect(lines.count == 51)  // the header and 50 rows
  }
}
