import NIOCore

/// Runs the in-process sandbox's tasks on one of NIO's event-loop threads instead of Swift's cooperative
/// pool.
///
/// The process that hosts ``withSandbox(_:isolation:_:)-(_,_,(SandboxInfo)->Result)`` (a test run, say)
/// may keep every thread of that pool busy with work of its own; a server whose handlers wait for a free
/// pool thread then answers seconds late and its clients time out. On an event-loop thread the handlers
/// run as soon as their I/O completes.
final class HandlerExecutor: TaskExecutor {
  static let shared = HandlerExecutor(NIOSingletons.posixEventLoopGroup.next())

  let loop: any EventLoop

  init(_ loop: any EventLoop) {
    self.loop = loop
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    loop.execute { job.runSynchronously(on: executor) }
  }
}
