import AllotCore
import Dispatch
import Foundation

extension ParallelLoop {
  /// Every core, through `DispatchQueue.concurrentPerform`.
  static let everyCore = ParallelLoop(width: ProcessInfo.processInfo.activeProcessorCount) { count, body in
    withoutActuallyEscaping(body) { body in
      let shared = SharedBody(body: body)
      DispatchQueue.concurrentPerform(iterations: count) { shared.body($0) }
    }
  }
}

/// `ParallelLoop`'s contract is that calls of `body` with distinct indices may overlap (the core writes
/// only each index's own slot); the compiler cannot see that through a closure.
private struct SharedBody: @unchecked Sendable {
  let body: (Int) -> Void
}
