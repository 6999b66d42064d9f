import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Renders rows `0..<count` in slices on every core and hands the slices to `write` in row order; the
/// slices of one batch are written while the next batch renders, so memory stays at two batches.
enum SliceRenderer {
  static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  static func run<Output>(
    count: Int, sliceRows: Int, render: (Range<Int>) -> Output,
    write: (Output) throws(ReportError) -> Void
  ) throws(ReportError) {
    let slices = (count + sliceRows - 1) / sliceRows
    if slices <= 1 {
      if count > 0 { try write(render(0..<count)) }
      return
    }
    let batch = min(16, cores * 2)
    let result: Result<Void, ReportError> = withoutActuallyEscaping(render) { render in
      withoutActuallyEscaping(write) { write in
        let state = State(render: render, write: write)
        var next = 0
        while next < slices || !state.previous.isEmpty {
          let end = min(slices, next + batch)
          state.start(first: next, count: end - next)
          let n = end - next
          let writing = !state.previous.isEmpty
          DispatchQueue.concurrentPerform(iterations: n + (writing ? 1 : 0)) { k in
            if k == n {
              state.writePrevious()
            } else {
              let start = (state.first + k) * sliceRows
              state.store(k, state.render(start..<min(count, start + sliceRows)))
            }
          }
          if let failure = state.failure { return .failure(failure) }
          state.finishBatch()
          next = end
        }
        return .success(())
      }
    }
    try result.get()
  }

  /// What the workers share: each slot is written by one worker, `previous` only by the writer.
  private final class State<Output>: @unchecked Sendable {
    let render: (Range<Int>) -> Output
    let write: (Output) throws(ReportError) -> Void
    private(set) var slots = UnsafeMutableBufferPointer<Output?>(start: nil, count: 0)
    var previous: [Output] = []
    var first = 0
    var failure: ReportError? = nil

    deinit {
      if slots.baseAddress != nil {
        slots.deinitialize()
        slots.deallocate()
      }
    }

    init(render: @escaping (Range<Int>) -> Output, write: @escaping (Output) throws(ReportError) -> Void) {
      self.render = render
      self.write = write
    }

    func start(first: Int, count: Int) {
      self.first = first
      slots = .allocate(capacity: count)
      slots.initialize(repeating: nil)
    }

    /// Called concurrently for distinct `k`: only reads `slots` (the pointer), writes one element.
    func store(_ k: Int, _ output: Output) { slots[k] = output }

    func writePrevious() {
      do throws(ReportError) {
        for output in previous { try write(output) }
      } catch {
        failure = error
      }
    }

    func finishBatch() {
      previous = slots.map { $0! }
      slots.deinitialize()
      slots.deallocate()
      slots = UnsafeMutableBufferPointer(start: nil, count: 0)
    }
  }
}
