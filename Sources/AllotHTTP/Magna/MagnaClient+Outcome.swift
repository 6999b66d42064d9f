import AllotCore
import Foundation
import NIOHTTP1

/// Header by which a server states that it did nothing with a request it answered 503 to.
public let magnaNotProcessedHeader = "x-magna-not-processed"

extension MagnaClient {
  /// Maps a complete answer to `POST /allocations/create` onto a ``CreateOutcome``.
  ///
  /// - 2xx with `isProcessed: true` and `result.id` → `.created`; any other 2xx → `.uncertain`.
  /// - 400/404/413/422 (and any other 4xx except 401/403/408/429) → `.rejected` with Magna's error.
  /// - 401/403 → `.unauthorized`; 429 → `.rateLimited` (Retry-After seconds or HTTP-date).
  /// - 503 with header `x-magna-not-processed: true` or `isProcessed: false` in a JSON body → `.unavailable`.
  /// - 408, every other 5xx, 1xx/3xx → `.uncertain` with a short excerpt of the body.
  static func createOutcome(status: Int, headers: HTTPHeaders, body: [UInt8], now: Date = Date())
    -> CreateOutcome
  {
    switch status {
    case 200..<300:
      if let created = CreatedAnswerScanner.created(body) {
        return .created(id: created.id, key: created.key ?? "")
      }
      if let envelope = try? JSONDecoder().decode(MagnaEnvelope<CreatedAllocation>.self, from: Data(body)),
        envelope.isProcessed != false, let result = envelope.result, !result.id.isEmpty
      {
        return .created(id: result.id, key: result.key ?? "")
      }
      return .uncertain(
        status: status, reason: "HTTP \(status) without a readable allocation: \(excerpt(body))")
    case 401, 403:
      let (type, message) = errorDetails(status: status, body: body)
      return .unauthorized(status: status, type: type, message: message)
    case 429:
      return .rateLimited(retryAfterSeconds: parseRetryAfter(headers.first(name: "retry-after"), now: now))
    case 408:
      return .uncertain(status: status, reason: "HTTP 408 Request Timeout: \(excerpt(body))")
    case 400..<500:
      let (type, message) = errorDetails(status: status, body: body)
      return .rejected(status: status, type: type, message: message)
    case 503:
      let headerSays = headers.first(name: magnaNotProcessedHeader)?.lowercased() == "true"
      let bodySays = MagnaEnvelope<Ignored>.decode(body)?.isProcessed == false
      if headerSays || bodySays {
        return .unavailable(retryAfterSeconds: parseRetryAfter(headers.first(name: "retry-after"), now: now))
      }
      return .uncertain(status: status, reason: "HTTP 503 \(reasonPhrase(503)): \(excerpt(body))")
    default:
      return .uncertain(status: status, reason: "HTTP \(status) \(reasonPhrase(status)): \(excerpt(body))")
    }
  }

  /// Maps an exchange that produced no complete answer.
  static func createOutcome(_ result: ExchangeResult, now: Date = Date()) -> CreateOutcome {
    switch result {
    case .response(let response):
      return createOutcome(status: response.status, headers: response.headers, body: response.body, now: now)
    case .bodyLost(let status, let headers, let failure):
      if (400..<500).contains(status) && status != 408 {
        // The status alone decides these (rejected, unauthorized, rate limited).
        return createOutcome(status: status, headers: headers, body: [], now: now)
      }
      return .uncertain(status: status, reason: "HTTP \(status), then \(failure.reason)")
    case .failed(let failure):
      return failure.neverSent
        ? .notSent(reason: failure.reason) : .uncertain(status: nil, reason: failure.reason)
    }
  }

  /// Magna's `{error{type, message}}`, else an excerpt of the body, else the reason phrase.
  static func errorDetails(status: Int, body: [UInt8]) -> (type: String?, message: String) {
    if let envelope = MagnaEnvelope<Ignored>.decode(body), let message = envelope.errorMessage,
      !message.isEmpty
    {
      return (envelope.errorType, message)
    }
    if let envelope = MagnaEnvelope<Ignored>.decode(body), let type = envelope.errorType {
      return (type, reasonPhrase(status))
    }
    let text = excerpt(body)
    return (nil, text == "(empty body)" ? reasonPhrase(status) : "\(reasonPhrase(status)): \(text)")
  }

  static func excerpt(_ body: [UInt8]) -> String {
    let text = bodyExcerpt(body)
    return text.isEmpty ? "(empty body)" : text
  }
}
