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
/// re-sent elsewhere), explicit connect and read timeouts, bounded pool.
func makeHTTPClientConfiguration(
  connectTimeout: Duration, readTimeout: Duration, retryConnectionEstablishment: Bool, maxConnections: Int
) -> HTTPClient.Configuration {
  var configuration = HTTPClient.Configuration()
  configuration.redirectConfiguration = .disallow
  configuration.timeout = .init(connect: connectTimeout.timeAmount, read: readTimeout.timeAmount)
  configuration.connectionPool.retryConnectionEstablishment = retryConnectionEstablishment
  configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = maxConnections
  return configuration
}

/// Sends one request and reads the whole answer, never throwing: every failure is classified.
/// Logged at debug level (`HTTPLog`), without headers, `secret` redacted from what is logged.
func exchange(
  _ http: HTTPClient, method: HTTPMethod, url: String, headers: HTTPHeaders, body: [UInt8]?,
  timeout: Duration, maxResponseBytes: Int, secret: APISecret? = nil
) async -> ExchangeResult {
  let started = ContinuousClock.now
  let result = await exchangeUnlogged(
    http, method: method, url: url, headers: headers, body: body, timeout: timeout,
    maxResponseBytes: maxResponseBytes)
  HTTPLog.exchanged(
    method: method.rawValue, url: url, requestBody: body, result: result,
    elapsed: ContinuousClock.now - started,
    secret: secret)
  return result
}

private func exchangeUnlogged(
  _ http: HTTPClient, method: HTTPMethod, url: String, headers: HTTPHeaders, body: [UInt8]?,
  timeout: Duration, maxResponseBytes: Int
) async -> ExchangeResult {
  var request = HTTPClientRequest(url: url)
  request.method = method
  request.headers = headers
  if let body {
    request.body = .bytes(ByteBuffer(bytes: body))
  }
  let response: HTTPClientResponse
  do {
    response = try await http.execute(request, timeout: timeout.timeAmount)
  } catch {
    return .failed(TransportFailure(error))
  }
  let status = Int(response.status.code)
  do {
    let buffer = try await response.body.collect(upTo: maxResponseBytes)
    return .response(
      RawResponse(status: status, headers: response.headers, body: Array(buffer.readableBytesView)))
  } catch {
    return .bodyLost(status: status, headers: response.headers, failure: TransportFailure(error))
  }
}
