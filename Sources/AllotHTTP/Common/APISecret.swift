import Foundation

/// A credential (API token or key) that never shows itself in descriptions, dumps, logs or errors.
///
/// Only ``revealForHeader()`` hands the raw text out, and only the clients call it, to build the one header
/// that carries it.
public struct APISecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  private let value: String

  public init(_ value: String) {
    self.value = value
  }

  /// `true` when the secret is empty or only whitespace.
  public var isBlank: Bool { value.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" } }

  /// The raw text, for the request header only.
  public func revealForHeader() -> String { value }

  /// Whether `text` contains the secret (used to make sure it never leaks into messages).
  public func occurs(in text: String) -> Bool {
    !value.isEmpty && text.contains(value)
  }

  /// Removes every occurrence of the secret from `text`.
  public func redact(_ text: String) -> String {
    guard occurs(in: text) else { return text }
    return text.replacingOccurrences(of: value, with: "<redacted>")
  }

  public var description: String { "<redacted>" }
  public var debugDescription: String { "APISecret(<redacted>)" }
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
