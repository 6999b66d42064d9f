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

  /// The eight-bytes-at-a-time paths: a quote, a backslash escape, a control character, a non-ASCII byte
  /// or a repeated key at every position around the word boundaries gives what `JSONDecoder` gives.
  @Test func everyPositionOfASpecialByteAgrees() {
    var bodies: [[UInt8]] = []
    for at in 0..<24 {
      let before = String(repeating: "a", count: at)
      let after = String(repeating: "b", count: 24 - at)
      for inner in [#"\""#, #"\\"#, #"\n"#, #"\u0041"#, "\u{01}", "\u{1F}", " ", "\u{7F}", "é", "\""] {
        bodies.append(Array(#"{"result":{"id":"u1","name":"\#(before)\#(inner)\#(after)"}}"#.utf8))
        bodies.append(Array(#"{"result":{"\#(before)\#(inner)\#(after)":1,"id":"u1"}}"#.utf8))
        bodies.append(Array(#"{"result":{"id":"\#(before)\#(inner)\#(after)"}}"#.utf8))
      }
      var raw = Array(#"{"result":{"id":"u1","name":"\#(before)\#(after)"}}"#.utf8)
      raw[at] = 0xC3
      bodies.append(raw)
    }
    // Many keys, some sharing a length and first and last bytes, one of them repeated far from its first.
    let keys = (0..<70).map { "k\($0 % 10)x\($0)k" }
    let members = keys.map { #""\#($0)":\#($0.count)"# }.joined(separator: ",")
    bodies.append(Array(#"{"result":{"id":"u1",\#(members)}}"#.utf8))
    bodies.append(Array(#"{"result":{"id":"u1",\#(members),"k3x13k":0}}"#.utf8))
    bodies.append(Array(#"{"result":{"id":"u1",\#(members),"id":"u2"}}"#.utf8))
    var answered = 0
    for body in bodies {
      let slow = Self.decoded(body)
      if let fast = CreatedAnswerScanner.created(body) {
        answered += 1
        #expect(slow?.id == fast.id && slow?.key == fast.key, "\(String(decoding: body, as: UTF8.self))")
      }
    }
    // The plain cases are read by the scanner, not handed to the decoder.
    #expect(CreatedAnswerScanner.created(bodies[bodies.count - 3])?.id == "u1")
    #expect(CreatedAnswerScanner.created(bodies[bodies.count - 2]) == nil)
    #expect(CreatedAnswerScanner.created(bodies[bodies.count - 1]) == nil)
    // So are plain bytes and simple escapes in a value at every position.
    for at in 0..<24 {
      let before = String(repeating: "a", count: at)
      let after = String(repeating: "b", count: 24 - at)
      for inner in [#"\""#, #"\\"#, #"\n"#, " ", "\u{7F}"] {
        let body = Array(#"{"result":{"id":"u1","name":"\#(before)\#(inner)\#(after)"}}"#.utf8)
        #expect(CreatedAnswerScanner.created(body)?.id == "u1", "\(String(decoding: body, as: UTF8.self))")
      }
    }
    #expect(answered > 0)
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
