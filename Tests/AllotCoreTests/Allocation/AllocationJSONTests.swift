import AllotCore
import Testing

@Suite struct AllocationJSONTests {
  func text(_ r: AllocationRequest) -> String { String(decoding: r.jsonBody(), as: UTF8.self) }

  @Test func minimalBodyHasFixedKeysAndOmitsNils() {
    let r = AllocationRequest(
      amount: "10.5", contractId: "c", tokenId: "t", category: "Team", stakeholder: .init())
    #expect(
      text(r) == #"{"amount":"10.5","contractId":"c","tokenId":"t","category":"Team","stakeholder":{}}"#)
  }

  @Test func fullBodyKeyOrder() {
    let r = AllocationRequest(
      amount: "1", contractId: "c", tokenId: "t", category: "k",
      stakeholder: .init(name: "N", email: "e@x.io", xHandle: "h", employeeNumber: "007"),
      description: "d", unlockScheduleId: "u", unlockStartAt: "2026-03-01", vestingScheduleId: "v",
      vestingStartAt: "2026-04-01", releaseMode: "LINEAR", receivedOffMagna: "0.5", cancellable: false,
      customAttributes: [.init(key: "a", value: "b"), .init(key: "c", value: "d")], walletAddress: "w")
    #expect(
      text(r)
        == #"{"amount":"1","contractId":"c","tokenId":"t","category":"k","stakeholder":{"name":"N","email":"e@x.io","xHandle":"h","employeeNumber":"007"},"description":"d","unlockScheduleId":"u","unlockStartAt":"2026-03-01","vestingScheduleId":"v","vestingStartAt":"2026-04-01","releaseMode":"LINEAR","receivedOffMagna":"0.5","cancellable":false,"customAttributes":[{"key":"a","value":"b"},{"key":"c","value":"d"}],"walletAddress":"w"}"#
    )
  }

  @Test func escapesStrings() {
    let r = AllocationRequest(
      amount: "1", contractId: "c", tokenId: "t", category: "Q\"uote\\ \n\r\t\u{08}\u{0C}\u{01}\u{1F} é 日本 🎉",
      stakeholder: .init())
    let body = r.jsonBody()
    let s = String(decoding: body, as: UTF8.self)
    #expect(s.contains(#""category":"Q\"uote\\ \n\r\t\b\f\u0001\u001f é 日本 🎉""#))
    // Non-ASCII is written as raw UTF-8.
    #expect(body.contains(0xC3) && body.contains(0xA9))
  }

  @Test func fingerprintIgnoresTheReferenceAttribute() {
    var r = AllocationRequest(amount: "1", contractId: "c", tokenId: "t", category: "k", stakeholder: .init())
    let plain = r.fingerprint()
    #expect(plain == SHA256.hex(r.jsonBody()))
    #expect(plain.count == 64)
    r.customAttributes = [.init(key: AllocationRequest.referenceAttributeKey, value: "allot:1:2:abc")]
    #expect(r.fingerprint() == plain)
    #expect(text(r).contains("allot_ref"))
    r.customAttributes?.append(.init(key: "team", value: "x"))
    #expect(r.fingerprint() != plain)
    #expect(AllocationRequest.referenceAttributeKey == "allot_ref")
  }

  @Test func referenceInsertedLaterKeepsTheBodyValid() throws {
    let r = AllocationRequest(amount: "1", contractId: "c", tokenId: "t", category: "k", stakeholder: .init())
    let withRef = try #require(RowReference.insert(reference: "allot:1:2:0000000000ab", into: r.jsonBody()))
    #expect(withRef.count - r.jsonBody().count <= AllocationRequest.referenceAllowance)
  }

  /// Strings are checked eight bytes at a time: every character to escape, at every position of
  /// strings longer and shorter than a word, is escaped as one byte at a time would.
  @Test func escapesAtEveryPositionOfLongStrings() {
    func reference(_ s: String) -> String {
      var out: [UInt8] = [UInt8(ascii: "\"")]
      let digits = Array("0123456789abcdef".utf8)
      for u in s.utf8 {
        switch u {
        case UInt8(ascii: "\""): out += Array("\\\"".utf8)
        case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
        case 0x0A: out += Array("\\n".utf8)
        case 0x0D: out += Array("\\r".utf8)
        case 0x09: out += Array("\\t".utf8)
        case 0x08: out += Array("\\b".utf8)
        case 0x0C: out += Array("\\f".utf8)
        case ..<0x20: out += Array("\\u00".utf8) + [digits[Int(u >> 4)], digits[Int(u & 15)]]
        default: out.append(u)
        }
      }
      return String(decoding: out + [UInt8(ascii: "\"")], as: UTF8.self)
    }
    for length in 0..<20 {
      for position in 0..<max(1, length) {
        for special in ["\"", "\\", "\n", "\u{01}", "\u{1F}", "\u{7F}", "é"] {
          var chars = Array(repeating: "a", count: length)
          if length > 0 { chars[position] = special }
          let s = chars.joined()
          var out: [UInt8] = []
          JSONWriter.appendQuoted(s, to: &out)
          // Non-ASCII bytes are written as they are: compare as text.
          #expect(String(decoding: out, as: UTF8.self) == reference(s), "\(length) \(position) \(special)")
        }
      }
    }
  }

  /// `field` and `string` write short values that need no escape in one piece (separator, key, quotes
  /// and value gathered on the stack), and the rest as before: the same bytes either way, for values
  /// around the 256-byte limit, with each character the fast check stops at, after a comma or not.
  @Test func fieldsWrittenInOnePieceMatchTheGeneralPath() {
    let specials = ["", "\"", "\\", "\n", "\u{1F}", "<", "\u{2028}", "\u{2026}", "é"]
    for length in [0, 1, 7, 15, 16, 17, 63, 255, 256, 257, 300] {
      for special in specials {
        var value = String(repeating: "a", count: length)
        if !special.isEmpty && length > 0 { value = special + value.dropFirst() }
        for leadingValue in [false, true] {
          var fast = JSONWriter()
          fast.beginObject()
          if leadingValue {
            fast.field("first", "1")
          }
          fast.field("name", value)
          var quoted: [UInt8] = []
          JSONWriter.appendQuoted(value, to: &quoted)
          fast.key("list")
          fast.beginArray()
          fast.string(value)
          fast.string(value)
          fast.endArray()
          fast.endObject()
          let expected =
            "{" + (leadingValue ? "\"first\":\"1\"," : "") + "\"name\":"
            + String(decoding: quoted, as: UTF8.self) + ",\"list\":["
            + String(decoding: quoted, as: UTF8.self) + "," + String(decoding: quoted, as: UTF8.self) + "]}"
          #expect(
            String(decoding: fast.bytes, as: UTF8.self) == expected, "\(length) \(special) \(leadingValue)")
        }
      }
    }
  }
}
