import NIOCore
import NIOEmbedded
import Testing

@testable import AllotHTTP

@Suite struct FlushCoalescerTests {
  private func written(_ channel: EmbeddedChannel) throws -> [String] {
    var out: [String] = []
    while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
      out.append(String(buffer: buffer))
    }
    return out
  }

  @Test func flushesOfOneTickLeaveTogetherAtItsEnd() throws {
    let channel = EmbeddedChannel(handler: FlushCoalescer())
    channel.write(ByteBuffer(string: "POST / HTTP/1.1\r\n\r\n"), promise: nil)
    channel.flush()
    channel.write(ByteBuffer(string: "{}"), promise: nil)
    channel.flush()
    // Nothing has reached the socket within the tick…
    #expect(try written(channel).isEmpty)
    channel.embeddedEventLoop.run()
    // …then both writes, in order, from one flush.
    #expect(try written(channel) == ["POST / HTTP/1.1\r\n\r\n", "{}"])
    #expect(try channel.finish().isClean)
  }

  @Test func eachTickGetsItsOwnFlush() throws {
    let channel = EmbeddedChannel(handler: FlushCoalescer())
    for n in 1...3 {
      channel.write(ByteBuffer(string: "request \(n)"), promise: nil)
      channel.flush()
      channel.embeddedEventLoop.run()
      #expect(try written(channel) == ["request \(n)"])
    }
    #expect(try channel.finish().isClean)
  }

  @Test func clientsSendNoTraces() {
    let configuration = makeHTTPClientConfiguration(
      connectTimeout: .seconds(1), retryConnectionEstablishment: false, maxConnections: 4)
    #expect(configuration.tracing.tracer == nil)
    #expect(configuration.http1_1ConnectionDebugInitializer != nil)
  }
}
