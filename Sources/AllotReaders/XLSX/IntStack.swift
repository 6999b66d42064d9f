/// A stack of integers without Array's uniqueness and exclusivity checks (the scanner's hot path).
final class IntStack {
  @exclusivity(unchecked) private var base = UnsafeMutablePointer<Int>.allocate(capacity: 64)
  @exclusivity(unchecked) private var capacity = 64
  @exclusivity(unchecked) private(set) var count = 0

  deinit { base.deallocate() }

  var isEmpty: Bool { count == 0 }
  var last: Int? { count > 0 ? base[count - 1] : nil }

  subscript(i: Int) -> Int { base[i] }

  @inline(__always) func append(_ value: Int) {
    if count == capacity {
      let bigger = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 2)
      bigger.update(from: base, count: count)
      base.deallocate()
      base = bigger
      capacity *= 2
    }
    base[count] = value
    count += 1
  }

  @inline(__always) func removeLast() { count -= 1 }

  @inline(__always) func truncate(to n: Int) { count = min(count, n) }
}
