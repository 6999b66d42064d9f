import AllotCore
import AllotHTTP
import AllotReaders
import AllotReports
import ArgumentParser
import Foundation

/// `allot reconcile`: match expected payouts with Magma transactions and write the reports.
struct ReconcileCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reconcile",
    abstract: "Match expected payouts with Magma transactions; write HTML, CSV and JSON reports.",
    discussion: """
      Expected side: --payouts FILE (CSV, XLSX or SpreadsheetML with columns reference, stakeholder, wallet, \
      amount, currency, network, due_date) or --batch ID. Actual side: --transactions FILE (a Magma \
      export-csv file) or --from-api (GET /v1/transactions with MAGMA_API_KEY or MAGMA_TOKEN).
      Exit status: 0 nothing needs attention, 1 exceptions found, 2 bad input, 3 missing credentials.
      """
  )

  @Option(
    help: ArgumentHelp("Expected payouts: a .csv, .xlsx or SpreadsheetML .xml file.", valueName: "FILE"))
  var payouts: String?

  @Option(
    help: ArgumentHelp(
      "Expected payouts: the succeeded allocations of an imported batch (repeatable: --batch 1 --batch 2).",
      valueName: "ID"))
  var batch: [Int64] = []

  @Option(help: ArgumentHelp("Actual payouts: a Magma transactions export (export-csv).", valueName: "FILE"))
  var transactions: String?

  @Flag(
    help:
      "Actual payouts: read GET /v1/transactions from Magma (MAGMA_BASE_URL, MAGMA_API_KEY or MAGMA_TOKEN).")
  var fromAPI = false

  @Option(
    help: ArgumentHelp(
      "Allowed difference: a percentage (0.5%) or an absolute amount (0.01).", valueName: "TOL"))
  var tolerance: String = "0.5%"

  @Option(help: ArgumentHelp("Days around the due date a payment may fall (7d, 2w).", valueName: "DAYS"))
  var window: String = "7d"

  @Option(help: ArgumentHelp("The reconciliation date, YYYY-MM-DD (default: today, UTC).", valueName: "DATE"))
  var asOf: String?

  @Option(
    help: ArgumentHelp("Report folder (default: reports/<as-of>-<short hash of inputs>/).", valueName: "DIR"))
  var out: String?

  @Option(help: ArgumentHelp("Folder with report templates overriding the built-in ones.", valueName: "DIR"))
  var templates: String?

  @Option(
    help: ArgumentHelp(
      "A JSON file mapping header text to fields, e.g. {\"Payee\": \"stakeholder\", \"Tx\": \"id\"} (or {\"payouts\": {...}, \"transactions\": {...}}).",
      valueName: "FILE"))
  var mapping: String?

  @Option(help: "Output on stdout: text (a summary) or json.")
  var format: OutputFormat = .text

  @Option(
    help: ArgumentHelp(
      "With --batch: the currency the allocations are paid in (e.g. USDC).", valueName: "CODE"))
  var currency: String?

  @Option(help: ArgumentHelp("With --batch: the network they are paid on (e.g. polygon).", valueName: "NAME"))
  var network: String?

  @OptionGroup var database: DatabaseOption

  @OptionGroup var input: InputOptions

  func validate() throws {
    if (payouts == nil) == batch.isEmpty {
      throw ValidationError("Give exactly one of --payouts FILE or --batch ID.")
    }
    if !batch.isEmpty && (currency == nil || network == nil) {
      throw ValidationError(
        "With --batch, give the currency and network the allocations are paid in: --currency USDC --network polygon."
      )
    }
    if (transactions == nil) == !fromAPI {
      throw ValidationError("Give exactly one of --transactions FILE or --from-api.")
    }
    if ReconciliationSettings.Tolerance(tolerance) == nil {
      throw ValidationError(
        "--tolerance must be a percentage like 0.5% or an amount like 0.01 (found \(tolerance)).")
    }
    if ReconciliationSettings.windowDays(window) == nil {
      throw ValidationError("--window must be a number of days like 7d or 2w (found \(window)).")
    }
    if let asOf, CalendarDay(iso: asOf) == nil || asOf.utf8.count != 10 {
      throw ValidationError("--as-of must be a date written YYYY-MM-DD (found \(asOf)).")
    }
  }

  func run() async throws {
    // Large arrays (a million records, hash tables, report slices) come and go between phases.
    MemoryTuning.mapBlocks(largerThan: 1 << 20)
    let mappings = try mapping.map(ReconcileInputs.loadMapping) ?? (payouts: [:], transactions: [:])
    guard let tol = ReconciliationSettings.Tolerance(tolerance),
      let days = ReconciliationSettings.windowDays(window)
    else { throw ExitStatus.badInput }
    let day = asOf.flatMap { CalendarDay(iso: $0) } ?? ReconcileInputs.todayUTC()
    let settings = ReconciliationSettings(tolerance: tol, windowDays: days, asOf: day)

    var timer = PhaseTimer()
    // Expected side: a payouts file, or the created allocations of a batch.
    let payoutMapping = mappings.payouts
    let limits = input.limits
    let expectedName: String
    let batchSide: ReconcileInputs.Payouts?
    if !batch.isEmpty {
      batchSide = try ReconcileInputs.batchPayouts(
        batch, database: try database.open(), currency: currency, network: network)
      let ids = batch.map(String.init).joined(separator: ", ")
      expectedName = "batch\(batch.count == 1 ? "" : "es") \(ids) (\(database.resolvedPath))"
    } else {
      batchSide = nil
      expectedName = payouts ?? ""
    }
    let (expected, actual) = try await MemoryTuning.growingHeapsInLargeSteps {
      try await readInputs(
        batchSide: batchSide, payoutMapping: payoutMapping, limits: limits, mappings: mappings)
    }
    timer.lap("read both inputs")
    for issue in expected.warnings + actual.warnings { Console.error("allot: warning: \(issue)") }

    let result = Reconciler.reconcile(
      expected: expected.payouts, transactions: actual.transactions, settings: settings,
      parallel: .everyCore)
    timer.lap("match")
    let inputs = [
      ReportInput(role: "payouts", name: expectedName, sha256: expected.sha256, rows: expected.payouts.count),
      ReportInput(
        role: "transactions", name: actual.name, sha256: actual.sha256, rows: actual.transactions.count),
    ]
    let folder = out ?? ReconcileInputs.defaultFolder(asOf: day, inputs: inputs, settings: settings)
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      Console.error("allot: cannot create the report folder \(folder).")
      throw ExitStatus.badInput
    }
    let report = ReconciliationReport(result: result, inputs: inputs)
    do {
      try report.write(to: folder, templatesDirectory: templates)
    } catch let error as ReportError {
      Console.error("allot: \(error.description)")
      throw ExitStatus.badInput
    }
    timer.lap("reports")
    switch format {
    case .text: Console.out(ReconcileSummary.text(result, folder: folder))
    case .json: Console.out(ReconcileSummary.json(result, folder: folder, inputs: inputs))
    }
    timer.lap("summary")
    try ExitStatus.end(
      result.hasExceptions ? ExitStatus.attention : ExitStatus.ok, keepingAlive: (expected, actual, result))
  }

  /// Both sides, read at the same time (and each file hashed alongside its parsing).
  private func readInputs(
    batchSide: ReconcileInputs.Payouts?, payoutMapping: [String: String], limits: ReaderLimits,
    mappings: (payouts: [String: String], transactions: [String: String])
  ) async throws -> (ReconcileInputs.Payouts, ReconcileInputs.Transactions) {
    let payoutsFile = payouts
    async let fileSide = ReconcileInputs.readPayoutsIfGiven(
      payoutsFile, mapping: payoutMapping, limits: limits)
    let actual: ReconcileInputs.Transactions
    if let transactions {
      let transactionMapping = mappings.transactions
      async let actualSide = ReconcileInputs.readTransactions(
        transactions, mapping: transactionMapping, limits: limits)
      actual = try await actualSide
    } else {
      actual = try await ReconcileInputs.fetchTransactions()
    }
    guard let expected = try await fileSide ?? batchSide else { throw ExitStatus.badInput }
    return (expected, actual)
  }
}

