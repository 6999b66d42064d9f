import AllotReaders
import ArgumentParser

extension ReaderError {
  /// Prints the one-sentence explanation on stderr and gives exit status 2.
  func reportAndExit() -> ExitCode {
    Console.error("allot: \(description)")
    return ExitStatus.badInput
  }
}
