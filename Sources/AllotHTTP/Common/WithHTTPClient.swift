import AsyncHTTPClient

/// Runs `body` with `http`, then shuts `http` down, whether `body` returns or throws.
func withShutdown<Result>(
  of http: HTTPClient,
  isolation: isolated (any Actor)? = #isolation,
  _ body: () async throws -> Result
) async throws -> Result {
  let result: Result
  do {
    result = try await body()
  } catch {
    try? await http.shutdown()
    throw error
  }
  try await http.shutdown()
  return result
}
