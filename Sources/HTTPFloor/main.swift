// http-floor: what AsyncHTTPClient alone costs per request, for the submit benchmark (`scripts/bench`).
//
// Sends the same POST body N times with C requests in flight through one HTTPClient on one event loop
// (as `allot submit` does), and prints the process's CPU time per request. No database, no state
// machine: the floor under `allot submit`'s CPU per row. The token comes from MAGNA_API_TOKEN.
//
//   http-floor URL BODY_FILE [--requests N] [--concurrency C] [--api future|async|magna]
//              [--configuration default|allot] [--deadline SECONDS]
//
// `future`: the EventLoopFuture API, requests started from the event loop as answers arrive (the
// cheapest way AsyncHTTPClient offers; allot's clients use its delegate form, awaited from a task);
// `async`: `execute(_:timeout:)` from a task per request on the event loop's executor.
// `magna`: allot's `MagnaClient.startCreateAllocation` (its request template, response delegate, deadline,
// answer reading and log), started from the event loop as answers arrive, with no engine and no database;
// the base URL comes from MAGNA_BASE_URL, and URL is not used.
// `--configuration allot`: the client configured as allot's clients are (`makeHTTPClientConfiguration`:
// no tracing spans, head and body in one socket write, no redirects); `default` (the default): as
// AsyncHTTPClient comes, but for redirects. `--deadline`: each request of the future API given a deadline
// (allot's creates have one, `allot submit --request-timeout`, 30 s by default); none by default.

import AllotCore
import AllotHTTP
import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

struct Usage: Error, CustomStringConvertible {
  var description: String
}

func cpuSeconds() -> Double {
  var r = rusage()
  getrusage(RUSAGE_SELF.rawValue, &r)
  return Double(r.ru_utime.tv_sec) + Double(r.ru_utime.tv_usec) / 1e6 + Double(r.ru_stime.tv_sec)
    + Double(r.ru_stime.tv_usec) / 1e6
}

func parse(_ arguments: [String]) throws -> (
  url: String, body: [UInt8], requests: Int, concurrency: Int, api: String, allotConfiguration: Bool,
  deadline: Int?
) {
  var positional: [String] = []
  var requests = 4000
  var concurrency = 16
  var api = "future"
  var configuration = "default"
  var deadline: Int?
  var i = 0
  while i < arguments.count {
    let a = arguments[i]
    if a.hasPrefix("--") {
      guard i + 1 < arguments.count else { throw Usage(description: "\(a) needs a value") }
      let v = arguments[i + 1]
      switch a {
      case "--requests": requests = Int(v) ?? 0
      case "--concurrency": concurrency = Int(v) ?? 0
      case "--api": api = v
      case "--configuration": configuration = v
      case "--deadline": deadline = Int(v) ?? 0
      default: throw Usage(description: "unknown option \(a)")
      }
      i += 2
    } else {
      positional.append(a)
      i += 1
    }
  }
  guard positional.count == 2 else { throw Usage(description: "give the URL and the body file") }
  guard requests > 0, concurrency > 0, (deadline ?? 1) > 0, ["future", "async", "magna"].contains(api),
    configuration == "default" || configuration == "allot"
  else {
    throw Usage(
      description:
        "--requests, --concurrency and --deadline must be positive, --api future, async or magna, --configuration default or allot"
    )
  }
  guard let data = FileManager.default.contents(atPath: positional[1]) else {
    throw Usage(description: "cannot read \(positional[1])")
  }
  return (positional[0], Array(data), requests, concurrency, api, configuration == "allot", deadline)
}

let options:
  (
    url: String, body: [UInt8], requests: Int, concurrency: Int, api: String, allotConfiguration: Bool,
    deadline: Int?
  )
do {
  options = try parse(Array(CommandLine.arguments.dropFirst()))
} catch {
  FileHandle.standardError.write(
    Data(
      "http-floor: \(error)\nusage: http-floor URL BODY_FILE [--requests N] [--concurrency C] [--api future|async|magna] [--configuration default|allot] [--deadline SECONDS]\n"
        .utf8))
  exit(2)
}
let headers: HTTPHeaders = [
  "content-type": "application/json",
  "x-magna-api-token": ProcessInfo.processInfo.environment["MAGNA_API_TOKEN"] ?? "",
]

