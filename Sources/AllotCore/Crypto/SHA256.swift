import CAllotKernels

/// SHA-256 (FIPS 180-4): streaming `update` / `finalize`, or one-shot `hash`.
///
/// Used for row fingerprints (a million rows per file), file digests and Tron's base58check checksum. The
/// block function runs on the CPU's SHA extensions where it has them (x86-64 since Ice Lake / Zen, about
/// ten times faster), else in portable Swift that works on raw pointers with the state in locals.
public struct SHA256: Sendable {
  /// Whether this CPU has the SHA extensions the hardware block function needs.
  public static let hardwareAvailable: Bool = allot_sha256_hardware_available() == 1

  private var h0: UInt32 = SHA256.initialState.0
  private var h1: UInt32 = SHA256.initialState.1
  private var h2: UInt32 = SHA256.initialState.2
  private var h3: UInt32 = SHA256.initialState.3
  private var h4: UInt32 = SHA256.initialState.4
  private var h5: UInt32 = SHA256.initialState.5
  private var h6: UInt32 = SHA256.initialState.6
  private var h7: UInt32 = SHA256.initialState.7
  /// Bytes of an incomplete block (fewer than 64).
  private var pending: [UInt8] = []
  private var totalBytes: UInt64 = 0
  private let hardware: Bool

  /// A hasher; `hardware: false` forces the portable block function (the tests compare both).
  public init(hardware: Bool = SHA256.hardwareAvailable) {
    self.hardware = hardware && Self.hardwareAvailable
  }

