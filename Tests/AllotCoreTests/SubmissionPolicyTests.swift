import AllotCore
import Foundation
import Testing

@Suite struct SubmissionPolicyTests {
  @Test func transitionsFollowTheStateMachine() {
    #expect(RowTransition.isLegal(from: .pending, to: .inFlight))
    #expect(!RowTransition.isLegal(from: .pending, to: .succeeded))
    for to in [RowState.succeeded, .failed, .retryWait, .unknown, .pending] {
      #expect(RowTransition.isLegal(from: .inFlight, to: to))
    }
    #expect(RowTransition.isLegal(from: .unknown, to: .succeeded))
    #expect(RowTransition.isLegal(from: .unknown, to: .pending))
    #expect(RowTransition.isLegal(from: .unknown, to: .failed))
    #expect(RowTransition.isLegal(from: .failed, to: .pending))
    #expect(RowTransition.isLegal(from: .retryWait, to: .inFlight))
    #expect(!RowTransition.isLegal(from: .unknown, to: .inFlight))
    #expect(!RowTransition.isLegal(from: .failed, to: .inFlight))
    for terminal in [RowState.succeeded, .skipped, .invalid] {
      #expect(RowTransition.allowed(from: terminal).isEmpty)
    }
  }

  @Test func backoffWindowsDoubleUpToTheCap() {
    let p = RetryPolicy()
    #expect(p.window(retry: 1) == 0.5)
    #expect(p.window(retry: 2) == 1)
    #expect(p.window(retry: 3) == 2)
    #expect(p.window(retry: 6) == 16)
    #expect(p.window(retry: 7) == 20)
    #expect(p.window(retry: 500) == 20)
  }

  @Test func fullJitterStaysInsideTheWindow() {
    let p = RetryPolicy()
    for retry in 1...10 {
      for u in stride(from: 0.0, to: 1.0, by: 0.05) {
        let d = p.delay(retry: retry, retryAfter: nil, unit: u)
        #expect(d >= 0 && d < p.window(retry: retry) + 1e-9)
      }
    }
    #expect(p.delay(retry: 3, retryAfter: nil, unit: 0) == 0)
    #expect(p.delay(retry: 3, retryAfter: nil, unit: 2) == 2)  // clamped unit
  }

  @Test func retryAfterIsHonouredAndBounded() {
    let p = RetryPolicy(maxRetryAfter: 60)
    #expect(p.delay(retry: 1, retryAfter: 7, unit: 0.1) == 7)
    #expect(p.delay(retry: 7, retryAfter: 1, unit: 0.9) == 18)  // jitter larger than Retry-After
    #expect(p.delay(retry: 1, retryAfter: 3600, unit: 0) == 60)
    #expect(p.delay(retry: 1, retryAfter: -5, unit: 0) == 0)
  }

  @Test func maxAttemptsCountsTheFirstRequest() {
    let p = RetryPolicy(maxAttempts: 3)
    #expect(p.mayRetry(afterAttempts: 2))
    #expect(!p.mayRetry(afterAttempts: 3))
    #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
  }

  @Test func budgetAllowsTwentyPercentPlusTheFloor() {
    var b = RetryBudget(ratio: 0.2, floor: 10, capacity: 100)
    for _ in 0..<100 { b.recordRequest() }
    var allowed = 0
    for _ in 0..<100 where b.tryRetry() { allowed += 1 }
    #expect(allowed == 30)
    #expect(b.refusals == 70)
    var capped = RetryBudget(ratio: 1, floor: 0, capacity: 5)
    for _ in 0..<50 { capped.recordRequest() }
    #expect(capped.balance == 5)
  }

  @Test func referencesHaveAStableShape() {
    #expect(RowReference.make(batch: 3, row: 17, random: 0xABC) == "allot:3:17:000000000abc")
    let r = RowReference.make(batch: 1, row: 2)
    #expect(r.hasPrefix("allot:1:2:") && r.count == "allot:1:2:".count + 12)
  }

  @Test func referenceIsAppendedToTheBody() throws {
    let plain = Array(#"{"amount":"1","tokenId":"t","stakeholder":{"name":"A,}"}}"#.utf8)
    let with = try #require(RowReference.insert(reference: "allot:1:2:x", into: plain))
    #expect(
      String(decoding: with, as: UTF8.self)
        == #"{"amount":"1","tokenId":"t","stakeholder":{"name":"A,}"},"customAttributes":[{"key":"allot_ref","value":"allot:1:2:x"}]}"#
    )
    let attrs = Array(#"{"a":"1","customAttributes":[{"key":"k","value":"v]"}],"walletAddress":"w"}"#.utf8)
    let with2 = try #require(RowReference.insert(reference: "r", into: attrs))
    #expect(
      String(decoding: with2, as: UTF8.self)
        == #"{"a":"1","customAttributes":[{"key":"k","value":"v]"},{"key":"allot_ref","value":"r"}],"walletAddress":"w"}"#
    )
    let empty = try #require(
      RowReference.insert(reference: "r", into: Array(#"{"customAttributes":[ ]}"#.utf8)))
    #expect(
      String(decoding: empty, as: UTF8.self) == #"{"customAttributes":[ {"key":"allot_ref","value":"r"}]}"#)
    #expect(RowReference.insert(reference: "r", into: Array("[1]".utf8)) == nil)
    #expect(RowReference.insert(reference: "r", into: Array(#"{"a":"#.utf8)) == nil)
    #expect(
      RowReference.insert(reference: "r", into: Array("{}".utf8)).map { String(decoding: $0, as: UTF8.self) }
        == #"{"customAttributes":[{"key":"allot_ref","value":"r"}]}"#)
  }
}

/// Whatever the reference holds, the body with its attribute stays JSON and
/// the attribute reads back as the reference.
@Suite struct RowReferenceQuotingTests {
  struct Body: Decodable {
    struct Attribute: Decodable {
      var key: String
      var value: String
    }
    var amount: String
    var customAttributes: [Attribute]
  }

  @Test(arguments: [
    "allot:1:2:0000000000ab", #"quote " and backslash \"#, "line\nfeed\rreturn\ttab", "\u{01}\u{1f}\u{7f}",
    "é — 中文 🙂", "",
  ])
  func anyReferenceReadsBack(reference: String) throws {
    for body in [#"{"amount":"1"}"#, #"{"amount":"1","customAttributes":[{"key":"k","value":"v"}]}"#] {
      let with = try #require(RowReference.insert(reference: reference, into: Array(body.utf8)))
      let decoded = try JSONDecoder().decode(Body.self, from: Data(with))
      #expect(decoded.amount == "1")
      #expect(decoded.customAttributes.last?.key == RowReference.attributeKey)
      #expect(decoded.customAttributes.last?.value == reference)
      #expect(RowReference.jsonQuoted(reference).utf8.count >= reference.utf8.count + 2)
    }
  }
}
