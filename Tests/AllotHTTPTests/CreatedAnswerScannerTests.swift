import Foundation
import Testing

@testable import AllotHTTP

/// The fast reading of create answers agrees with `JSONDecoder` whenever it answers.
@Suite struct CreatedAnswerScannerTests {
  /// What the decoder path concludes: created (id, key) or not.
  static func decoded(_ body: [UInt8]) -> (id: String, key: String?)? {
    guard let e = try? JSONDecoder().decode(MagnaEnvelope<CreatedAllocation>.self, from: Data(body)),
      e.isProcessed != false, let r = e.result, !r.id.isEmpty
    else { return nil }
    return (r.id, r.key)
  }

  static let samples: [String] = [
    #"{"isProcessed":true,"result":{"id":"u1","key":"A-1"}}"#,
    #"{"result":{"id":"u1"}}"#,
    #" { "isProcessed" : true , "result" : { "key" : null , "id" : "u1" } } "#,
    #"{"isProcessed":true,"result":{"id":"u1","key":"A-1","amount":"5","n":-0.5e+3,"a":[1,{"b":[]},"x\"y\\z\/\n"],"t":true,"f":false,"z":null},"error":null}"#,
    #"{"isProcessed":false,"result":{"id":"u1","key":"A-1"}}"#,
    #"{"isProcessed":null,"result":{"id":"u1","key":"A-1"}}"#,
    #"{"isProcessed":1,"result":{"id":"u1"}}"#,
    #"{"isProcessed":true,"result":{"id":"","key":"A-1"}}"#,
    #"{"isProcessed":true,"result":{"id":5}}"#,
    #"{"isProcessed":true,"result":{"key":"A"}}"#,
    #"{"isProcessed":true,"result":{"id":"u1","key":5}}"#,
    #"{"isProcessed":true,"result":{"id":"u1","id":"u2"}}"#,
    #"{"result":{"id":"u1"},"result":{"id":"u2"}}"#,
    #"{"isProcessed":true,"result":null}"#,
    #"{"isProcessed":true,"result":[]}"#,
    #"{"isProcessed":true}"#,
    #"{}"#,
    #"[]"#,
    #""#,
    #"{"result":{"id":"u1"}} x"#,
    #"{"result":{"id":"u1"},}"#,
    #"{"result":{"id":"u1",}}"#,
    #"{"result":{"id":"u\u0031"}}"#,
    #"{"result":{"id":"u1","x":"\ud800"}}"#,
    #"{"result":{"id":"u1","n":01}}"#,
    #"{"result":{"id":"u1","n":1.}}"#,
    #"{"result":{"id":"u1","n":.5}}"#,
    #"{"result":{"id":"u1","n":+1}}"#,
    #"{"result":{"id":"u1","n":tru}}"#,
    #"{"result":{"id":"ü1"}}"#,
    #"{"result":{"id":"u1","name":"Zoë"}}"#,
    #"{"re\u0073ult":{"id":"u1"}}"#,
    #"{"result":{"id":"u1"}"#,
    #"{"result":{"id":"u1"}}}"#,
    "{\"result\":{\"id\":\"u1\",\"x\":\"a\u{01}b\"}}",
    "{\"result\":{\"id\":\"u\u{09}1\"}}",
    #"{"error":{"type":"X","message":"m"},"message":"m","result":{"id":"u1","key":"k"}}"#,
    #"{"result":{"id":"u1","deep":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}}"#,
  ]

  @Test func agreesWithTheDecoderWheneverItAnswers() {
    for text in Self.samples {
      let body = Array(text.utf8)
      let slow = Self.decoded(body)
      if let fast = CreatedAnswerScanner.created(body) {
        #expect(slow?.id == fast.id && slow?.key == fast.key, "\(text)")
      }
      // The mapping as a whole agrees with the decoder.
      let mapped = MagnaClient.createOutcome(status: 200, headers: [:], body: body)
      if let slow {
        #expect(mapped == .created(id: slow.id, key: slow.key ?? ""), "\(text)")
      } else {
        #expect({ if case .uncertain = mapped { true } else { false } }(), "\(text)")
      }
    }
  }

  @Test func readsTheUsualAnswer() {
    let body = Array(#"{"isProcessed":true,"result":{"id":"u1","key":"A-1","amount":"5"}}"#.utf8)
    #expect(CreatedAnswerScanner.created(body)?.id == "u1")
    #expect(CreatedAnswerScanner.created(body)?.key == "A-1")
  }

  @Test func randomMutationsNeverDisagree() {
    var rng = SystemRandomNumberGenerator()
    let base = Array(Self.samples[3].utf8)
    let alphabet = Array(#"{}[]:,"\ 0123456789.-+eEtrufalsnidkyx"#.utf8)
    for _ in 0..<3000 {
      var body = base
      for _ in 0..<Int.random(in: 1...3, using: &rng) {
        let at = Int.random(in: 0..<body.count, using: &rng)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: body[at] = alphabet.randomElement(using: &rng)!
        case 1: body.remove(at: at)
        default: body.insert(alphabet.randomElement(using: &rng)!, at: at)
        }
      }
      if let fast = CreatedAnswerScanner.created(body) {
        let slow = Self.decoded(body)
        #expect(slow?.id == fast.id && slow?.key == fast.key, "\(String(decoding: body, as: UTF8.self))")
      }
    }
  }
}
