import CAllotKernels

extension SHA256 {
  /// The largest message `hashPair` pads on the stack; longer ones are hashed one at a time.
  static let pairLimit = 4096

  /// The digests of `a` and `b`, the same as `hash(a)` and `hash(b)`. With the SHA extensions both
  /// messages are hashed together, block for block (`allot_sha256_hardware_blocks_x2`): a single
  /// message leaves the SHA unit idle between its dependent rounds, and the second fills those gaps.
  /// `allot import` fingerprints a million request bodies two at a time this way.
  public static func hashPair(
    _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, hardware: Bool = SHA256.hardwareAvailable
  ) -> ([UInt8], [UInt8]) {
    guard hardware && hardwareAvailable, a.count <= pairLimit, b.count <= pairLimit else {
      return (hash(a, hardware: hardware), hash(b, hardware: hardware))
    }
    let paddedA = paddedCount(a.count)
    let paddedB = paddedCount(b.count)
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: paddedA + paddedB) { scratch in
      let base = scratch.baseAddress!
      pad(a, into: base)
      pad(b, into: base + paddedA)
      var stateA = initialState
      var stateB = initialState
      let blocksA = paddedA / 64
      let blocksB = paddedB / 64
      let common = min(blocksA, blocksB)
      withUnsafeMutableBytes(of: &stateA) { sa in
        withUnsafeMutableBytes(of: &stateB) { sb in
          let wa = sa.baseAddress!.assumingMemoryBound(to: UInt32.self)
          let wb = sb.baseAddress!.assumingMemoryBound(to: UInt32.self)
          allot_sha256_hardware_blocks_x2(wa, base, wb, base + paddedA, common)
          if blocksA > common { allot_sha256_hardware_blocks(wa, base + common * 64, blocksA - common) }
          if blocksB > common {
            allot_sha256_hardware_blocks(wb, base + paddedA + common * 64, blocksB - common)
          }
        }
      }
      return (digestBytes(stateA), digestBytes(stateB))
    }
  }

  /// The length of `count` bytes once padded: the message, 0x80, zeros, and its bit length in 8 bytes,
  /// to a whole number of blocks.
  private static func paddedCount(_ count: Int) -> Int { (count + 9 + 63) / 64 * 64 }

  /// Writes `message` padded (FIPS 180-4, 5.1.1) at `out`, `paddedCount(message.count)` bytes.
  private static func pad(_ message: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
    let whole = message.count / 64 * 64
    if whole > 0, let source = message.baseAddress {
      UnsafeMutableRawPointer(out).copyMemory(from: source, byteCount: whole)
    }
    _ = padTail(
      UnsafeRawBufferPointer(rebasing: message[whole...]), messageLength: message.count, into: out + whole)
  }
}
