import AllotTestSupport
import Foundation
import Testing

/// Generated hostile files run through the built binary: each gets exit 1 or 2, one clear sentence on
/// stderr naming the file and the problem, in under 10 s and 300 MB, with no crash and nothing leaked.
///
/// The 10 s are CPU seconds (user + system, measured by GNU time), the work the file costs allot: wall
/// time on a loaded machine says more about the other processes than about allot. A run that does not end
/// within ``wallSeconds`` (a hang, which costs no CPU) is killed and fails.
@Suite(.serialized) struct HostileInputTests {
  static let seconds: TimeInterval = 10
  static let wallSeconds: TimeInterval = 60
  static let maxMemoryKB = 300 * 1024

  /// One run of the binary, with its CPU time (wall time where GNU time is missing), wall time and (on
  /// Linux, through GNU time) peak memory.
  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
    var crashed: Bool
    var seconds: Double
    var wallSeconds: Double
    var peakKB: Int?
  }

  /// ``runBlocking(_:directory:)`` on a thread of its own, off the cooperative pool.
  static func run(_ arguments: [String], directory: String) async throws -> Run {
    try await offPool { try runBlocking(arguments, directory: directory) }
  }

  static func runBlocking(_ arguments: [String], directory: String) throws -> Run {
    let timeTool = "/usr/bin/time"
    #if os(Linux)
      let measure = FileManager.default.isExecutableFile(atPath: timeTool)
    #else
      let measure = false
    #endif
    guard measure else {
      let start = Date()
      let r = try AllotRunner.runBlocking(arguments, directory: directory, timeout: wallSeconds)
      let elapsed = Date().timeIntervalSince(start)
      return Run(
        status: r.status, stdout: r.stdout, stderr: r.stderr, crashed: r.crashed,
        seconds: elapsed, wallSeconds: elapsed, peakKB: nil)
    }
    let memFile = directory + "/.time-\(UUID().uuidString)"
    let outFile = directory + "/.out-\(UUID().uuidString)"
    let errFile = directory + "/.err-\(UUID().uuidString)"
    for f in [memFile, outFile, errFile] { _ = FileManager.default.createFile(atPath: f, contents: nil) }
    defer { for f in [memFile, outFile, errFile] { try? FileManager.default.removeItem(atPath: f) } }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: timeTool)
    process.arguments = ["-f", "%M %x %U %S", "-o", memFile, TestPaths.allotBinary] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: outFile))
    let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    let start = Date()
    try process.run()
    let deadline = start.addingTimeInterval(wallSeconds)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    var timedOut = false
    if process.isRunning {
      timedOut = true
      // GNU time forwards SIGTERM to the child it runs.
      process.terminate()
      process.waitUntilExit()
    }
    let elapsed = Date().timeIntervalSince(start)
    try outHandle.close()
    try errHandle.close()
    let report = (try? String(contentsOfFile: memFile, encoding: .utf8)) ?? ""
    let lastLine = report.split(separator: "\n").last.map(String.init) ?? ""
    let fields = lastLine.split(separator: " ")
    let peak = fields.first.flatMap { Int($0) }
    let status = fields.count > 1 ? Int32(fields[1]) ?? -1 : -1
    let cpu = fields.count > 3 ? (Double(fields[2]) ?? 0) + (Double(fields[3]) ?? 0) : elapsed
    return Run(
      status: timedOut ? -1 : status,
      stdout: (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? "",
      crashed: report.contains("terminated by signal") && !timedOut,
      seconds: timedOut ? elapsed : cpu, wallSeconds: elapsed, peakKB: peak)
  }

  /// Runs `allot ARGS` on a hostile file and checks the common promises; returns the run.
  @discardableResult
  static func expectRefused(
    _ path: String, arguments: [String] = ["validate"], statuses: Set<Int32> = [1, 2],
    mentioning phrases: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> Run {
    let directory = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    let r = try await run(
      Array(arguments.prefix(1)) + [path] + Array(arguments.dropFirst()), directory: directory)
    let peak = r.peakKB.map { "\($0 / 1024) MB" } ?? "n/a"
    print(
      "hostile \(name) \(arguments.joined(separator: " ")): exit \(r.status), "
        + String(format: "%.2f s CPU, %.2f s wall", r.seconds, r.wallSeconds)
        + ", peak \(peak); stderr: \(r.stderr.prefix(300))")
    #expect(!r.crashed, "\(name) crashed the binary: \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.status != -1, "\(name) did not end within \(wallSeconds) s", sourceLocation: sourceLocation)
    #expect(statuses.contains(r.status), "\(name): exit \(r.status)", sourceLocation: sourceLocation)
    #expect(r.seconds < seconds, "\(name) took \(r.seconds) s of CPU", sourceLocation: sourceLocation)
    if let kb = r.peakKB {
      #expect(kb < maxMemoryKB, "\(name) peaked at \(kb / 1024) MB", sourceLocation: sourceLocation)
    }
    for leak in ["Fatal error", "Stack dump", "backtrace", "root:"] {
      #expect(!r.stderr.contains(leak), "\(name): stderr has \(leak)", sourceLocation: sourceLocation)
      #expect(!r.stdout.contains(leak), "\(name): stdout has \(leak)", sourceLocation: sourceLocation)
    }
    if r.status == 2 {
      // One sentence naming the file.
      let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
      #expect(lines.count == 1, "\(name): stderr is \(r.stderr)", sourceLocation: sourceLocation)
      #expect(r.stderr.contains(name), "\(name): stderr is \(r.stderr)", sourceLocation: sourceLocation)
    }
    let all = r.stderr + r.stdout
    for phrase in phrases {
      #expect(
        all.contains(phrase), "\(name): no \"\(phrase)\" in \(all.prefix(500))",
        sourceLocation: sourceLocation)
    }
    return r
  }

  static func write(_ bytes: [UInt8], _ name: String, in dir: String) throws -> String {
    let path = dir + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  static func write(_ text: String, _ name: String, in dir: String) throws -> String {
    try write(Array(text.utf8), name, in: dir)
  }

  static func rename(_ path: String, to name: String, in dir: String) throws -> String {
    let target = dir + "/" + name
    try FileManager.default.moveItem(atPath: path, toPath: target)
    return target
  }

  static let spreadsheetNS =
    "xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\""

  static func laughs() -> String {
    var dtd = "<!ENTITY lol \"lol\">"
    for i in 1...9 {
      let previous = i == 1 ? "lol" : "lol\(i - 1)"
      dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
    }
    return dtd
  }

  // MARK: - XML entities

  @Test func externalEntityInSheetIsNeverResolved() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let sheet =
      "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      + "<worksheet xmlns=\"\(XLSXFixture.mainNS)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
      + "<is><t>&x;</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>&x;</t></is></c></row></sheetData></worksheet>"
    let path = try Self.rename(
      try XLSXFixture.workbook(sheets: [XLSXFixture.Sheet(name: "S", xml: sheet)]), to: "xxe-sheet.xlsx",
      in: dir)
    try await Self.expectRefused(path, statuses: [2], mentioning: ["DTD"])
    try await Self.expectRefused(path, arguments: ["inspect", "--format", "json"], statuses: [2])
  }

  @Test func externalEntityInSharedStringsIsNeverResolved() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    var parts = XLSXFixture.workbookParts(
      sheets: [XLSXFixture.Sheet(name: "S", rows: "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>")],
      sharedStrings: ["<t>x</t>"])
    parts = parts.map { part in
      guard part.0 == "xl/sharedStrings.xml" else { return part }
      return (
        part.0,
        "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
          + "<sst xmlns=\"\(XLSXFixture.mainNS)\"><si><t>&x;</t></si></sst>"
      )
    }
    let path = try XLSXFixture.zip(parts, name: "xxe-strings.xlsx")
    let moved = try Self.rename(path, to: "xxe-strings.xlsx", in: dir)
    try await Self.expectRefused(moved, statuses: [2], mentioning: ["DTD"])
    try await Self.expectRefused(moved, arguments: ["inspect", "--format", "json"], statuses: [2])
  }

  @Test func externalEntityInSpreadsheetMLIsNeverResolved() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let xml =
      "<?xml version=\"1.0\"?><!DOCTYPE Workbook [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      + "<Workbook \(Self.spreadsheetNS)><Worksheet ss:Name=\"S\"><Table><Row><Cell><Data ss:Type=\"String\">&x;"
      + "</Data></Cell><Cell><Data ss:Type=\"String\">&x;</Data></Cell></Row></Table></Worksheet></Workbook>"
    let path = try Self.write(xml, "xxe-2003.xml", in: dir)
    try await Self.expectRefused(path, statuses: [2], mentioning: ["ENTITY"])
    try await Self.expectRefused(path, arguments: ["inspect", "--format", "json"], statuses: [2])
  }

  @Test func billionLaughsIsRefused() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let sheet =
      "<?xml version=\"1.0\"?><!DOCTYPE worksheet [\(Self.laughs())]><worksheet xmlns=\"\(XLSXFixture.mainNS)\">"
      + "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
    let xlsx = try Self.rename(
      try XLSXFixture.workbook(sheets: [XLSXFixture.Sheet(name: "S", xml: sheet)]), to: "laughs.xlsx", in: dir
    )
    try await Self.expectRefused(xlsx, statuses: [2])
    let xml =
      "<?xml version=\"1.0\"?><!DOCTYPE Workbook [\(Self.laughs())]><Workbook \(Self.spreadsheetNS)>"
      + "<Worksheet ss:Name=\"S\"><Table><Row><Cell><Data ss:Type=\"String\">&lol9;</Data></Cell></Row></Table>"
      + "</Worksheet></Workbook>"
    try await Self.expectRefused(try Self.write(xml, "laughs.xml", in: dir), statuses: [2])
  }

  // MARK: - Zip

  @Test func zipBombBySizeIsRefusedBeforeInflating() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let path = try await offPool {
      try HostileFiles.zipBomb(in: dir, name: "bomb-size.xlsx", fillerBytes: 1_500_000_000)
    }
    let onDisk = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    #expect(onDisk < 4 << 20, "the bomb should be small on disk, is \(onDisk)")
    let r = try await Self.expectRefused(path, statuses: [2], mentioning: ["--max-uncompressed-mb"])
    #expect(r.seconds < 2, "refused before inflating: \(r.seconds) s")
  }

  @Test func zipBombByRatioIsRefused() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let path = try await offPool {
      try HostileFiles.zipBomb(in: dir, name: "bomb-ratio.xlsx", fillerBytes: 300_000_000)
    }
    let r = try await Self.expectRefused(path, statuses: [2], mentioning: ["--max-compression-ratio"])
    #expect(r.seconds < 2, "refused before inflating: \(r.seconds) s")
    // The same bomb with a zip directory that lies about the size: refused while inflating.
    let lying = try await offPool {
      try HostileFiles.zipBomb(in: dir, name: "bomb-lying.xlsx", fillerBytes: 300_000_000)
    }
    try await offPool {
      try HostileFiles.patchUncompressedSize(of: "xl/worksheets/sheet1.xml", in: lying, to: 1000)
    }
    try await Self.expectRefused(lying, statuses: [2], mentioning: ["--max-compression-ratio"])
  }

  @Test func neverEndingDeflateStreamDoesNotHang() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let path = try HostileFiles.neverEndingDeflate(in: dir, name: "no-end.xlsx")
    try await Self.expectRefused(path, statuses: [2], mentioning: ["damaged"])
  }

  @Test func entriesClimbingOutOfTheArchiveAreNeverWritten() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let work = dir + "/a/b/c"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    var parts = XLSXFixture.workbookParts(sheets: [
      XLSXFixture.Sheet(
        name: "S",
        rows:
          "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>amount</t></is></c><c r=\"B1\" t=\"inlineStr\">"
          + "<is><t>Email</t></is></c></row>")
    ])
    parts.append(("../../x", "escaped"))
    parts.append(("/tmp/allot-escaped-\(UUID().uuidString)", "escaped"))
    let path = try Self.rename(try XLSXFixture.zip(parts), to: "traversal.xlsx", in: work)
    try await Self.expectRefused(path, statuses: [2], mentioning: ["../../x"])
    try await Self.expectRefused(path, arguments: ["inspect", "--format", "json"], statuses: [2])
    for candidate in [dir + "/a/x", dir + "/a/b/x", dir + "/x", work + "/x"] {
      #expect(!FileManager.default.fileExists(atPath: candidate), "\(candidate) was written")
    }
  }

  @Test func notAZipTruncatedZipAndEmptyFile() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    try await Self.expectRefused(
      try Self.write("hello, this is not a zip\n", "not-a-zip.xlsx", in: dir), statuses: [2])
    let good = try XLSXFixture.workbook(sheets: [
      XLSXFixture.Sheet(name: "S", rows: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")
    ])
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
    try await Self.expectRefused(
      try Self.write(Array(bytes.prefix(bytes.count / 2)), "truncated.xlsx", in: dir), statuses: [2],
      mentioning: ["truncated"])
    try await Self.expectRefused(
      try Self.write([], "empty.xlsx", in: dir), statuses: [2], mentioning: ["empty"])
    try await Self.expectRefused(
      try Self.write([], "empty.csv", in: dir), statuses: [2], mentioning: ["empty"])
  }

  // MARK: - Deep XML

  @Test func deeplyNestedXMLIsRefused() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let levels = 200_000
    let nested = String(repeating: "<a>", count: levels) + String(repeating: "</a>", count: levels)
    let sheet = XLSXFixture.worksheet(nested)
    // Stored (not deflated), so the depth guard is reached rather than the ratio guard.
    let stored = XLSXFixture.workbookParts(sheets: [XLSXFixture.Sheet(name: "S", xml: sheet)])
    let storedPath = try Self.rename(
      try XLSXFixture.zip(stored, compress: false), to: "deep-stored.xlsx", in: dir)
    try await Self.expectRefused(storedPath, statuses: [2], mentioning: ["deep"])
    let deflated = try Self.rename(
      try XLSXFixture.zip(stored, compress: true), to: "deep.xlsx", in: dir)
    try await Self.expectRefused(deflated, statuses: [2])
    let xml =
      "<?xml version=\"1.0\"?><Workbook \(Self.spreadsheetNS)><Worksheet ss:Name=\"S\"><Table>"
      + String(repeating: "<Row>", count: levels) + String(repeating: "</Row>", count: levels)
      + "</Table></Worksheet></Workbook>"
    try await Self.expectRefused(
      try Self.write(xml, "deep-2003.xml", in: dir), statuses: [2], mentioning: ["deep"])
  }

  // MARK: - CSV

  @Test func csvWithNulBytesIsRefused() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let path = try Self.write(Array("amount,Email\n1,a\u{0}b@example.com\n".utf8), "nul.csv", in: dir)
    try await Self.expectRefused(path, statuses: [2], mentioning: ["NUL"])
  }

  @Test func csvWithInvalidUTF8IsReadAsWindows1252WithAWarning() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    var bytes = Array("name,amount,Email\nJos".utf8)
    bytes += [0xE9]  // é in Windows-1252, invalid alone in UTF-8
    bytes += Array(",10,jose@example.com\n".utf8)
    let path = try Self.write(bytes, "latin1.csv", in: dir)
    let r = try await Self.expectRefused(path, statuses: [0, 1], mentioning: ["Windows-1252"])
    #expect(r.status != 2)
  }

  @Test func csvWithUnterminatedQuoteNamesTheRow() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    let path = try Self.write(
      "amount,Email\n1,a@example.com\n2,\"b@example.com\n3,c@example.com\n", "quote.csv", in: dir)
    try await Self.expectRefused(path, statuses: [2], mentioning: ["row 3", "quote"])
  }

  @Test func csvWithATenMegabyteCellNamesTheLimitAndTheOption() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    var bytes = Array("amount,Email\n1,".utf8)
    bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20)
    bytes += [10]
    let path = try Self.write(bytes, "big-cell.csv", in: dir)
    try await Self.expectRefused(path, statuses: [2], mentioning: ["1 MB", "--max-cell-kb", "row 2"])
  }

  @Test func csvRowOfAMillionColumnsIsRefused() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    var bytes = Array("amount,Email\n".utf8)
    bytes.reserveCapacity(2_000_100)
    for i in 0..<1_000_000 { bytes += i == 0 ? [UInt8(ascii: "1")] : [UInt8(ascii: ","), UInt8(ascii: "1")] }
    bytes += [10]
    let path = try Self.write(bytes, "wide.csv", in: dir)
    try await Self.expectRefused(path, statuses: [2], mentioning: ["--max-cells-per-row", "row 2"])
  }

  @Test func binaryGarbageIsRefused() async throws {
    let dir = try AllotRunner.temporaryDirectory()
    var generator = SystemRandomNumberGenerator()
    let garbage = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    for name in ["garbage.csv", "garbage.xlsx", "garbage.xml", "garbage"] {
      try await Self.expectRefused(try Self.write(garbage, name, in: dir), statuses: [2])
    }
  }
}
