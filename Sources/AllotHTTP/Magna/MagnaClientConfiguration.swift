import Foundation

/// Where and how `MagnaClient` talks to Magna's external API. The token is an ``APISecret``: it never
/// appears in `description`, dumps or errors.
public struct MagnaClientConfiguration: Sendable, CustomStringConvertible {
  public static let defaultBaseURL = "https://app.magna.so/api/external/v1"
  /// Environment variable names.
  public static let baseURLVariable = "MAGNA_BASE_URL"
  public static let tokenVariable = "MAGNA_API_TOKEN"

  /// Base URL without trailing slash, e.g. `https://app.magna.so/api/external/v1`.
  public var baseURL: String
  /// Sent as `x-magna-api-token`.
  public var token: APISecret
  /// Deadline for one request, from the moment it is started until the response head has arrived; also the
  /// read timeout while the body streams. Default 30 s.
  public var requestTimeout: Duration
  /// Connect timeout (a connect that times out means the request was never sent). Default 5 s.
  public var connectTimeout: Duration
  /// Let AsyncHTTPClient retry connection establishment with its own backoff until `connectTimeout`.
  /// Off by default: a refused connection comes back at once as `.notSent`, the caller's policy retries.
  public var retryConnectionEstablishment: Bool
  /// Upper bound of pooled connections to the host (match the submit concurrency). Default 16.
  public var maxConnections: Int
  /// Largest response body read (bigger → error). Default 8 MiB.
  public var maxResponseBytes: Int

  public init(
    baseURL: String = MagnaClientConfiguration.defaultBaseURL,
    token: APISecret,
    requestTimeout: Duration = .seconds(30),
    connectTimeout: Duration = .seconds(5),
    retryConnectionEstablishment: Bool = false,
    maxConnections: Int = 16,
    maxResponseBytes: Int = 8 << 20
  ) throws(HTTPConfigurationError) {
    self.baseURL = try normalizedBaseURL(baseURL, setting: Self.baseURLVariable)
    guard !token.isBlank else {
      throw .missingCredential(
        Self.tokenVariable, purpose: "set it to your Magna API token (x-magna-api-token).")
    }
    self.token = token
    self.requestTimeout = requestTimeout
    self.connectTimeout = connectTimeout
    self.retryConnectionEstablishment = retryConnectionEstablishment
    self.maxConnections = max(1, maxConnections)
    self.maxResponseBytes = max(1024, maxResponseBytes)
  }

  /// Reads `MAGNA_BASE_URL` (optional) and `MAGNA_API_TOKEN` (required).
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment,
    requestTimeout: Duration = .seconds(30)
  ) throws(HTTPConfigurationError) -> MagnaClientConfiguration {
    let base = environment[baseURLVariable].flatMap { $0.isEmpty ? nil : $0 } ?? defaultBaseURL
    let token = APISecret(environment[tokenVariable] ?? "")
    return try MagnaClientConfiguration(baseURL: base, token: token, requestTimeout: requestTimeout)
  }

  public var description: String {
    "MagnaClientConfiguration(baseURL: \(baseURL), token: <redacted>, requestTimeout: \(requestTimeout))"
  }
}
