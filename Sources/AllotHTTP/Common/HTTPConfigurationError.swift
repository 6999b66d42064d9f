import Foundation

/// A client could not be configured: a credential is missing or an endpoint is not a usable URL.
///
/// Never contains a credential.
public struct HTTPConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
  private enum Code: Hashable, Sendable {
    case missingCredential
    case invalidBaseURL
  }

  private let code: Code
  /// The environment variable or option concerned, e.g. `MAGNA_API_TOKEN`.
  public let setting: String
  /// One human sentence.
  public let message: String

  private init(code: Code, setting: String, message: String) {
    self.code = code
    self.setting = setting
    self.message = message
  }

  /// A required credential is missing or blank.
  public static func missingCredential(_ setting: String, purpose: String) -> Self {
    Self(
      code: .missingCredential, setting: setting,
      message: "\(setting) is not set: \(purpose)")
  }

  /// The base URL is not an http(s) URL.
  public static func invalidBaseURL(_ setting: String, value: String) -> Self {
    Self(
      code: .invalidBaseURL, setting: setting,
      message: "\(setting) must be an http:// or https:// URL, got \"\(value)\"")
  }

  public var isMissingCredential: Bool { code == .missingCredential }
  public var isInvalidBaseURL: Bool { code == .invalidBaseURL }

  public var description: String { message }
}

/// Normalises a base URL (trims spaces and trailing slashes) and checks its scheme.
func normalizedBaseURL(_ raw: String, setting: String) throws(HTTPConfigurationError) -> String {
  var url = raw.trimmingCharacters(in: .whitespaces)
  while url.hasSuffix("/") { url.removeLast() }
  let lower = url.lowercased()
  guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), url.count > "https://".count - 1 else {
    throw .invalidBaseURL(setting, value: raw)
  }
  return url
}
