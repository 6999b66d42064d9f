/// A problem with one value, before it is placed at a row and column (see `Issue`).
public struct FieldProblem: Error, Sendable, Hashable {
  public var severity: Severity
  public var code: String
  public var message: String

  public init(_ severity: Severity, _ code: String, _ message: String) {
    self.severity = severity
    self.code = code
    self.message = message
  }

  static func error(_ code: String, _ message: String) -> FieldProblem { FieldProblem(.error, code, message) }
  static func warning(_ code: String, _ message: String) -> FieldProblem {
    FieldProblem(.warning, code, message)
  }
}

/// The outcome of a field rule: the normalised value to send (nil when the cell is empty or an error
/// blocks it) and any problems (warnings may come with a value).
public struct FieldOutcome<Value: Sendable>: Sendable {
  public var value: Value?
  public var problems: [FieldProblem]

  public init(value: Value?, problems: [FieldProblem] = []) {
    self.value = value
    self.problems = problems
  }

  static func ok(_ value: Value) -> FieldOutcome { FieldOutcome(value: value) }
  static var empty: FieldOutcome { FieldOutcome(value: nil) }
  static func error(_ code: String, _ message: String) -> FieldOutcome {
    FieldOutcome(value: nil, problems: [.error(code, message)])
  }

  public var hasError: Bool { problems.contains { $0.severity == .error } }
}
