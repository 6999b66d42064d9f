import ArgumentParser

@main
struct Allot: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "allot",
    abstract: "Validate, submit and reconcile token allocation spreadsheets with Magna and Magma.",
    subcommands: [DemoCommand.self, ValidateCommand.self, InspectCommand.self, TemplateCommand.self, SandboxCommand.self,
      ImportCommand.self, SubmitCommand.self, StatusCommand.self, RetryCommand.self, ResolveCommand.self, ReconcileCommand.self,
    ]
  )
}
