/// A growable byte buffer for the SAX hot path: appending and clearing without Array's
/// uniqueness checks and exclusivity bookkeeping.
final class ByteBuffer {
  @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) private(set) var count = 0
  @exclusivity(unchecked) private var capacity: Int

  init(capacity: Int = 256) {
    self.capacity = max(16, capacity)
    base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  var isEmpty: Bool { count == 0 }

  @inline(__always) func removeAll() { count = 0 }

  @inline(__always) func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let src = bytes.baseAddress, !bytes.isEmpty else { return }
    if count + bytes.count > capacity { grow(to: count + bytes.count) }
    (base + count).update(from: src, count: bytes.count)
    count += bytes.count
  }

  /// Makes room for `n` bytes in all (`base` may move).
  func reserve(_ n: Int) {
    if n > capacity { grow(to: n) }
  }

  /// Keeps the first `n` bytes.
  func truncate(to n: Int) { count = max(0, min(n, count)) }

  /// Removes the bytes in `range` (within `0..<count`).
  func remove(_ range: Range<Int>) {
    guard !range.isEmpty else { return }
    let tail = count - range.upperBound
    if tail > 0 { (base + range.lowerBound).update(from: base + range.upperBound, count: tail) }
    count -= range.count
  }

  /// The bytes, valid until the next mutation.
  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  subscript(i: Int) -> UInt8 { base[i] }

  private func grow(to needed: Int) {
    var newCapacity = capacity * 2
    while newCapacity < needed { newCapacity *= 2 }
    let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBase.update(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  /// Trims XML whitespace at both edges of the bytes from `start` on.
  func trimEdges(from start: Int) {
    var lo = start
    var hi = count
    while lo < hi && XLSXText.isXMLWhitespace(base[lo]) { lo += 1 }
    while hi > lo && XLSXText.isXMLWhitespace(base[hi - 1]) { hi -= 1 }
    count = hi
    remove(start..<lo)
  }
}
