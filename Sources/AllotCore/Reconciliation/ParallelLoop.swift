/// Runs independent pieces of work one after the other, or at the same time on several threads. The
/// core starts no threads of its own: `allot reconcile` passes a loop backed by
/// `DispatchQueue.concurrentPerform`, and the tests check that both give the same result.
public struct ParallelLoop: Sendable {
  /// How many pieces a loop is worth cutting into (the cores to use).
  public let width: Int
  /// The fewest items worth a piece of their own (a thread's start costs about as much as hashing a few
  /// thousand keys).
  public let minimumPiece: Int
  private let perform: @Sendable (_ count: Int, _ body: (Int) -> Void) -> Void

  /// `perform(count, body)` must call `body(k)` once for each `k` in `0..<count` and return when all
  /// calls have returned; the calls may overlap.
  public init(
    width: Int, minimumPiece: Int = 16_384,
    perform: @escaping @Sendable (_ count: Int, _ body: (Int) -> Void) -> Void
  ) {
    self.width = max(1, width)
    self.minimumPiece = max(1, minimumPiece)
    self.perform = perform
  }

  public static let serial = ParallelLoop(width: 1) { count, body in
    for k in 0..<count { body(k) }
  }

  /// Calls `body(k)` for every `k` in `0..<count`, possibly at the same time.
  public func run(_ count: Int, _ body: (Int) -> Void) {
    if count == 1 || width == 1 {
      for k in 0..<count { body(k) }
    } else {
      perform(count, body)
    }
  }

  /// `0..<count` cut into at most `width` ranges of at least `minimumPiece` items (one range when
  /// small).
  public func ranges(_ count: Int) -> [Range<Int>] {
    let pieces = max(1, min(width, count / minimumPiece))
    return (0..<pieces).map { k in (count * k / pieces)..<(count * (k + 1) / pieces) }
  }

  /// `transform` of each range of `ranges(count)`, the ranges run at the same time; the results in range
  /// order.
  public func map<T>(_ count: Int, _ transform: (Range<Int>) -> T) -> [T] {
    let parts = ranges(count)
    var results = [T?](repeating: nil, count: parts.count)
    results.withUnsafeMutableBufferPointer { slots in
      run(parts.count) { k in slots[k] = transform(parts[k]) }
    }
    return results.map { $0! }
  }
}
