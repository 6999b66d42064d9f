/// `cancellable` and `releaseMode`.
public enum CancellableRule {
  /// true/false/yes/no/y/n/1/0 in any case, or a boolean cell.
  public static func check(_ text: String) -> Result<Bool, FieldProblem> {
    switch text.utf8.count {
    case 1:
      switch text.utf8.first.map(TextScan.lower) {
      case UInt8(ascii: "1"), UInt8(ascii: "y"): return .success(true)
      case UInt8(ascii: "0"), UInt8(ascii: "n"): return .success(false)
      default: break
      }
    default:
      if TextScan.equalsLowercased(text, "true") || TextScan.equalsLowercased(text, "yes") {
        return .success(true)
      }
      if TextScan.equalsLowercased(text, "false") || TextScan.equalsLowercased(text, "no") {
        return .success(false)
      }
    }
    return .failure(
      .error(
        "cancellable.invalid",
        "Cancellable must be true or false (also yes/no, 1/0); found \(TextScan.shown(text)). Leave it empty for Magna's default (true)."
      ))
  }
}

public enum ReleaseModeRule {
  public static let defaultModes = ["LINEAR", "CLIFF"]

  /// The upper-case mode when it is one of `allowed` (compared without regard to case).
  public static func check(_ text: String, allowed: [String]) -> Result<String, FieldProblem> {
    let upper = TextScan.asciiUppercased(text)
    for mode in allowed where mode == upper { return .success(mode) }
    return .failure(
      .error(
        "releaseMode.invalid",
        "Release mode must be one of \(allowed.joined(separator: ", ")) (found \(TextScan.shown(text)))."))
  }
}
