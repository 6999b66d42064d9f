import AllotCore
import Dispatch
import Foundation

extension ParallelLoop {
  /// Every core, through `DispatchQueue.concurrentPerform`.
  static let everyCore = everyCore(minimumPiece: 16_384)

  /// Every core, with pieces of at least `minimumPiece` items.
  static func everyCore(minimumPiece: Int) -> ParallelLoop {
    ParallelLoop(width: ProcessInfo.processInfo.activeProcessorCount, minimumPiece: minimumPiece) {
      count, body in
      withoutActuallyEscaping(body) { body in
        let shared = SharedBody(body: body)
        DispatchQueue.concurrentPerform(iterations: count) { shared.body($0) }
      }
    }
  }
}

/// `ParallelLoop`'s contract is that calls of `body` with distinct indices may overlap (the core writes
/// only each index's own slot); the compiler cannot see that through a closure.
private struct SharedBody: @unchecked Sendable {
  let body: (Int) -> Void
}
