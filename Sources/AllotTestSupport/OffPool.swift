import Foundation

/// Runs blocking work (waiting for a process, reading a pipe, a long computation) on a thread of its own and
/// awaits its result.
///
/// `swift test` runs every test of the package in one process, in parallel, on Swift's cooperative pool,
/// which has one thread per core (two on CI). A test that blocks one of those threads while a subprocess
/// runs starves every other test of it, including the in-process sandbox and HTTP clients: on a loaded
/// machine their requests then time out. Blocking work therefore goes through here.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
    let thread = Thread {
      continuation.resume(with: Result { try work() })
    }
    thread.name = "allot-test-blocking"
    thread.start()
  }
}

/// The same for work that does not throw.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
  await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
    let thread = Thread {
      continuation.resume(returning: work())
    }
    thread.name = "allot-test-blocking"
    thread.start()
  }
}