  /// The digest of `bytes` (32 bytes).
  public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
    let oneShot: [UInt8]? = bytes.withContiguousStorageIfAvailable { buffer in
      hash(UnsafeRawBufferPointer(buffer))
    }
    if let oneShot { return oneShot }
    var h = SHA256()
    h.update(bytes)
    return h.finalize()
  }

  /// The digest of the bytes in `buffer`, hashed in place: whole blocks straight from the buffer, the
  /// padded tail from the stack (no allocation but the result).
  public static func hash(_ buffer: UnsafeRawBufferPointer, hardware: Bool = SHA256.hardwareAvailable)
    -> [UInt8]
  {
    var h = SHA256(hardware: hardware)
    let whole = buffer.count / 64
    if whole > 0, let base = buffer.baseAddress { h.compress(base, blocks: whole) }
    let done = whole * 64
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
      let last = UnsafeRawBufferPointer(rebasing: buffer[done...])
      let padded = padTail(last, messageLength: buffer.count, into: tail.baseAddress!)
      h.compress(UnsafeRawPointer(tail.baseAddress!), blocks: padded / 64)
      return h.digest()
    }
  }

  /// Writes the message's last `tail.count` bytes (fewer than 64) at `out`, then the padding (FIPS
  /// 180-4, 5.1.1: 0x80, zeros, the message's length in bits) of a `messageLength`-byte message; returns
  /// the bytes written, 64 or 128. `out` must have room for 128.
  static func padTail(
    _ tail: UnsafeRawBufferPointer, messageLength: Int, into out: UnsafeMutablePointer<UInt8>
  ) -> Int {
    let rest = tail.count
    if rest > 0, let base = tail.baseAddress {
      UnsafeMutableRawPointer(out).copyMemory(from: base, byteCount: rest)
    }
    out[rest] = 0x80
    let padded = rest < 56 ? 64 : 128
    (out + rest + 1).initialize(repeating: 0, count: padded - 8 - (rest + 1))
    let bitLength = UInt64(messageLength) &* 8
    for i in 0..<8 { out[padded - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> UInt64(8 * i)) }
    return padded
  }

  /// The digest of `bytes` as 64 lower-case hex digits.
  public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    Hex.encode(hash(bytes))
  }

  public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
    let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
      update(UnsafeRawBufferPointer(buffer))
    }
    if done == nil {
      let copy = Array(bytes)
      copy.withUnsafeBytes { update($0) }
    }
  }

  public mutating func update(_ buffer: UnsafeRawBufferPointer) {
    guard buffer.count > 0, let base = buffer.baseAddress else { return }
    totalBytes &+= UInt64(buffer.count)
    var offset = 0
    if !pending.isEmpty {
      let take = min(64 - pending.count, buffer.count)
      pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<take]))
      offset = take
      if pending.count < 64 { return }
      pending.withUnsafeBytes { block in
        if let p = block.baseAddress { compress(p, blocks: 1) }
      }
      pending.removeAll(keepingCapacity: true)
    }
    let whole = (buffer.count - offset) / 64
    if whole > 0 {
      compress(base + offset, blocks: whole)
      offset += whole * 64
    }
    if offset < buffer.count {
      pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[offset...]))
    }
  }

  /// Pads, processes the last block(s) and returns the 32-byte digest. The hasher should not be reused.
  public mutating func finalize() -> [UInt8] {
    let length = Int(truncatingIfNeeded: totalBytes)
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
      let padded = pending.withUnsafeBytes {
        Self.padTail($0, messageLength: length, into: tail.baseAddress!)
      }
      compress(UnsafeRawPointer(tail.baseAddress!), blocks: padded / 64)
    }
    pending.removeAll()
    return digest()
  }

  /// The state as the 32-byte digest.
  private func digest() -> [UInt8] { Self.digestBytes((h0, h1, h2, h3, h4, h5, h6, h7)) }

  /// H0…H7 in order.
  typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

  /// The initial hash value (FIPS 180-4, 5.3.3).
  static let initialState: State = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
  )

  /// The digest of a final state: its eight words big-endian.
  static func digestBytes(_ state: State) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: 32) { out, count in
      withUnsafeBytes(of: state) { words in
        for i in 0..<8 {
          let word = words.load(fromByteOffset: 4 * i, as: UInt32.self)
          out[4 * i] = UInt8(truncatingIfNeeded: word >> 24)
          out[4 * i + 1] = UInt8(truncatingIfNeeded: word >> 16)
          out[4 * i + 2] = UInt8(truncatingIfNeeded: word >> 8)
          out[4 * i + 3] = UInt8(truncatingIfNeeded: word)
        }
      }
      count = 32
    }
  }

  /// Lower-case hex of the digest.
  public mutating func finalizeHex() -> String { Hex.encode(finalize()) }

  @inline(__always)
  private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 &- n)) }

  private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
    if hardware {
      var state = (h0, h1, h2, h3, h4, h5, h6, h7)
      withUnsafeMutableBytes(of: &state) { s in
        allot_sha256_hardware_blocks(
          s.baseAddress!.assumingMemoryBound(to: UInt32.self), data.assumingMemoryBound(to: UInt8.self),
          blocks)
      }
      (h0, h1, h2, h3, h4, h5, h6, h7) = state
      return
    }
    var a0 = h0
    var b0 = h1
    var c0 = h2
    var d0 = h3
    var e0 = h4
    var f0 = h5
    var g0 = h6
    var k0 = h7
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
      do {
        let k = Self.roundConstants
        for block in 0..<blocks {
          let p = data + block * 64
          for i in 0..<16 {
            w[i] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
          }
          for i in 16..<64 {
            let x = w[i - 15]
            let y = w[i - 2]
            let s0 = Self.rotr(x, 7) ^ Self.rotr(x, 18) ^ (x >> 3)
            let s1 = Self.rotr(y, 17) ^ Self.rotr(y, 19) ^ (y >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
          }
          var a = a0
          var b = b0
          var c = c0
          var d = d0
          var e = e0
          var f = f0
          var g = g0
          var h = k0
          for i in 0..<64 {
            let s1 = Self.rotr(e, 6) ^ Self.rotr(e, 11) ^ Self.rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
            let s0 = Self.rotr(a, 2) ^ Self.rotr(a, 13) ^ Self.rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ maj
            h = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
          }
          a0 = a0 &+ a
          b0 = b0 &+ b
          c0 = c0 &+ c
          d0 = d0 &+ d
          e0 = e0 &+ e
          f0 = f0 &+ f
          g0 = g0 &+ g
          k0 = k0 &+ h
        }
      }
    }
    h0 = a0
    h1 = b0
    h2 = c0
    h3 = d0
    h4 = e0
    h5 = f0
    h6 = g0
    h7 = k0
  }

  /// The 64 round constants, from the C target (one table for both block functions).
  private static var roundConstants: UnsafeBufferPointer<UInt32> {
    UnsafeBufferPointer(start: allot_sha256_round_constants(), count: 64)
  }
}
