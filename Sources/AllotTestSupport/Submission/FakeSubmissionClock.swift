import AllotCore

/// Virtual time: `sleep(until:)` jumps there at once, so tests of backoff and verification run instantly.
public actor FakeSubmissionClock: SubmissionClock {
  public private(set) var current: Double
  public private(set) var sleeps: [Double] = []

  public init(start: Double = 1_700_000_000) {
    current = start
  }

  public func now() async -> Double { current }

  public func sleep(until deadline: Double) async throws {
    try Task.checkCancellation()
    sleeps.append(deadline)
    if deadline > current { current = deadline }
    await Task.yield()
  }

  public func advance(by seconds: Double) {
    current += seconds
  }
}

/// Jitter from a fixed list (cycled); `[0.5]` gives half windows.
public struct FixedJitter: JitterSource {
  let values: [Double]
  let counter = Counter()
  public init(_ values: [Double]) {
    self.values = values.isEmpty ? [0.5] : values
  }
  public func unit() async -> Double {
    let i = await counter.next()
    return values[i % values.count]
  }

  actor Counter {
    var n = 0
    func next() -> Int {
      defer { n += 1 }
      return n
    }
  }
}
