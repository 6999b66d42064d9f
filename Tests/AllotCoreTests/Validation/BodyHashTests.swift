import Testing

@testable import AllotCore

/// The duplicate-key hash of a value's bytes, against the same hash spelled out byte by byte.
@Suite struct BodyHashTests {
  /// `Streaming.add` spelled out byte by byte: the value's lane (by the tag's parity) takes the tag and
  /// length, then each eight bytes, then the last 1–7 bytes gathered one at a time.
  static func reference(_ tag: UInt64, _ bytes: [UInt8]) -> UInt64 {
    var h = BodyHash.Streaming()
    h.bytes += bytes.count
    let k: UInt64 = tag & 1 == 0 ? 0x87C3_7B91_1142_53D5 : 0x4CF5_AD43_2745_937F
    var x = tag & 1 == 0 ? h.a : h.b
    func mix(_ w: UInt64) {
      let m = (x ^ w) &* k
      x = (m << 31) | (m >> 33)
    }
    mix(tag << 56 | UInt64(bytes.count))
    var i = 0
    let n = bytes.count
    func load(_ at: Int, _ count: Int) -> UInt64 {
      var w: UInt64 = 0
      for k in 0..<count { w |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
      return w
    }
    while i + 8 <= n {
      mix(load(i, 8))
      i += 8
    }
    if i < n { mix(load(i, n - i)) }
    if tag & 1 == 0 { h.a = x } else { h.b = x }
    return h.finish()
  }

  static func hash(_ tag: UInt64, _ bytes: [UInt8]) -> UInt64 {
    var h = BodyHash.Streaming()
    bytes.withUnsafeBufferPointer { h.add(tag, $0) }
    return h.finish()
  }

  @Test func everyLengthAroundTheWords() {
    var rng = SystemRandomNumberGenerator()
    for n in 0...80 {
      for _ in 0..<50 {
        let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
        #expect(Self.hash(7, bytes) == Self.reference(7, bytes), "length \(n)")
        #expect(Self.hash(4, bytes) == Self.reference(4, bytes), "length \(n)")
      }
    }
  }

  @Test func valuesInsideALargerBufferHashOnlyTheirBytes() {
    // A value read from the middle of a row: the bytes after it must not change its hash.
    let row = Array("0x562b0f79c37459eef50bea63371ecd7b27cd8130,Grant 0,2026-06-28".utf8)
    for end in 1...row.count {
      let value = Array(row[0..<end])
      let inPlace = row.withUnsafeBufferPointer { buffer in
        var h = BodyHash.Streaming()
        h.add(3, UnsafeBufferPointer(rebasing: buffer[0..<end]))
        return h.finish()
      }
      #expect(inPlace == Self.reference(3, value), "prefix of \(end) bytes")
    }
  }
}
