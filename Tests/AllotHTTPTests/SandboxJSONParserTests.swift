import AllotCore
import Foundation
import Testing

@testable import AllotSandbox

/// The sandbox's byte-level JSON parser against what it replaced: `JSONDecoder` into `JSONValue`, trying
/// each type in turn. Same value for every valid text, `nil` for every invalid one, with two deliberate
/// differences that make the sandbox answer like Magna's Node server (`JSON.parse`): a trailing comma is
/// malformed JSON, and a key given twice keeps its last value.
@Suite("Sandbox JSON parser")
struct SandboxJSONParserTests {
  /// The former implementation, kept here as the oracle.
  struct Oracle: Decodable {
    var value: JSONValue

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if container.decodeNil() {
        value = .null
      } else if let bool = try? container.decode(Bool.self) {
        value = .bool(bool)
      } else if let int = try? container.decode(Int64.self) {
        value = .number(String(int))
      } else if let decimal = try? container.decode(Decimal.self) {
        value = .number("\(decimal)")
      } else if let string = try? container.decode(String.self) {
        value = .string(string)
      } else if let array = try? container.decode([Oracle].self) {
        value = .array(array.map(\.value))
      } else {
        value = .object(try container.decode([String: Oracle].self).mapValues(\.value))
      }
    }

    static func parse(_ bytes: [UInt8]) -> JSONValue? {
      try? JSONDecoder().decode(Oracle.self, from: Data(bytes)).value
    }
  }

  static let cases: [String] = [
    #"{"amount":"1000.50","tokenId":"c506e90f-4839-438b-89e1-761aa227dd7e","stakeholder":{"email":"a@b.co"}}"#,
    #"  {"a" : [1, 2.50, -0, 1e3, 1E-2, -12.5e+2, 9223372036854775807, 9223372036854775808, 0.1] }  "#,
    #"[true,false,null,"",{},[]]"#,
    #""esc \" \\ \/ \b \f \n \r \t \u00e9 \u20AC \ud83d\ude00""#,
    "0", "-1", "\"plain\"", "null", "  true ",
    "18446744073709551616", "1.000", "-0.0", "123456789012345678901234567890",
    // Invalid:
    "", " ", "{", "}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "-", "1.", ".5", "1e", "+1",
    "1e+", "tru", "nul", "True", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud83d\"",
    "\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"raw \u{01} control\"", "[1] [2]", "{\"a\":1}}", "NaN", "Infinity",
    "\"tab\there\"",
  ]

  @Test(arguments: cases) func sameAsJSONDecoder(_ text: String) {
    let bytes = Array(text.utf8)
    #expect(JSONValue.parse(bytes) == Oracle.parse(bytes), "\(text)")
  }

  @Test func strictWhereJSONDecoderIsLenient() {
    #expect(JSONValue.parse(Array("[1,]".utf8)) == nil)
    #expect(JSONValue.parse(Array(#"{"a":1 , }"#.utf8)) == nil)
    #expect(Oracle.parse(Array("[1,]".utf8)) != nil)
    #expect(JSONValue.parse(Array(#"{"k":1,"k":2}"#.utf8)) == .object(["k": .number("2")]))
  }

  @Test func invalidUTF8IsRejected() {
    for bytes: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xFF, 0x22], [0x22, 0xE2, 0x82, 0x22]] {
      #expect(JSONValue.parse(bytes) == nil)
      #expect(Oracle.parse(bytes) == nil)
    }
  }

  @Test func nestingIsBounded() {
    let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
    #expect(JSONValue.parse(deep) == nil)
    let fine = Array((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8)
    #expect(JSONValue.parse(fine) != nil)
  }

  /// Random documents, then random one-byte edits of them: the two parsers agree on every one.
  @Test func randomDocumentsAndEdits() {
    var random = SeededRandom(seed: 20_261_130)
    let atoms = [
      "null", "true", "false", "0", "-7", "12.50", "1e2", "-0.001", "\"\"", "\"a\\\"b\"", "\"\\u00e9x\"",
      "\"é€😀\"", "\"a/b\\/c\"",
    ]
    func document(_ depth: Int) -> String {
      let roll = Int(random.next() % 10)
      if depth > 3 || roll < 5 { return atoms[Int(random.next() % UInt64(atoms.count))] }
      let count = Int(random.next() % 4)
      let space = random.next() % 2 == 0 ? "" : " \n\t"
      if roll < 7 {
        return "[" + space + (0..<count).map { _ in document(depth + 1) }.joined(separator: "," + space) + "]"
      }
      return "{" + space
        + (0..<count).map { k in "\"k\(k % 3)\"" + space + ":" + document(depth + 1) }.joined(separator: ",")
        + space + "}"
    }
    let alphabet = Array("{}[],:\"\\ -.e0123456789tfnu".utf8)
    var disagreements: [String] = []
    for _ in 0..<3_000 {
      var bytes = Array(document(0).utf8)
      #expect(JSONValue.parse(bytes) == Oracle.parse(bytes))
      #expect(JSONValue.parse(bytes) != nil)
      let at = Int(random.next() % UInt64(bytes.count + 1))
      switch random.next() % 3 {
      case 0 where at < bytes.count: bytes.remove(at: at)
      case 1: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
      default: if at < bytes.count { bytes[at] = alphabet[Int(random.next() % UInt64(alphabet.count))] }
      }
      let ours = JSONValue.parse(bytes)
      let theirs = Oracle.parse(bytes)
      let text = String(decoding: bytes, as: UTF8.self)
      if ours == nil, theirs != nil, text.contains(/,\s*[}\]]/) { continue }  // trailing comma
      if ours != theirs {
        disagreements.append(text)
      }
    }
    #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
  }
}

