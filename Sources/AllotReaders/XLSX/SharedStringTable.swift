/// The shared strings loaded so far, in order, as whole segments of ``segmentSize`` strings (the last
/// one partial once the table is complete). The loader publishes a new value each time a segment is
/// full, so a reader's copy never shares a buffer the loader still writes to.
struct SharedStringTable: Sendable {
  static let segmentBits = 15
  static let segmentSize = 1 << segmentBits

  private(set) var segments: [[String]] = []
  private(set) var count = 0
  /// Every string of the part is here.
  var complete = false

  init() {}

  /// A complete table of `strings`.
  init(_ strings: [String]) {
    var start = 0
    while start < strings.count {
      let end = min(strings.count, start + Self.segmentSize)
      append(segment: Array(strings[start..<end]))
      start = end
    }
    complete = true
  }

  subscript(index: Int) -> String {
    segments[index >> Self.segmentBits][index & (Self.segmentSize - 1)]
  }

  /// Adds the next segment: exactly ``segmentSize`` strings, except the last one of the table.
  mutating func append(segment: [String]) {
    guard !segment.isEmpty else { return }
    segments.append(segment)
    count += segment.count
  }
}
