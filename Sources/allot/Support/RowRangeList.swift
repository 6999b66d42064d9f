/// `5,9-12` → [5...5, 9...12].
enum RowRangeList {
  static func parse(_ text: String) -> [ClosedRange<Int>]? {
    var ranges: [ClosedRange<Int>] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let p = part.filter { $0 != " " }
      if p.isEmpty { return nil }
      let ends = p.split(separator: "-", omittingEmptySubsequences: false)
      switch ends.count {
      case 1:
        guard let n = Int(ends[0]), n > 0 else { return nil }
        ranges.append(n...n)
      case 2:
        guard let a = Int(ends[0]), let b = Int(ends[1]), a > 0, a <= b else { return nil }
        ranges.append(a...b)
      default:
        return nil
      }
    }
    return ranges
  }
}
