/// The bounded search behind the split rule: groups of 2…`maxParts` amounts (from at most a dozen
/// candidates) whose sum is the target, exactly or within tolerance.
enum SplitSearch {
  /// Up to two groups (indices into `amounts`, ascending), exact sums first; more than one group means
  /// the split is ambiguous.
  static func search(
    amounts: [ExactDecimal], target: ExactDecimal, tolerance: ReconciliationSettings.Tolerance,
    maxParts: Int
  ) -> [[Int]] {
    var exact: [[Int]] = []
    var close: [[Int]] = []
    let n = amounts.count
    var chosen: [Int] = []
    func visit(start: Int, sum: ExactDecimal) {
      if exact.count >= 2 { return }
      if chosen.count >= 2 {
        if sum == target {
          exact.append(chosen)
        } else if close.count < 2 && tolerance.accepts(paid: sum, expected: target) {
          close.append(chosen)
        }
      }
      if chosen.count == maxParts { return }
      var i = start
      while i < n {
        guard let next = sum.adding(amounts[i]) else { return }
        chosen.append(i)
        visit(start: i + 1, sum: next)
        chosen.removeLast()
        i += 1
      }
    }
    visit(start: 0, sum: .zero)
    return exact.isEmpty ? close : exact
  }
}
