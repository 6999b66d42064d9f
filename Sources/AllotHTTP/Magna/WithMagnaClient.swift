import AsyncHTTPClient

/// Runs `body` with a ``MagnaClient`` on its own `HTTPClient`, and shuts that client down afterwards,
/// whether `body` returns or throws.
public func withMagnaClient<Result>(
  _ configuration: MagnaClientConfiguration,
  isolation: isolated (any Actor)? = #isolation,
  _ body: (MagnaClient) async throws -> Result
) async throws -> Result {
  let http = MagnaClient.makeHTTPClient(configuration)
  let client = MagnaClient(httpClient: http, configuration: configuration)
  return try await withShutdown(of: http) { try await body(client) }
}
