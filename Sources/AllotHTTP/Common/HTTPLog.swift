import Logging

/// The HTTP clients' log (label `allot.http`), silent unless the command line raised the level
/// (`ALLOT_LOG_LEVEL`). `debug` logs one line per exchange (method, URL, status, time, sizes); `trace`
/// adds the request body and an excerpt of the answer. Headers (where the API tokens travel) are never
/// logged, and the answer excerpt goes through the client's secret redaction.
enum HTTPLog {
  /// Created on first use, after `LoggingSystem.bootstrap`.
  static let logger = Logger(label: "allot.http")

  static func exchanged(
    method: String, url: @autoclosure () -> String, requestBody: [UInt8]?, result: ExchangeResult,
    elapsed: Duration, secret: APISecret?
  ) {
    guard logger.logLevel <= .debug else { return }
    let url = url()
    let took =
      "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000) ms"
    let redact: (String) -> String = { secret?.redact($0) ?? $0 }
    switch result {
    case .response(let response):
      logger.debug(
        "\(method) \(url) -> HTTP \(response.status) in \(took) (sent \(requestBody?.count ?? 0) bytes, received \(response.body.count))"
      )
      if logger.logLevel <= .trace {
        if let requestBody {
          logger.trace("request body: \(redact(String(decoding: requestBody, as: UTF8.self)))")
        }
        logger.trace("answer: \(redact(bodyExcerpt(response.body, limit: 2000)))")
      }
    case .bodyLost(let status, _, let failure):
      logger.debug("\(method) \(url) -> HTTP \(status), then \(redact(failure.reason)) after \(took)")
    case .failed(let failure):
      logger.debug("\(method) \(url) -> no answer: \(redact(failure.reason)) after \(took)")
    }
  }
}
