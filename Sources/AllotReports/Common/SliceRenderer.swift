import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Renders rows `0..<count` in slices on every core and hands the slices to `write` in row order, on a
/// thread of its own: `write` mostly waits for the disk (the report files are written with O_DIRECT),
/// and a core held by a waiting writer would leave only the others to render.
///
/// A pipeline, not batches: each renderer takes the next slice as soon as it has finished one, and the
/// writer writes each slice as soon as the ones before it are written. Batches separated by a barrier
/// (every core rendering a batch, then waiting for the slowest slice and for the writer) left a core idle
/// a third of the time on two cores. Memory stays bounded: a slice is started only while fewer than
/// `ahead` slices are rendered or rendering and not yet written.
enum SliceRenderer {
  static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  /// At most this many slices are rendering or rendered and not yet written.
  static func ahead(renderers: Int) -> Int { max(4, renderers * 4) }

  static func run<Output>(
    count: Int, sliceRows: Int, render: (Range<Int>) -> Output,
    write: (Output) throws(ReportError) -> Void
  ) throws(ReportError) {
    try run(count: count, sliceRows: sliceRows, render: { range, _ in render(range) }, write: write)
  }

  /// The same, handing `render` the output of a slice already written (nil for the first ones) to
  /// render into again: the buffers of a few slices serve them all. Fresh buffers for each slice were
  /// blocks the allocator gave back to the system once written, and mapped, faulted in and zeroed again
  /// for the next slice (30,000 page faults for a million payouts).
  static func run<Output>(
    count: Int, sliceRows: Int, render: (Range<Int>, Output?) -> Output,
    write: (Output) throws(ReportError) -> Void
  ) throws(ReportError) {
    let slices = (count + sliceRows - 1) / sliceRows
    if slices <= 1 {
      if count > 0 { try write(render(0..<count, nil)) }
      return
    }
    let renderers = min(cores, slices)
    let ahead = Self.ahead(renderers: renderers)
    let result: Result<Void, ReportError> = withoutActuallyEscaping(render) { render in
      withoutActuallyEscaping(write) { write in
        let state = State(slices: slices, ahead: ahead, render: render, write: write)
        let writer = DispatchQueue(label: "allot.report-writer")
        writer.async { state.writeAll() }
        DispatchQueue.concurrentPerform(iterations: renderers) { _ in
          state.renderUntilDone(count: count, sliceRows: sliceRows)
        }
        // `write` must not be called, nor `state` (which holds it) be kept, once `run` returns: wait for
        // the writer to have let go of its block.
        writer.sync {}
        return state.failure.map { .failure($0) } ?? .success(())
      }
    }
    try result.get()
  }

  /// What the threads share. A slice's slot (`index % ahead`) is written by the renderer that took the
  /// slice and read by the writer after the slot's `ready` signal; its spare is set by the writer once
  /// the slice is written, before it gives the room back, and taken by the renderer of the slice
  /// `ahead` later, which got that room (the slices in flight are `ahead` consecutive ones at most, so
  /// no two share a slot); `next` and `stopped` are read and written under `lock`; `failure` is set by
  /// the writer before it sets `stopped`.
  private final class State<Output>: @unchecked Sendable {
    let render: (Range<Int>, Output?) -> Output
    let write: (Output) throws(ReportError) -> Void
    let slices: Int
    let ahead: Int
    private let slots: UnsafeMutableBufferPointer<Output?>
    /// The written output of each slot's last slice, for its next one to render into.
    private let spares: UnsafeMutableBufferPointer<Output?>
    /// Signalled by a renderer when the slot holds its slice.
    private let ready: [DispatchSemaphore]
    /// How many more slices may be started: taken by a renderer before it takes a slice, given back by
    /// the writer once a slice is written.
    private let room: DispatchSemaphore
    private let lock = DispatchSemaphore(value: 1)
    private var next = 0
    private var stopped = false
    var failure: ReportError? = nil

    init(
      slices: Int, ahead: Int, render: @escaping (Range<Int>, Output?) -> Output,
      write: @escaping (Output) throws(ReportError) -> Void
    ) {
      self.slices = slices
      self.ahead = ahead
      self.render = render
      self.write = write
      slots = .allocate(capacity: ahead)
      slots.initialize(repeating: nil)
      spares = .allocate(capacity: ahead)
      spares.initialize(repeating: nil)
      ready = (0..<ahead).map { _ in DispatchSemaphore(value: 0) }
      room = DispatchSemaphore(value: ahead)
    }

    /// Every semaphore is back at its initial value by now (libdispatch traps otherwise): each slice
    /// started took room and was signalled ready once, and the writer waited for it and gave the room
    /// back, written or (after a failure) dropped.
    deinit {
      slots.deinitialize()
      slots.deallocate()
      spares.deinitialize()
      spares.deallocate()
    }

    /// One renderer: takes slices in order until there are none left (or the writer failed). Taking
    /// room before the index keeps the slices that hold room the lowest ones not yet written, so the
    /// writer always gets the slice it waits for.
    func renderUntilDone(count: Int, sliceRows: Int) {
      while true {
        room.wait()
        lock.wait()
        let index = next
        let done = stopped || index >= slices
        if !done { next += 1 }
        lock.signal()
        if done {
          room.signal()  // for the next renderer to see the end too
          return
        }
        let start = index * sliceRows
        let slot = index % ahead
        slots[slot] = render(start..<min(count, start + sliceRows), spares[slot].take())
        ready[slot].signal()
      }
    }

    /// The writer: every slice in order, then done; on a failed write, stops the renderers (slices
    /// already started still finish, and are dropped).
    func writeAll() {
      for index in 0..<slices {
        ready[index % ahead].wait()
        let output = slots[index % ahead].take()!
        do throws(ReportError) {
          try write(output)
          spares[index % ahead] = output
        } catch {
          failure = error
          lock.wait()
          stopped = true
          let started = next
          lock.signal()
          // Wait for the slices started after this one, so that no renderer is left writing a slot.
          for later in (index + 1)..<started {
            ready[later % ahead].wait()
            slots[later % ahead] = nil
            room.signal()
          }
          room.signal()
          return
        }
        room.signal()
      }
    }
  }
}
