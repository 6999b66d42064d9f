/// A database problem, in one sentence. Never carries secrets (the API token is never stored).
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String
  /// The database file, when known.
  public var path: String?

  public init(_ message: String, path: String? = nil) {
    self.message = message
    self.path = path
  }

  public var description: String {
    if let path { return "\(message) (database \(path))" }
    return message
  }
}
