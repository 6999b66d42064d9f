/// Keccak-256 as Ethereum uses it (original Keccak padding `0x01`, not SHA3-256's `0x06`).
///
/// Needed for EIP-55 address checksums; inputs are short, so clarity wins over speed here.
public struct Keccak256: Sendable {
  private static let rate = 136
  private var state = [UInt64](repeating: 0, count: 25)
  private var pending: [UInt8] = []

  public init() {}

  public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
    var k = Keccak256()
    k.update(bytes)
    return k.finalize()
  }

  public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    Hex.encode(hash(bytes))
  }

  public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
    for b in bytes {
      pending.append(b)
      if pending.count == Self.rate {
        absorb(pending)
        pending.removeAll(keepingCapacity: true)
      }
    }
  }

  public mutating func finalize() -> [UInt8] {
    var block = pending
    block.append(0x01)
    while block.count < Self.rate { block.append(0) }
    block[Self.rate - 1] |= 0x80
    absorb(block)
    pending.removeAll()
    var out = [UInt8]()
    out.reserveCapacity(32)
    for i in 0..<4 {
      let lane = state[i]
      for byte in 0..<8 { out.append(UInt8(truncatingIfNeeded: lane >> UInt64(8 * byte))) }
    }
    return out
  }

  private mutating func absorb(_ block: [UInt8]) {
    for i in 0..<(Self.rate / 8) {
      var lane: UInt64 = 0
      for byte in 0..<8 { lane |= UInt64(block[i * 8 + byte]) << UInt64(8 * byte) }
      state[i] ^= lane
    }
    Self.permute(&state)
  }

  private static let roundConstants: [UInt64] = [
    0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
    0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
    0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
    0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
    0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
    0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
  ]

  /// Rotation offsets, indexed by lane `x + 5 * y`.
  private static let rotations: [UInt64] = [
    0, 1, 62, 28, 27,
    36, 44, 6, 55, 20,
    3, 10, 43, 25, 39,
    41, 45, 15, 21, 8,
    18, 2, 61, 56, 14,
  ]

  @inline(__always)
  private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 {
    n == 0 ? x : (x << n) | (x >> (64 &- n))
  }

  private static func permute(_ a: inout [UInt64]) {
    var c = [UInt64](repeating: 0, count: 5)
    var b = [UInt64](repeating: 0, count: 25)
    for round in 0..<24 {
      // θ
      for x in 0..<5 { c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] }
      for x in 0..<5 {
        let d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1)
        for y in 0..<5 { a[x + 5 * y] ^= d }
      }
      // ρ and π
      for x in 0..<5 {
        for y in 0..<5 {
          b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], rotations[x + 5 * y])
        }
      }
      // χ
      for x in 0..<5 {
        for y in 0..<5 {
          a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y])
        }
      }
      // ι
      a[0] ^= roundConstants[round]
    }
  }
}
