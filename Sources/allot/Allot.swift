import ArgumentParser
import Logging

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@main
struct Allot: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "allot",
    abstract: "Validate, submit and reconcile token allocation spreadsheets with Magna and Magma.",
    subcommands: [
      DemoCommand.self, ValidateCommand.self, InspectCommand.self, TemplateCommand.self, SandboxCommand.self,
      ImportCommand.self, SubmitCommand.self, StatusCommand.self, RetryCommand.self, ResolveCommand.self,
      ReconcileCommand.self,
    ]
  )

  /// Runs the command line. Usage errors exit with status 2 (allot's contract), not ArgumentParser's 64.
  static func main() async {
    bootstrapLogging()
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      if exitCode(for: error) == .validationFailure {
        Console.error(fullMessage(for: error))
        Glibc.exit(ExitStatus.badInput.rawValue)
      }
      exit(withError: error)
    }
  }
}
