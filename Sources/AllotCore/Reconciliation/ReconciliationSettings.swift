/// How close a payment must be to count, and when.
public struct ReconciliationSettings: Sendable, Hashable {
  /// Allowed difference between paid and expected: a percentage of the expected amount or an absolute
  /// amount in the payout's currency.
  public enum Tolerance: Sendable, Hashable, CustomStringConvertible {
    case percent(ExactDecimal)
    case absolute(ExactDecimal)

    /// Parses `0.5%` (percent) or `0.01` (absolute); nil for anything else or a negative value.
    public init?(_ text: String) {
      var t = AsciiText.trimmed(text)
      var isPercent = false
      if t.hasSuffix("%") {
        isPercent = true
        t = AsciiText.trimmed(String(t.dropLast()))
      }
      guard let v = ExactDecimal(t), !v.isNegative else { return nil }
      self = isPercent ? .percent(v) : .absolute(v)
    }

    /// `0.5 %` or `0.01`.
    public var description: String {
      switch self {
      case .percent(let p): return "\(p.canonical) %"
      case .absolute(let a): return a.canonical
      }
    }

    /// The form accepted by `--tolerance`: `0.5%` or `0.01`.
    public var argument: String {
      switch self {
      case .percent(let p): return "\(p.canonical)%"
      case .absolute(let a): return a.canonical
      }
    }

    /// True when `|paid - expected|` is within the tolerance (exact arithmetic; false on overflow).
    public func accepts(paid: ExactDecimal, expected: ExactDecimal) -> Bool {
      guard let diff = paid.subtracting(expected)?.magnitude else { return false }
      switch self {
      case .absolute(let a): return diff <= a
      case .percent(let p):
        guard let lhs = diff.multiplied(by: ExactDecimal(100)),
          let rhs = expected.magnitude.multiplied(by: p)
        else { return false }
        return lhs <= rhs
      }
    }

    public var isZero: Bool {
      switch self {
      case .percent(let v), .absolute(let v): return v.isZero
      }
    }
  }

  public var tolerance: Tolerance
  /// How many days before or after the due date a transaction may be and still be matched by the
  /// tolerance, split and wallet rules; also the grace period before an unpaid payout is `missing`.
  public var windowDays: Int
  /// The day of the reconciliation: payouts due (plus window) before it and not paid are `missing`.
  public var asOf: CalendarDay
  /// Split search bounds: at most this many candidate transactions per payout ...
  public var maxSplitCandidates: Int
  /// ... combined in groups of at most this many.
  public var maxSplitParts: Int

  public init(
    tolerance: Tolerance = .percent(ExactDecimal(significand: 5, scale: 1)), windowDays: Int = 7,
    asOf: CalendarDay, maxSplitCandidates: Int = 12, maxSplitParts: Int = 4
  ) {
    self.tolerance = tolerance
    self.windowDays = max(0, windowDays)
    self.asOf = asOf
    self.maxSplitCandidates = max(2, maxSplitCandidates)
    self.maxSplitParts = max(2, maxSplitParts)
  }

  /// Parses `7d`, `7`, `2w`; nil otherwise.
  public static func windowDays(_ text: String) -> Int? {
    var t = AsciiText.lowercased(AsciiText.trimmed(text))
    var factor = 1
    if t.hasSuffix("d") {
      t.removeLast()
    } else if t.hasSuffix("w") {
      t.removeLast()
      factor = 7
    }
    guard !t.isEmpty, t.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), t.utf8.count <= 5, let n = Int(t) else {
      return nil
    }
    return n * factor
  }
}