/// Phase timings on stderr when `ALLOT_TIMINGS=1` (for the benchmark).
struct PhaseTimer {
  private let enabled = ProcessInfo.processInfo.environment["ALLOT_TIMINGS"] == "1"
  private let clock = ContinuousClock()
  private var last = ContinuousClock.now
  private var lastCPU = PhaseTimer.cpuSeconds()
  private var lastFaults = PhaseTimer.pageFaults()

  mutating func lap(_ name: String) {
    guard enabled else { return }
    let now = clock.now
    let cpu = Self.cpuSeconds()
    let cpuText = String(format: "%.2f", cpu - lastCPU)
    let faults = Self.pageFaults()
    Console.error(
      "timing: \(name): \(now - last), CPU \(cpuText) s, \(faults - lastFaults) page faults, peak RSS so far \(Self.peakRSS())"
    )
    last = now
    lastCPU = cpu
    lastFaults = faults
  }

  /// Page faults of the whole process so far (memory touched for the first time, mostly).
  private static func pageFaults() -> Int {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    return usage.ru_minflt
  }

  /// User plus system time of the whole process so far.
  private static func cpuSeconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }

  /// `VmHWM` from /proc/self/status (Linux), or "?".
  private static func peakRSS() -> String {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return "?" }
    return line.dropFirst(6).trimmingCharacters(in: .whitespaces)
  }
}