/// The sandbox writes allocations by hand; `JSONEncoder` (its former way) is the oracle.
@Suite("Sandbox allocation JSON")
struct SandboxAllocationJSONTests {
  static func allocation(sparse: Bool, text: String) -> SandboxAllocation {
    SandboxAllocation(
      sequence: 42, id: "a1", key: "K-1", amount: "1000.5", state: "active", status: "pending", received: "0",
      releasable: "0", custodyType: "self", projectId: "p", tokenId: "t", contractId: "c", stakeholderId: "s",
      stakeholder: .init(
        id: "s", name: sparse ? nil : text, email: sparse ? nil : "a@b.co", xHandle: nil,
        employeeNumber: sparse ? nil : "E/7"),
      walletId: sparse ? nil : "w", walletAddress: sparse ? nil : "0xAbC", categoryId: "cat", category: text,
      description: sparse ? nil : "d", unlockScheduleId: "u", unlockStartAt: sparse ? nil : "2026-01-01",
      vestingScheduleId: nil, vestingStartAt: nil, releaseMode: sparse ? nil : "linear",
      receivedOffMagna: nil,
      cancellable: !sparse,
      customAttributes: sparse
        ? [] : [.init(key: "allot_ref", value: "allot:1:2:abc"), .init(key: "k", value: text)],
      createdAt: "2026-11-30T00:00:00.000Z", updatedAt: "2026-11-30T00:00:00.000Z", cancelledAt: nil,
      createdAtMs: 1_795_996_800_000)
  }

  @Test(arguments: [
    (false, "Team / Advisors"), (true, "plain"), (false, "quote \" back \\ é 😀"),
    (false, "tab\tline\nnul\u{0}"),
  ])
  func sameJSONAsEncoder(sparse: Bool, text: String) throws {
    let allocation = Self.allocation(sparse: sparse, text: text)
    var w = JSONWriter()
    allocation.write(to: &w)
    let encoded = Array(try Responses.encoder.encode(allocation))
    #expect(JSONValue.parse(w.bytes) == JSONValue.parse(encoded))
    #expect(JSONValue.parse(w.bytes) != nil)
    if !text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
      #expect(w.bytes == encoded, "\(String(decoding: w.bytes, as: UTF8.self))")
    }
  }
}

@Suite("Sandbox ids")
struct SandboxIdTests {
  /// The former way of making a UUID from the generator, kept as the oracle: ids must not change, since a
  /// restarted sandbox derives them again from its seed.
  static func formerUUID(_ random: inout SeededRandom) -> String {
    var h = Array(random.hex(32))
    h[12] = "4"
    let variant = Array("89ab")
    h[16] = variant[Int(random.next() % 4)]
    let s = String(h)
    func part(_ from: Int, _ to: Int) -> Substring {
      s[s.index(s.startIndex, offsetBy: from)..<s.index(s.startIndex, offsetBy: to)]
    }
    return "\(part(0, 8))-\(part(8, 12))-\(part(12, 16))-\(part(16, 20))-\(part(20, 32))"
  }

  @Test func uuidsAreUnchanged() {
    for seed: UInt64 in [0, 1, 20_261_130, .max] {
      var a = SeededRandom(seed: seed, label: "allocation", index: 3)
      var b = a
      for _ in 0..<200 {
        let ours = a.uuid()
        #expect(ours == Self.formerUUID(&b))
        #expect(ours.count == 36)
      }
    }
  }
}
