import AllotCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Response helpers shared by the Magna and Magma routes.
enum Responses {
  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  static func json(_ status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:])
    -> Response
  {
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    var fields = headers
    fields[.contentType] = "application/json; charset=utf-8"
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  static func text(
    _ status: HTTPResponse.Status, _ text: String, contentType: String, headers: HTTPFields = [:]
  )
    -> Response
  {
    var fields = headers
    fields[.contentType] = contentType
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  struct MagnaOK<Result: Encodable>: Encodable {
    var isProcessed = true
    var result: Result
  }

  struct MagnaErrorBody: Encodable {
    struct Detail: Encodable {
      var type: String
      var message: String
    }
    var isProcessed = false
    var error: Detail
  }

  static func magna(_ result: some Encodable) -> Response {
    json(.ok, MagnaOK(result: result))
  }

  /// `{"isProcessed":true,"result":<allocation>}`, written without `JSONEncoder` (see
  /// ``SandboxAllocation/write(to:)``).
  static func magna(_ allocation: SandboxAllocation) -> Response {
    var w = JSONWriter(capacity: 1024)
    w.beginObject()
    w.key("isProcessed")
    w.bool(true)
    w.key("result")
    allocation.write(to: &w)
    w.endObject()
    return Response(
      status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(bytes: w.bytes)))
  }

  static func magnaError(_ failure: MagnaFailure, headers: HTTPFields = [:]) -> Response {
    json(
      .init(code: failure.status), MagnaErrorBody(error: .init(type: failure.type, message: failure.message)),
      headers: headers)
  }

  static func rateLimited(retryAfter: String) -> Response {
    magnaError(
      MagnaFailure(status: 429, type: "TooManyRequestsError", message: "Rate limit exceeded, retry later"),
      headers: [.retryAfter: retryAfter])
  }

  static let html502Page = """
    <!DOCTYPE html>
    <html><head><title>502 Bad Gateway</title></head>
    <body><center><h1>502 Bad Gateway</h1></center>
    <hr><center>sandbox-gateway</center></body></html>
    """

  static func html502() -> Response {
    text(.badGateway, html502Page, contentType: "text/html; charset=utf-8")
  }

  /// An IMF-fixdate `seconds` from now.
  static func httpDate(secondsFromNow seconds: Double) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter.string(from: Date().addingTimeInterval(seconds))
  }

  /// ISO 8601 with milliseconds, UTC.
  static func iso8601(milliseconds: Int64) -> String {
    let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    // One formatter, made once (making one costs far more than formatting), used under a lock.
    iso8601Lock.lock()
    defer { iso8601Lock.unlock() }
    return iso8601Formatter.string(from: date)
  }

  private static let iso8601Lock = NSLock()
  // DateFormatter is Sendable here but not documented as thread-safe: used under `iso8601Lock`.
  private static let iso8601Formatter: DateFormatter = {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
    return formatter
  }()
}

extension HTTPFields {
  /// Sets a header by its text name (ignored if the name is not a valid token, which never happens for
  /// the literal names used here).
  mutating func set(_ name: String, _ value: String) {
    if let field = HTTPField.Name(name) { self[field] = value }
  }

  /// A header's value by its text name.
  func value(_ name: String) -> String? {
    HTTPField.Name(name).flatMap { self[$0] }
  }

  static func with(_ pairs: [(String, String)]) -> HTTPFields {
    var fields = HTTPFields()
    for (name, value) in pairs { fields.set(name, value) }
    return fields
  }
}
