import Logging

#if canImport(Glibc)
  import Glibc
#endif

extension Allot {
  /// The environment variable that sets how much allot logs on stderr.
  static let logLevelVariable = "ALLOT_LOG_LEVEL"

  /// Sends every log to stderr at the level `ALLOT_LOG_LEVEL` names (trace, debug, info, notice,
  /// warning, error, critical; default warning, which logs nothing in normal runs). `debug` shows each
  /// HTTP exchange with Magna and Magma, `trace` their bodies too; API tokens are never logged.
  static func bootstrapLogging() {
    var level = Logger.Level.warning
    if let value = getenv(logLevelVariable).map({ String(cString: $0) }), !value.isEmpty {
      guard let named = Logger.Level(rawValue: value.lowercased()) else {
        Console.error(
          "allot: \(logLevelVariable) must be one of trace, debug, info, notice, warning, error, critical (found \"\(value)\")."
        )
        Glibc.exit(ExitStatus.badInput.rawValue)
      }
      level = named
    }
    let chosen = level
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = chosen
      return handler
    }
  }
}
