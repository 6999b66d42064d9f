import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One response, fully read.
struct RawResponse: Sendable {
  var status: Int
  var headers: HTTPHeaders
  var body: [UInt8]
}

/// What one HTTP exchange came to.
enum ExchangeResult: Sendable {
  /// A complete response.
  case response(RawResponse)
  /// The head arrived (so the request was received) but the body was lost.
  case bodyLost(status: Int, headers: HTTPHeaders, failure: TransportFailure)
  /// No response at all.
  case failed(TransportFailure)
}

extension Duration {
  var timeAmount: TimeAmount {
    let (seconds, attoseconds) = components
    return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }
}

/// An AsyncHTTPClient configuration suited to a non-idempotent API: no redirects (a POST is never
/// re-sent elsewhere), a connect timeout, bounded pool. No read timeout: each request's deadline (the
/// client's `requestTimeout`) bounds it from start to end, and an idle-read timer, set and reset on every
/// read of every request, only added work.
package func makeHTTPClientConfiguration(
  connectTimeout: Duration, retryConnectionEstablishment: Bool, maxConnections: Int
) -> HTTPClient.Configuration {
  var configuration = HTTPClient.Configuration()
  configuration.redirectConfiguration = .disallow
  configuration.timeout = .init(connect: connectTimeout.timeAmount)
  configuration.connectionPool.retryConnectionEstablishment = retryConnectionEstablishment
  configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = maxConnections
  // No tracer: AsyncHTTPClient otherwise starts a (no-op) span per request and formats its
  // attributes, about 4 % of submit's CPU. allot bootstraps no tracing system.
  configuration.tracing.tracer = nil
  // Head and body of a request in one socket write (`FlushCoalescer`). AsyncHTTPClient calls this before
  // it hands the connection a request; it may call it off the channel's event loop.
  configuration.http1_1ConnectionDebugInitializer = { channel in
    channel.eventLoop.submit {
      try channel.pipeline.syncOperations.addHandler(FlushCoalescer(), position: .first)
    }
  }
  return configuration
}

/// Sends one request and reads the whole answer, never throwing: every failure is classified.
/// Logged at debug level (`HTTPLog`), without headers, `secret` redacted from what is logged.
func exchange(
  _ http: HTTPClient, method: HTTPMethod, url: String, headers: HTTPHeaders, body: [UInt8]?,
  timeout: Duration, maxResponseBytes: Int, secret: APISecret? = nil
) async -> ExchangeResult {
  let started = ContinuousClock.now
  let result: ExchangeResult
  do {
    let request = try HTTPClient.Request(
      url: url, method: method, headers: headers, body: body.map { .bytes($0) })
    result = await perform(request, on: http, timeout: timeout, maxResponseBytes: maxResponseBytes)
  } catch {
    result = .failed(TransportFailure(error))
  }
  HTTPLog.exchanged(
    method: method.rawValue, url: url, requestBody: body, result: result,
    elapsed: ContinuousClock.now - started, secret: secret)
  return result
}

/// `exchange` of `template` (its URL parsed and headers checked once, for requests that differ only in
/// their body) with `body`.
func exchange(
  _ http: HTTPClient, template: HTTPClient.Request, body: [UInt8], timeout: Duration, maxResponseBytes: Int,
  secret: APISecret? = nil
) async -> ExchangeResult {
  let started = ContinuousClock.now
  var request = template
  request.body = .bytes(body)
  let result = await perform(request, on: http, timeout: timeout, maxResponseBytes: maxResponseBytes)
  HTTPLog.exchanged(
    method: template.method.rawValue, url: template.url.absoluteString, requestBody: body, result: result,
    elapsed: ContinuousClock.now - started, secret: secret)
  return result
}

/// `exchange` of `template` without awaiting: `completion` gets the result (on the client's event loop, or
/// at once when the request cannot start). Returns the request's task, to cancel it. `deadlines` fails
/// it when `timeout` has passed (in place of AsyncHTTPClient's deadline, a timer per request).
func startExchange(
  _ http: HTTPClient, template: HTTPClient.Request, body: [UInt8], timeout: Duration, maxResponseBytes: Int,
  deadlines: RequestDeadlines, secret: APISecret? = nil,
  completion: @escaping @Sendable (ExchangeResult) -> Void
) -> HTTPClient.Task<RawResponse> {
  let started = ContinuousClock.now
  var request = template
  request.body = .bytes(body)
  let ticket = deadlines.watch(until: .now() + timeout.timeAmount)
  let collector = ResponseCollector(maxBytes: maxResponseBytes)
  let task = http.execute(request: request, delegate: collector, eventLoop: .indifferent)
  deadlines.attach(task, to: ticket)
  task.futureResult.whenComplete { outcome in
    deadlines.forget(ticket)
    let result: ExchangeResult
    switch outcome {
    case .success(let response): result = .response(response)
    case .failure(let error): result = collector.failure(error)
    }
    HTTPLog.exchanged(
      method: template.method.rawValue, url: template.url.absoluteString, requestBody: body, result: result,
      elapsed: ContinuousClock.now - started, secret: secret)
    completion(result)
  }
  return task
}

/// Through AsyncHTTPClient's delegate API: the async `execute(_:timeout:)` starts an unstructured task
/// and an actor per request (its cancellation handler) and streams the body through an async sequence,
/// about a sixth more CPU per request on loopback (`http-floor`). The delegate keeps the response head, so
/// an answer whose body is lost is still known to have arrived.
private func perform(
  _ request: HTTPClient.Request, on http: HTTPClient, timeout: Duration, maxResponseBytes: Int
) async -> ExchangeResult {
  let collector = ResponseCollector(maxBytes: maxResponseBytes)
  let task = http.execute(
    request: request, delegate: collector, eventLoop: .indifferent, deadline: .now() + timeout.timeAmount)
  do {
    let response = try await withTaskCancellationHandler {
      try await task.futureResult.get()
    } onCancel: {
      task.cancel()
    }
    return .response(response)
  } catch {
    return collector.failure(error)
  }
}

/// Collects one response's head and body (at most `maxBytes`, else `NIOTooManyBytesError`).
/// AsyncHTTPClient calls a delegate on its task's event loop, one call at a time.
private final class ResponseCollector: HTTPClientResponseDelegate, @unchecked Sendable {
  typealias Response = RawResponse

  let maxBytes: Int
  private(set) var head: HTTPResponseHead?
  private var body: [UInt8] = []

  init(maxBytes: Int) {
    self.maxBytes = maxBytes
  }

  func didReceiveHead(task: HTTPClient.Task<RawResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
    self.head = head
    return task.eventLoop.makeSucceededVoidFuture()
  }

  func didReceiveBodyPart(task: HTTPClient.Task<RawResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
    guard buffer.readableBytes <= maxBytes - body.count else {
      return task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: maxBytes))
    }
    body.append(contentsOf: buffer.readableBytesView)
    return task.eventLoop.makeSucceededVoidFuture()
  }

  /// The result of a request whose future failed with `error`: the body was lost when the head had come.
  /// Called after the future failed, so after the delegate's last call: reading the head is ordered after it.
  func failure(_ error: any Error) -> ExchangeResult {
    if let head {
      return .bodyLost(status: Int(head.status.code), headers: head.headers, failure: TransportFailure(error))
    }
    return .failed(TransportFailure(error))
  }

  func didFinishRequest(task: HTTPClient.Task<RawResponse>) throws -> RawResponse {
    guard let head else { throw HTTPClientError.remoteConnectionClosed }
    return RawResponse(status: Int(head.status.code), headers: head.headers, body: body)
  }
}
