import NIOCore

/// Runs Swift tasks on one NIO event loop. A task that prefers it (`withTaskExecutorPreference`) and talks
/// to an `HTTPClient` on the same loop is resumed where its I/O completes, with no hop between threads.
public final class EventLoopTaskExecutor: TaskExecutor {
  public let loop: any EventLoop

  public init(_ loop: any EventLoop) {
    self.loop = loop
  }

  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    loop.execute { job.runSynchronously(on: executor) }
  }
}
