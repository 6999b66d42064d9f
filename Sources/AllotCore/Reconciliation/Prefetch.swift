import CAllotKernels

/// Requests records from memory ahead of their use. The matcher reads a few fields of each of a million
/// records of some 300 bytes, in an order the hardware prefetcher does not follow (the records still
/// open, descending), and each record cost a cache miss while its key was hashed.
enum Prefetch {
  /// Asks for every cache line of `buffer[index]`; nothing when `index` is out of range.
  @inline(__always)
  static func record<T>(_ buffer: UnsafeBufferPointer<T>, _ index: Int) {
    guard index >= 0, index < buffer.count, let base = buffer.baseAddress else { return }
    let raw = UnsafeRawPointer(base + index)
    var offset = 0
    while offset < MemoryLayout<T>.size {
      allot_prefetch_for_read(raw + offset)
      offset += 64
    }
  }

  /// Asks for the first cache line of a text's bytes (nothing for a short text, held in the `String`).
  @inline(__always)
  static func text(_ s: String) {
    guard s.utf8.count > 15 else { return }
    TextScan.withBytes(s) { u in
      if let b = u.baseAddress { allot_prefetch_for_read(b) }
    }
  }
}
