import Foundation

/// A parsed JSON value, so request validation can tell types apart like a real server.
enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  /// A number, kept as its decimal text: an integer that fits 64 bits as written (`-0` as `0`), any other
  /// number as `Decimal` prints it (`1000.50` → `1000.5`, `1e3` → `1000`).
  case number(String)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// Parses one JSON text (RFC 8259: one value, whitespace around it, UTF-8); `nil` when it is not valid
  /// JSON or nests deeper than ``JSONValueParser/maxDepth``. A key given twice keeps its last value.
  static func parse(_ bytes: some Collection<UInt8>) -> JSONValue? {
    let parsed = bytes.withContiguousStorageIfAvailable { JSONValueParser.parse($0) }
    return parsed ?? Array(bytes).withUnsafeBufferPointer { JSONValueParser.parse($0) }
  }

  var object: [String: JSONValue]? {
    if case .object(let value) = self { return value }
    return nil
  }

  var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  var isNull: Bool { self == .null }
}
