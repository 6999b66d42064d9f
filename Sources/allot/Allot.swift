import ArgumentParser

@main
struct Allot: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "allot",
    abstract: "Validate, submit and reconcile token allocation spreadsheets with Magna and Magma.",
    subcommands: []
  )
}
