import Synchronization

/// What the submission engine's scheduler waits for: answers of create requests, and the results of its
/// child tasks, sent from any thread and taken in the order they came. One receiver at a time.
///
/// A create request's answer arrives here straight from the HTTP client's callback, so a request costs
/// no task of its own (`docs/decisions.md`).
final class SubmissionInbox<Element: Sendable>: Sendable {
  private struct State: ~Copyable {
    var items: [Element] = []
    var head = 0
    var waiter: UnsafeContinuation<Element, Never>?

    mutating func pop() -> Element? {
      guard head < items.count else { return nil }
      let item = items[head]
      head += 1
      if head == items.count {
        items.removeAll(keepingCapacity: true)
        head = 0
      }
      return item
    }
  }

  private let state = Mutex(State())

  init() {}

  /// Hands `element` to the waiting receiver, or keeps it for the next ``next()``.
  func send(_ element: Element) {
    let waiter = state.withLock { s -> UnsafeContinuation<Element, Never>? in
      if let w = s.waiter {
        s.waiter = nil
        return w
      }
      s.items.append(element)
      return nil
    }
    waiter?.resume(returning: element)
  }

  /// The oldest element not taken yet; waits for one when there is none.
  func next() async -> Element {
    if let item = state.withLock({ $0.pop() }) { return item }
    return await withUnsafeContinuation { continuation in
      let item = state.withLock { s -> Element? in
        if let item = s.pop() { return item }
        s.waiter = continuation
        return nil
      }
      if let item { continuation.resume(returning: item) }
    }
  }
}