let loop = MultiThreadedEventLoopGroup.singleton.next()
var configuration = HTTPClient.Configuration()
configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = options.concurrency
configuration.redirectConfiguration = .disallow
if options.allotConfiguration {
  configuration = makeHTTPClientConfiguration(
    connectTimeout: .seconds(10), retryConnectionEstablishment: true, maxConnections: options.concurrency)
}
let http = HTTPClient(eventLoopGroupProvider: .shared(loop), configuration: configuration)
let cpuBefore = cpuSeconds()
let started = ContinuousClock.now
let statuses = NIOLockedValueBox([Int: Int]())

/// An executor that runs jobs on `loop`, so tasks handle answers without a hop between threads.
final class LoopExecutor: TaskExecutor {
  let loop: any EventLoop
  init(_ loop: any EventLoop) { self.loop = loop }
  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}

/// The requests started and answered, for the APIs whose answers start the next request: each answer is
/// counted and starts another until all have started, and the last one completes `done`. Touched on one
/// event loop only.
final class Relay: @unchecked Sendable {
  var started = 0
  var finished = 0
  let done: EventLoopPromise<Void>

  init(done: EventLoopPromise<Void>) {
    self.done = done
  }

  func answered(status: Int, next fire: () -> Void) {
    statuses.withLockedValue { $0[status, default: 0] += 1 }
    finished += 1
    if started < options.requests {
      fire()
    } else if finished == options.requests {
      done.succeed(())
    }
  }

  /// Starts the first `concurrency` requests on `loop` and waits for the last answer.
  func run(on loop: any EventLoop, _ fire: @escaping @Sendable () -> Void) async throws {
    loop.execute {
      for _ in 0..<min(options.concurrency, options.requests) { fire() }
    }
    try await done.futureResult.get()
  }
}

switch options.api {
case "magna":
  let magna = try MagnaClientConfiguration.fromEnvironment()
  let magnaHTTP = MagnaClient.makeHTTPClient(magna)
  let client = MagnaClient(httpClient: magnaHTTP, configuration: magna)
  let relay = Relay(done: MagnaClient.eventLoop.makePromise(of: Void.self))
  @Sendable func fire() {
    relay.started += 1
    _ = client.startCreateAllocation(body: options.body) { outcome in
      let created: Bool
      if case .created = outcome { created = true } else { created = false }
      relay.answered(status: created ? 200 : 0, next: fire)
    }
  }
  try await relay.run(on: MagnaClient.eventLoop, fire)
  try await magnaHTTP.shutdown().get()
case "future":
  let relay = Relay(done: loop.makePromise(of: Void.self))
  @Sendable func fire() {
    relay.started += 1
    let request: HTTPClient.Request
    do {
      request = try HTTPClient.Request(
        url: options.url, method: .POST, headers: headers, body: .bytes(options.body))
    } catch {
      relay.done.fail(error)
      return
    }
    http.execute(
      request: request, eventLoop: .delegate(on: loop),
      deadline: options.deadline.map { .now() + .seconds(Int64($0)) }
    ).whenComplete { result in
      relay.answered(status: (try? result.get()).map { Int($0.status.code) } ?? 0, next: fire)
    }
  }
  try await relay.run(on: loop, fire)
default:
  let executor = LoopExecutor(loop)
  await Task(executorPreference: executor) {
    await withTaskGroup(of: Int.self) { group in
      @Sendable func one() async -> Int {
        var request = HTTPClientRequest(url: options.url)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(bytes: options.body))
        guard let response = try? await http.execute(request, timeout: .seconds(30)) else { return 0 }
        _ = try? await response.body.collect(upTo: 8 << 20)
        return Int(response.status.code)
      }
      var next = 0
      while next < min(options.concurrency, options.requests) {
        group.addTask { await one() }
        next += 1
      }
      while let status = await group.next() {
        statuses.withLockedValue { $0[status, default: 0] += 1 }
        if next < options.requests {
          group.addTask { await one() }
          next += 1
        }
      }
    }
  }.value
}

let elapsed = ContinuousClock.now - started
let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let cpu = cpuSeconds() - cpuBefore
try await http.shutdown().get()
let answered = statuses.withLockedValue { $0 }.sorted { $0.key < $1.key }.map {
  "\($0.value)× \($0.key == 0 ? "no answer" : "HTTP \($0.key)")"
}
print(
  String(
    format:
      "%@ API%@: %d requests, %d in flight: %.2f s, %.0f requests/s, CPU %.3f s = %.3f ms per request (%@)",
    options.api, options.allotConfiguration ? ", allot's configuration" : "", options.requests,
    options.concurrency, wall, Double(options.requests) / wall, cpu,
    cpu / Double(options.requests) * 1000, answered.joined(separator: ", ")))
