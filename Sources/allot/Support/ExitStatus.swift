import ArgumentParser

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// allot's exit codes (a contract, listed in the README).
enum ExitStatus {
  /// Everything is fine.
  static let ok = ExitCode(0)
  /// The job ran but some rows are invalid, failed or unknown (or the reconciliation has exceptions).
  static let attention = ExitCode(1)
  /// Usage error or unreadable input.
  static let badInput = ExitCode(2)
  /// Configuration or authorisation: missing or rejected credentials.
  static let configuration = ExitCode(3)

  /// Set while a command runs inside another one (`allot demo` runs the others in its own process):
  /// `end(_:keepingAlive:)` then returns the status instead of ending the process.
  @TaskLocal static var nested = false

  /// Ends the process with `code` right away, keeping `values` alive until then, instead of returning
  /// through the callers: the millions of records and strings a large command built are not freed one
  /// by one on the way out (0.18 s after a million-payout reconciliation). Call it only once every
  /// output is written and closed; allot's stdout and stderr are unbuffered.
  ///
  /// In a nested command, throws `code` (unless it is 0) as a command that returns would.
  static func end<T>(_ code: ExitCode, keepingAlive values: borrowing T) throws {
    if nested {
      if code != ok { throw code }
      return
    }
    // Held by a reference that is never released: `withExtendedLifetime` does not do it here, as the
    // optimiser ends the values' lifetimes before a call that never returns (and the 0.2 s of freeing
    // happened anyway).
    _ = Unmanaged.passRetained(KeptAlive(copy values))
    exit(code.rawValue)
  }

  private final class KeptAlive<T> {
    let values: T
    init(_ values: T) { self.values = values }
  }
}
