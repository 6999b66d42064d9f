import AllotCore
import ArgumentParser

/// Options shared by `validate` and `import`: how columns map to Magna fields and the whole-file values.
struct ValidationOptionsGroup: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "A JSON file mapping header text to Magna fields, e.g. {\"Grant\": \"amount\", \"Notes\": \"ignore\"}.",
      valueName: "FILE"))
  var mapping: String?

  @Option(
    help: ArgumentHelp(
      "The row that holds the headers (default: found automatically below title rows).", valueName: "ROW"))
  var headerRow: Int?

  @Option(help: ArgumentHelp("Contract id for every row that has none.", valueName: "UUID"))
  var contractId: String?

  @Option(help: ArgumentHelp("Token id for every row that has none.", valueName: "UUID"))
  var tokenId: String?

  @Option(help: "Category for every row that has none.")
  var category: String?

  @Option(help: "Release mode for every row that has none (LINEAR or CLIFF).")
  var releaseMode: String?

  @Option(help: ArgumentHelp("Most fractional digits accepted in an amount.", valueName: "N"))
  var maxDecimals: Int = 18

  @Option(
    help: ArgumentHelp("Accept this release mode besides LINEAR and CLIFF (repeatable).", valueName: "MODE"))
  var allowReleaseMode: [String] = []
}
