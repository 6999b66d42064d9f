import AllotCore
import AllotHTTP
import AllotStore
import ArgumentParser
import Foundation

/// `allot submit`: sends pending rows to Magna, durable per row, safe to interrupt and re-run.
struct SubmitCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "submit",
    abstract:
      "Send pending rows to Magna, with retry and durable per-row state; safe to interrupt and re-run.",
    discussion: """
      Reads MAGNA_API_TOKEN (required) and MAGNA_BASE_URL (default \(MagnaClientConfiguration.defaultBaseURL)). \
      Each row is marked in flight in the database before its request leaves; rows whose outcome is \
      uncertain are checked against Magna's list of allocations by their reference (custom attribute \
      "\(RowReference.attributeKey)"). Ctrl-C stops starting requests and finishes those in flight; a second \
      Ctrl-C aborts. Exit status: 0 every row succeeded/skipped/invalid, 1 some rows failed, unknown or not \
      sent yet, 3 missing or rejected credentials.
      """
  )

  @Option(help: "Only this batch (default: every batch).")
  var batch: Int64?

  @Option(help: ArgumentHelp("Most requests at once.", valueName: "N"))
  var concurrency: Int = 4

  @Option(help: ArgumentHelp("Most create requests per row, the first included.", valueName: "N"))
  var maxAttempts: Int = 5

  @Option(help: ArgumentHelp("Most requests per second (default: no limit).", valueName: "R"))
  var rate: Double?

  @Option(
    help: ArgumentHelp(
      "Seconds before a request without an answer counts as uncertain.", valueName: "SECONDS"))
  var requestTimeout: Double = 30

  @Option(
    help: ArgumentHelp(
      "Seconds to keep re-checking uncertain rows while Magna's list of allocations cannot be read; "
        + "then the run stops and they stay unknown.", valueName: "SECONDS"))
  var verifyPatience: Double = 60

  @Flag(help: "Show what would be sent; send nothing (no token needed).")
  var dryRun = false

  @Flag(help: "Check the batch's contract and schedule ids with Magna before sending anything.")
  var preflight = false

  @Flag(
    name: .customLong("no-ref-attribute"),
    help: "Do not add the row's reference as a custom attribute (uncertain rows then need `allot resolve`).")
  var noRefAttribute = false

  @OptionGroup var database: DatabaseOption

  func run() async throws {
    guard concurrency >= 1, concurrency <= 256 else {
      throw usage("--concurrency must be between 1 and 256.")
    }
    guard maxAttempts >= 1, maxAttempts <= 100 else {
      throw usage("--max-attempts must be between 1 and 100.")
    }
    if let rate, !(rate > 0 && rate.isFinite) {
      throw usage("--rate must be a positive number of requests per second.")
    }
    guard requestTimeout > 0, requestTimeout <= 3600 else {
      throw usage("--request-timeout must be between 0 and 3600 seconds.")
    }
    guard verifyPatience >= 0, verifyPatience <= 86_400 else {
      throw usage("--verify-patience must be between 0 and 86400 seconds.")
    }
    // A run can last hours while other commands use the database: its commits wait for another writer
    // (an `allot import` of a large sheet holds the database for its whole transaction) rather than stop.
    let db = try database.open(busyTimeout: Self.busyTimeout)
    if let batch {
      guard (try? db.batches(id: batch))?.isEmpty == false else {
        throw usage("there is no batch \(batch) in \(db.path).")
      }
    }
    if dryRun { return try dryRunReport(db) }
    // One `allot submit` or `allot resolve` at a time per database, until this process ends.
    let lock = try SubmissionLock.take(for: db)
    defer { lock.release() }

    var configuration: MagnaClientConfiguration
    do {
      configuration = try MagnaClientConfiguration.fromEnvironment(
        requestTimeout: .milliseconds(Int64(requestTimeout * 1000)))
    } catch {
      Console.error("allot: \(error.message)")
      throw ExitStatus.configuration
    }

    // One pooled keep-alive connection per request slot (no request waits for a connection).
    configuration.maxConnections = max(configuration.maxConnections, concurrency)
    let options = SubmissionOptions(
      batch: batch, concurrency: concurrency, rate: rate, retry: RetryPolicy(maxAttempts: maxAttempts),
      sendReference: !noRefAttribute, requestDeadline: requestTimeout + 1, verifyPatience: verifyPatience)
    let report: SubmissionReport
    do {
      report = try await withMagnaClient(configuration) { client -> SubmissionReport in
        if preflight { try await runPreflight(db, client) }
        return try await submit(db, client, options)
      }
    } catch let exit as ExitCode {
      throw exit
    } catch let error as StoreError {
      throw error.reportAndExit()
    } catch let error as RowTransitionError {
      Console.error("allot: \(error.description)")
      throw ExitStatus.attention
    } catch {
      Console.error("allot: submission stopped: \(error)")
      throw ExitStatus.attention
    }
    try finish(report, db)
  }

  /// Seconds a commit waits for another process's transaction before the run stops.
  static let busyTimeout = 300.0

  private func usage(_ sentence: String) -> ExitCode {
    Console.error("allot: \(sentence)")
    return ExitStatus.badInput
  }

  private func submit(_ db: AllotDatabase, _ client: MagnaClient, _ options: SubmissionOptions) async throws
    -> SubmissionReport
  {
    let control = SubmissionControl()
    let engine = SubmissionEngine(api: client, store: db, options: options, control: control)
    let view = SubmitProgressView()
    // On the HTTP client's event loop: a request's answer resumes its task where it arrived.
    let task = Task(executorPreference: MagnaClient.taskExecutor) {
      try await engine.run(progress: { view.update($0) })
    }
    let interrupts = InterruptHandler(
      onFirst: { control.requestStop() },
      onSecond: { task.cancel() })
    interrupts.install()
    defer {
      interrupts.uninstall()
      view.finish()
    }
    return try await task.value
  }

  private func finish(_ report: SubmissionReport, _ db: AllotDatabase) throws {
    if report.recovered > 0 {
      Console.out(
        "\(report.recovered) row\(report.recovered == 1 ? " was" : "s were") left in flight by an earlier run and checked again."
      )
    }
    let scope = batch.map { "Batch \($0)" } ?? "All batches"
    Console.out("\(scope): \(StatusText.summary(report.counts)).")
    let p = report.progress
    if p.requests > 0 {
      Console.out(
        "This run: \(p.requests) request\(p.requests == 1 ? "" : "s"), \(p.succeeded) created, \(p.failed) failed, "
          + "in \(SubmitProgressView.duration(p.elapsed)).")
    }
    switch report.ending {
    case .unauthorized(let status, let message):
      Console.error(
        "allot: Magna refused the API token (HTTP \(status): \(message)); check MAGNA_API_TOKEN. Rows not sent stay pending."
      )
      throw ExitStatus.configuration
    case .stopped:
      Console.out("Stopped on request; run `allot submit` again to continue.")
    case .cancelled:
      Console.out("Aborted; rows that were in flight will be checked on the next `allot submit`.")
    case .unverifiable(let checks, let seconds, let message):
      let unknown = report.count(.unknown)
      Console.error(
        "allot: Magna's list of allocations could not be read for \(SubmitProgressView.duration(seconds)) "
          + "(\(checks) checks in a row; last error: \(message)), so the run stopped. "
          + "\(unknown) row\(unknown == 1 ? " whose answer was lost stays" : "s whose answer was lost stay") "
          + "unknown; run `allot submit` again when Magna answers, and they are checked first.")
    case .finished:
      break
    }
    if !report.allSettled {
      if report.count(.failed) + report.count(.unknown) > 0 {
        Console.out(
          "See `allot status\(batch.map { " --batch \($0)" } ?? "")` for the rows that need attention.")
      }
      throw ExitStatus.attention
    }
  }

  private func dryRunReport(_ db: AllotDatabase) throws {
    do {
      let counts = try db.stateCounts(batch: batch)
      let toSend = (counts[.pending] ?? 0) + (counts[.retryWait] ?? 0)
      Console.out(
        "Dry run: \(toSend) row\(toSend == 1 ? "" : "s") would be sent (\(StatusText.summary(counts))).")
      if let first = try db.previewRows(batch: batch, limit: 1).first {
        let body: [UInt8] =
          noRefAttribute
          ? first.payload
          : (first.reference.flatMap { RowReference.insert(reference: $0, into: first.payload) }
            ?? first.payload)
        Console.out(
          "First request (batch \(first.batchId), row \(first.sourceRow)): POST /allocations/create")
        Console.out(String(decoding: body, as: UTF8.self))
      }
    } catch {
      throw error.reportAndExit()
    }
  }

  private func runPreflight(_ db: AllotDatabase, _ client: MagnaClient) async throws {
    let groups = try db.preflightIds(batch: batch)
    var problems: [String] = []
    for g in groups {
      do {
        let contracts = try await client.contractIds(tokenId: g.tokenId)
        let schedules = try await client.scheduleIds(tokenId: g.tokenId)
        let lowerContracts = Set(contracts.map { $0.lowercased() })
        let lowerSchedules = Set(schedules.map { $0.lowercased() })
        for (id, n) in g.contractIds.sorted(by: { $0.key < $1.key })
        where !lowerContracts.contains(id.lowercased()) {
          problems.append(
            "contract \(id) (used by \(n) row\(n == 1 ? "" : "s")) does not exist for token \(g.tokenId)")
        }
        for (id, n) in g.scheduleIds.sorted(by: { $0.key < $1.key })
        where !lowerSchedules.contains(id.lowercased()) {
          problems.append(
            "schedule \(id) (used by \(n) row\(n == 1 ? "" : "s")) does not exist for token \(g.tokenId)")
        }
      } catch {
        if error.isAuthorization {
          Console.error("allot: Magna refused the API token (\(error.description)); check MAGNA_API_TOKEN.")
          throw ExitStatus.configuration
        }
        Console.error("allot: preflight could not check token \(g.tokenId): \(error.description)")
        throw ExitStatus.attention
      }
    }
    if !problems.isEmpty {
      for p in problems { Console.error("allot: preflight: \(p).") }
      Console.error("allot: nothing was sent; fix the ids (or the file) and import again.")
      throw ExitStatus.attention
    }
    Console.out("Preflight: every contract and schedule id exists.")
  }
}
