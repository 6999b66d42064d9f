/// A block of file bytes that a chunk of whole CSV records is read into, owned by whoever holds it: the
/// reader hands it on (to a worker thread) instead of copying the chunk, and takes it back for a later
/// chunk once it is done with (`CSVReader.readOwnedChunks`).
public final class ChunkBuffer: @unchecked Sendable {
  private(set) var base: UnsafeMutableRawPointer
  private(set) var capacity: Int
  /// Bytes in use, from the start.
  var count = 0

  public init(capacity: Int) {
    self.capacity = max(16, capacity)
    base = .allocate(byteCount: self.capacity, alignment: 16)
  }

  deinit { base.deallocate() }

  /// The chunk's bytes (valid while the buffer is held and not reused).
  public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  /// Makes room for `more` bytes after `count`, keeping the bytes in use.
  func reserve(_ more: Int) {
    guard count + more > capacity else { return }
    let larger = max(count + more, capacity * 2)
    let moved = UnsafeMutableRawPointer.allocate(byteCount: larger, alignment: 16)
    moved.copyMemory(from: base, byteCount: count)
    base.deallocate()
    base = moved
    capacity = larger
  }

  /// The room after `count`.
  var free: UnsafeMutableRawBufferPointer {
    UnsafeMutableRawBufferPointer(start: base + count, count: capacity - count)
  }
}
