import Foundation

/// Where and how `MagmaClient` talks to Magma. Credentials never appear in descriptions or errors.
public struct MagmaClientConfiguration: Sendable, CustomStringConvertible {
  public static let defaultBaseURL = "https://app.magma.builders/api"
  public static let baseURLVariable = "MAGMA_BASE_URL"
  public static let apiKeyVariable = "MAGMA_API_KEY"
  public static let bearerTokenVariable = "MAGMA_TOKEN"

  public enum Credential: Sendable, Hashable {
    /// `X-Api-Key: <key>`.
    case apiKey(APISecret)
    /// `Authorization: Bearer <token>`.
    case bearer(APISecret)
  }

  /// Base URL without trailing slash; endpoints are appended as `/v1/...`.
  public var baseURL: String
  public var credential: Credential
  public var requestTimeout: Duration
  public var connectTimeout: Duration
  public var maxResponseBytes: Int

  public init(
    baseURL: String = MagmaClientConfiguration.defaultBaseURL, credential: Credential,
    requestTimeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(5),
    maxResponseBytes: Int = 64 << 20
  ) throws(HTTPConfigurationError) {
    self.baseURL = try normalizedBaseURL(baseURL, setting: Self.baseURLVariable)
    switch credential {
    case .apiKey(let secret), .bearer(let secret):
      guard !secret.isBlank else {
        throw .missingCredential(
          Self.apiKeyVariable, purpose: "set MAGMA_API_KEY (or MAGMA_TOKEN for a bearer token).")
      }
    }
    self.credential = credential
    self.requestTimeout = requestTimeout
    self.connectTimeout = connectTimeout
    self.maxResponseBytes = max(1024, maxResponseBytes)
  }

  /// Reads `MAGMA_BASE_URL` (optional) and `MAGMA_API_KEY`, else `MAGMA_TOKEN` (bearer).
  public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(HTTPConfigurationError) -> MagmaClientConfiguration
  {
    let base = environment[baseURLVariable].flatMap { $0.isEmpty ? nil : $0 } ?? defaultBaseURL
    if let key = environment[apiKeyVariable], !APISecret(key).isBlank {
      return try MagmaClientConfiguration(baseURL: base, credential: .apiKey(APISecret(key)))
    }
    if let token = environment[bearerTokenVariable], !APISecret(token).isBlank {
      return try MagmaClientConfiguration(baseURL: base, credential: .bearer(APISecret(token)))
    }
    throw .missingCredential(
      apiKeyVariable, purpose: "set MAGMA_API_KEY (or MAGMA_TOKEN for a bearer token).")
  }

  var secret: APISecret {
    switch credential {
    case .apiKey(let secret), .bearer(let secret): secret
    }
  }

  public var description: String {
    let kind =
      switch credential {
      case .apiKey: "apiKey"
      case .bearer: "bearer"
      }
    return "MagmaClientConfiguration(baseURL: \(baseURL), credential: \(kind) <redacted>)"
  }
}
