import Hummingbird

/// Applies to every request: latency, the per-second rate limit (429 + `Retry-After`), and the forced
/// faults that do not depend on the route (`rate-limit`, `rate-limit-date`, `html-502`).
struct FaultMiddleware: RouterMiddleware {
  typealias Context = SandboxContext
  let faults: FaultInjector

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws -> Response
  {
    let configuration = faults.configuration
    if configuration.latencyMs > 0 {
      try await Task.sleep(for: .milliseconds(configuration.latencyMs))
    }
    let forced = faults.forced(request.headers.value(SandboxFault.header))
    switch forced {
    case .rateLimit:
      return Responses.rateLimited(retryAfter: "1")
    case .rateLimitDate:
      return Responses.rateLimited(retryAfter: Responses.httpDate(secondsFromNow: 2))
    case .html502:
      return Responses.html502()
    default:
      break
    }
    if let seconds = faults.rateLimited() {
      return Responses.rateLimited(retryAfter: String(seconds))
    }
    return try await next(request, context)
  }
}
