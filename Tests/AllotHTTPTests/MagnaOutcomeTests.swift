import AllotCore
import Foundation
import NIOHTTP1
import Testing

@testable import AllotHTTP

@Suite("Magna outcome mapping")
struct MagnaOutcomeTests {
  func outcome(_ status: Int, _ body: String, headers: [(String, String)] = []) -> CreateOutcome {
    MagnaClient.createOutcome(status: status, headers: HTTPHeaders(headers), body: Array(body.utf8))
  }

  @Test func created() {
    #expect(
      outcome(200, #"{"isProcessed":true,"result":{"id":"u1","key":"A-1"}}"#)
        == .created(id: "u1", key: "A-1"))
    #expect(
      outcome(201, #"{"isProcessed":true,"result":{"id":"u1","key":"A-1","amount":5}}"#)
        == .created(id: "u1", key: "A-1"))
  }

  @Test func unreadableSuccessIsUncertain() {
    #expect({ if case .uncertain(200?, _) = outcome(200, "<html>ok</html>") { true } else { false } }())
    #expect(
      { if case .uncertain(200?, _) = outcome(200, #"{"isProcessed":false}"#) { true } else { false } }())
  }

  @Test func rejectionsCarryTypeAndMessage() {
    #expect(
      outcome(422, #"{"isProcessed":false,"error":{"type":"ValidationError","message":"bad email"}}"#)
        == .rejected(status: 422, type: "ValidationError", message: "bad email"))
    #expect(outcome(413, "") == .rejected(status: 413, type: nil, message: "Payload Too Large"))
    #expect(outcome(404, #"{"message":"nope"}"#) == .rejected(status: 404, type: nil, message: "nope"))
    #expect(
      outcome(403, #"{"isProcessed":false,"error":{"type":"ForbiddenError","message":"expired"}}"#)
        == .unauthorized(status: 403, type: "ForbiddenError", message: "expired"))
  }

  @Test func retryAfterSecondsAndDate() {
    #expect(outcome(429, "", headers: [("Retry-After", "7")]) == .rateLimited(retryAfterSeconds: 7))
    #expect(outcome(429, "") == .rateLimited(retryAfterSeconds: nil))
    let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
    #expect(parseRetryAfter("Sun, 06 Nov 1994 08:50:37 GMT", now: now) == 60)
    #expect(parseRetryAfter("Sunday, 06-Nov-94 08:49:47 GMT", now: now) == 10)
    #expect(parseRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)
    #expect(parseRetryAfter("soon", now: now) == nil)
  }

  @Test func serviceUnavailableOnlyWhenStated() {
    #expect(
      outcome(503, "", headers: [("x-magna-not-processed", "true")]) == .unavailable(retryAfterSeconds: nil))
    #expect(
      outcome(
        503, #"{"isProcessed":false,"error":{"type":"X","message":"busy"}}"#, headers: [("Retry-After", "2")])
        == .unavailable(retryAfterSeconds: 2))
    #expect({ if case .uncertain(503?, _) = outcome(503, "<html>busy</html>") { true } else { false } }())
    #expect(
      { if case .uncertain(500?, _) = outcome(500, #"{"isProcessed":false}"#) { true } else { false } }())
  }

  @Test func htmlPageBecomesAShortExcerpt() {
    let page =
      "<html>\n<head><title>502 Bad Gateway</title></head>\n" + String(repeating: "<p>x</p>\n", count: 500)
    guard case .uncertain(502?, let reason) = outcome(502, page) else {
      Issue.record("expected uncertain")
      return
    }
    #expect(reason.hasPrefix("HTTP 502 Bad Gateway: <html> <head><title>502 Bad Gateway"))
    #expect(reason.count < 220)
    let binary = MagnaClient.createOutcome(
      status: 502, headers: HTTPHeaders(), body: [0xFF, 0xFE, 0x00, 0x41])
    #expect({ if case .uncertain(502?, _) = binary { true } else { false } }())
  }

  @Test func tokenNeverShows() throws {
    let configuration = try MagnaClientConfiguration(token: APISecret("s3cr3t-token"))
    #expect(!"\(configuration)".contains("s3cr3t"))
    #expect(!String(reflecting: configuration).contains("s3cr3t"))
    var dumped = ""
    dump(configuration, to: &dumped)
    #expect(!dumped.contains("s3cr3t"))
    #expect(throws: HTTPConfigurationError.self) { try MagnaClientConfiguration.fromEnvironment([:]) }
    #expect(throws: HTTPConfigurationError.self) {
      try MagnaClientConfiguration.fromEnvironment(["MAGNA_API_TOKEN": "t", "MAGNA_BASE_URL": "ftp://x"])
    }
    let fromEnv = try MagnaClientConfiguration.fromEnvironment([
      "MAGNA_API_TOKEN": "t", "MAGNA_BASE_URL": "http://h/api/",
    ])
    #expect(fromEnv.baseURL == "http://h/api")
  }
}
