import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Renders rows `0..<count` in slices on every core and hands the slices to `write` in row order. The
/// writing runs on a thread of its own while the next batch renders: `write` mostly waits for the disk
/// (the report files are written with O_DIRECT), and a core held by a waiting writer would leave only
/// the others to render. Memory stays at about three batches: one rendering, one waiting, one writing.
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
        let writer = DispatchQueue(label: "allot.report-writer")
        // Signalled when the writer has no batch: at most one batch is written at a time.
        let idle = DispatchSemaphore(value: 1)
        var next = 0
        while next < slices {
          let end = min(slices, next + batch)
          state.start(first: next, count: end - next)
          DispatchQueue.concurrentPerform(iterations: end - next) { k in
            let start = (state.first + k) * sliceRows
            state.store(k, state.render(start..<min(count, start + sliceRows)))
          }
          idle.wait()
          if let failure = state.failure {
            idle.signal()
            writer.sync {}
            return .failure(failure)
          }
          state.finishBatch()
          writer.async {
            state.writePending()
            idle.signal()
          }
          next = end
        }
        // `write` must not be called, nor `state` (which holds it) be kept, once `run` returns: wait for
        // the last batch, then for the writer to have let go of its block (a semaphore, for its part,
        // must be back at its initial value when it is released).
        idle.wait()
        idle.signal()
        writer.sync {}
        return state.failure.map { .failure($0) } ?? .success(())
      }
    }
    try result.get()
  }

  /// What the threads share: each slot is written by one renderer, `pending` is set by the loop while
  /// the writer is idle and read by the writer, `failure` is set by the writer and read by the loop
  /// after the writer signalled.
  private final class State<Output>: @unchecked Sendable {
    let render: (Range<Int>) -> Output
    let write: (Output) throws(ReportError) -> Void
    private(set) var slots = UnsafeMutableBufferPointer<Output?>(start: nil, count: 0)
    private var pending: [Output] = []
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

    /// On the writer's thread: writes the batch handed over by `finishBatch()`, then lets it go.
    func writePending() {
      do throws(ReportError) {
        for output in pending { try write(output) }
      } catch {
        failure = error
      }
      pending = []
    }

    /// Hands the rendered batch to the writer (call only while the writer is idle).
    func finishBatch() {
      pending = slots.map { $0! }
      slots.deinitialize()
      slots.deallocate()
      slots = UnsafeMutableBufferPointer(start: nil, count: 0)
    }
  }
}
