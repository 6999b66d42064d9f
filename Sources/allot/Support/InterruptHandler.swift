import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ctrl-C for `allot submit`: the first asks to stop starting requests, the second cancels the run,
/// a third exits at once (rows still in flight become `unknown` on the next start).
final class InterruptHandler: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  private var source: (any DispatchSourceSignal)?
  private let onFirst: @Sendable () -> Void
  private let onSecond: @Sendable () -> Void

  init(onFirst: @escaping @Sendable () -> Void, onSecond: @escaping @Sendable () -> Void) {
    self.onFirst = onFirst
    self.onSecond = onSecond
  }

  func install() {
    signal(SIGINT, SIG_IGN)
    let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    s.setEventHandler { [weak self] in self?.fire() }
    s.resume()
    source = s
  }

  func uninstall() {
    source?.cancel()
    source = nil
    signal(SIGINT, SIG_DFL)
  }

  private func fire() {
    lock.lock()
    count += 1
    let n = count
    lock.unlock()
    switch n {
    case 1:
      Console.error("\nallot: stopping — finishing the requests in flight (Ctrl-C again to abort them).")
      onFirst()
    case 2:
      Console.error("\nallot: aborting — rows still in flight will be checked on the next `allot submit`.")
      onSecond()
    default:
      _exit(130)
    }
  }
}
