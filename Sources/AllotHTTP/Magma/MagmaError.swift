/// A failed call to Magma. Never contains a credential.
public struct MagmaError: Error, Sendable, Hashable, CustomStringConvertible {
  private enum Code: Hashable, Sendable {
    case transport
    case unauthorized
    case httpStatus
    case unreadable
  }

  private let code: Code
  /// The HTTP status when an answer came.
  public let status: Int?
  /// The endpoint, e.g. `/v1/transactions?page=3`.
  public let endpoint: String
  /// One human sentence.
  public let message: String

  private init(code: Code, status: Int?, endpoint: String, message: String) {
    self.code = code
    self.status = status
    self.endpoint = endpoint
    self.message = message
  }

  static func transport(_ endpoint: String, _ reason: String) -> Self {
    Self(code: .transport, status: nil, endpoint: endpoint, message: reason)
  }

  static func http(_ endpoint: String, status: Int, _ detail: String) -> Self {
    Self(
      code: status == 401 || status == 403 ? .unauthorized : .httpStatus, status: status, endpoint: endpoint,
      message: detail)
  }

  static func unreadable(_ endpoint: String, status: Int, _ detail: String) -> Self {
    Self(code: .unreadable, status: status, endpoint: endpoint, message: detail)
  }

  static func invalidTransaction(id: String, _ detail: String) -> Self {
    Self(
      code: .unreadable, status: nil, endpoint: "/v1/transactions", message: "transaction \(id): \(detail)")
  }

  /// 401/403: the key or token was refused (exit 3 territory).
  public var isAuthorization: Bool { code == .unauthorized }
  /// No answer came (connection, timeout).
  public var isTransport: Bool { code == .transport }
  /// An answer came that could not be decoded.
  public var isUnreadable: Bool { code == .unreadable }

  public var description: String {
    var text = "Magma \(endpoint)"
    if let status { text += " answered \(status)" }
    return text + ": " + message
  }
}
