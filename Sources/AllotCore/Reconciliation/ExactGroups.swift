/// What the exact stage finds in a range of payouts: each group's first payout with its candidates
/// (sorted), and the whole group when it has more than that payout.
struct ExactGroups {
  var payouts: [Int32] = []
  /// `candidateEnds[k]`: where the candidates of `payouts[k]` end in `allCandidates`.
  var candidateEnds: [Int] = []
  var allCandidates: [Int32] = []
  var groups: [Int32: [Int]] = [:]

  mutating func append(payout e: Int, candidates: [Int32], group: [Int]) {
    payouts.append(Int32(e))
    allCandidates.append(contentsOf: candidates)
    candidateEnds.append(allCandidates.count)
    if group.count > 1 { groups[Int32(e)] = group }
  }

  func candidates(_ k: Int) -> ArraySlice<Int32> {
    allCandidates[(k == 0 ? 0 : candidateEnds[k - 1])..<candidateEnds[k]]
  }
}
