import NIOCore

/// Sits next to the socket and turns the flushes of one event-loop tick into one.
///
/// AsyncHTTPClient flushes a request's head, then its body, each on its own, so every request costs
/// two socket writes (and on loopback two passes through the receiver's TCP stack). Deferring the
/// flush to the end of the tick lets both leave in one `writev`. Nothing is held longer than the
/// current tick, so no request waits on another.
final class FlushCoalescer: ChannelOutboundHandler {
  typealias OutboundIn = IOData
  typealias OutboundOut = IOData

  private var flushScheduled = false

  func flush(context: ChannelHandlerContext) {
    guard !flushScheduled else { return }
    flushScheduled = true
    context.eventLoop.assumeIsolated().execute {
      self.flushScheduled = false
      context.flush()
    }
  }
}
