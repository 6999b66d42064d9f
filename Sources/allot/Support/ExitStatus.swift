import ArgumentParser

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
}
