import Dispatch
import Testing

@testable import AllotReports

#if canImport(Glibc)
  import Glibc
#endif

/// Slices render on every core and are written on a thread of their own: every row is written once, in
/// order, whatever the number of slices and batches; a write that fails stops the writing and surfaces
/// as the run's error.
@Suite("Slice renderer")
struct SliceRendererTests {
  @Test(arguments: [0, 1, 6, 7, 8, 100, 1_000, 12_345])
  func writesEveryRowOnceInOrder(count: Int) throws {
    var written: [Int] = []
    var writes = 0
    try SliceRenderer.run(count: count, sliceRows: 7) { range in
      Array(range)
    } write: { (rows: [Int]) throws(ReportError) in
      written.append(contentsOf: rows)
      writes += 1
    }
    #expect(written == Array(0..<count))
    #expect(writes == (count + 6) / 7)
  }

  /// A slice renders into the output of one already written: a few outputs serve every slice, each
  /// only once its slice is written, and the rows still come out once each, in order.
  @Test func writtenOutputsAreRenderedIntoAgain() throws {
    final class Buffer: @unchecked Sendable {
      var rows: [Int] = []
      var writing = false
    }
    let made = DispatchSemaphore(value: 1)
    var buffers = 0
    var written: [Int] = []
    var reusedWhileWriting = false
    try SliceRenderer.run(count: 5_000, sliceRows: 10) { (range, spare: Buffer?) in
      let buffer: Buffer
      if let spare {
        if spare.writing { reusedWhileWriting = true }
        buffer = spare
      } else {
        made.wait()
        buffers += 1
        made.signal()
        buffer = Buffer()
      }
      buffer.rows = Array(range)
      return buffer
    } write: { (buffer: Buffer) throws(ReportError) in
      buffer.writing = true
      written.append(contentsOf: buffer.rows)
      buffer.writing = false
    }
    #expect(written == Array(0..<5_000))
    #expect(!reusedWhileWriting)
    #expect(buffers <= SliceRenderer.ahead(renderers: SliceRenderer.cores))
  }

  @Test func aFailedWriteStopsTheWritingAndIsThrown() {
    let failure = ReportError(path: "/tmp/report.csv", message: "No space left on device")
    var written: [Int] = []
    #expect(throws: failure) {
      try SliceRenderer.run(count: 10_000, sliceRows: 10) { range in
        Array(range)
      } write: { (rows: [Int]) throws(ReportError) in
        if rows.first == 3_000 { throw failure }
        written.append(contentsOf: rows)
      }
    }
    // Everything before the failing slice, and nothing after it.
    #expect(written == Array(0..<3_000))
  }

  /// Rendering goes on while a batch is written: a writer slower than the renderers still gets every
  /// slice, in order (and the run waits for it before returning).
  @Test func aSlowWriterGetsEverySliceBeforeTheRunReturns() throws {
    var done = 0
    var last = -1
    var ordered = true
    try SliceRenderer.run(count: 2_000, sliceRows: 50) { range in
      range
    } write: { (range: Range<Int>) throws(ReportError) in
      if range.lowerBound != last + 1 { ordered = false }
      last = range.upperBound - 1
      if range.lowerBound % 500 == 0 { usleep(2_000) }
      done += range.count
    }
    #expect(ordered)
    #expect(done == 2_000)
  }

  /// Renderers faster than the writer stay at most `ahead` slices in front of it (the memory bound),
  /// and a slice that renders slowly holds up only the writing, not the other renderers.
  @Test func renderingStaysAFewSlicesAheadOfTheWriter() throws {
    final class Counts: @unchecked Sendable {
      let lock = DispatchSemaphore(value: 1)
      var started = 0
      var written = 0
      var mostAhead = 0
    }
    let counts = Counts()
    var order: [Int] = []
    try SliceRenderer.run(count: 400, sliceRows: 1) { range in
      counts.lock.wait()
      counts.started += 1
      counts.mostAhead = max(counts.mostAhead, counts.started - counts.written)
      counts.lock.signal()
      if range.lowerBound % 50 == 7 { usleep(3_000) }
      return range.lowerBound
    } write: { (index: Int) throws(ReportError) in
      usleep(100)
      order.append(index)
      counts.lock.wait()
      counts.written += 1
      counts.lock.signal()
    }
    #expect(order == Array(0..<400))
    #expect(counts.mostAhead <= SliceRenderer.ahead(renderers: SliceRenderer.cores))
    #expect(counts.mostAhead > 1)
  }

  /// Many short runs, each ending just as its writer signals that the last batch is written: the run
  /// must not return while the writer still holds the closures it was lent (the runtime traps when a
  /// `withoutActuallyEscaping` closure outlives its block).
  @Test func runsEndOnlyOnceTheWriterLetGo() throws {
    var total = 0
    for _ in 0..<2_000 {
      try SliceRenderer.run(count: 24, sliceRows: 1) { range in
        range.count
      } write: { (n: Int) throws(ReportError) in
        total += n
      }
    }
    #expect(total == 48_000)
  }
}
