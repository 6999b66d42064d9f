import AllotCore
import Foundation
import Testing

@testable import AllotHTTP

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the client makes of answers the sandbox never gives: a head whose body is cut off, a body over the
/// size limit, and a request whose task is cancelled while it waits.
@Suite("Magna client on a raw socket")
struct MagnaClientTransportTests {
  func configuration(
    _ server: RawHTTPServer, timeout: Duration = .seconds(20), maxResponseBytes: Int = 8 << 20
  )
    throws -> MagnaClientConfiguration
  {
    try MagnaClientConfiguration(
      baseURL: "http://127.0.0.1:\(server.port)/api/external/v1", token: APISecret("t0ken-raw"),
      requestTimeout: timeout, connectTimeout: .seconds(2), maxResponseBytes: maxResponseBytes)
  }

  /// `started`: sent the engine's way (``MagnaClient/startCreateAllocation(body:completion:)``), whose
  /// answer is classified as the awaited one is.
  @Test(arguments: [false, true])
  func aBodyCutOffAfterTheHeadIsUncertainWithItsStatus(started: Bool) async throws {
    let server = try RawHTTPServer { fd in
      RawHTTPServer.send(
        fd, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"isPro")
      return true
    }
    defer { server.stop() }
    try await withMagnaClient(try configuration(server)) { client in
      let body = Array(#"{"amount":"1"}"#.utf8)
      let outcome: CreateOutcome
      if started {
        outcome = await withCheckedContinuation { continuation in
          _ = client.startCreateAllocation(body: body) { continuation.resume(returning: $0) }
        }
      } else {
        outcome = await client.createAllocation(body: body)
      }
      guard case .uncertain(201?, let reason) = outcome else {
        Issue.record("expected uncertain 201, got \(outcome)")
        return
      }
      #expect(reason.hasPrefix("HTTP 201, then "))
    }
  }

  @Test func aBodyOverTheLimitIsUncertainAndNamed() async throws {
    let server = try RawHTTPServer { fd in
      let body = String(repeating: "x", count: 4096)
      RawHTTPServer.send(fd, "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
      return true
    }
    defer { server.stop() }
    try await withMagnaClient(try configuration(server, maxResponseBytes: 1024)) { client in
      let outcome = await client.createAllocation(body: Array(#"{"amount":"1"}"#.utf8))
      #expect(outcome == .uncertain(status: 200, reason: "HTTP 200, then response body too large"))
    }
  }

  /// Cancelled long before its deadline (two minutes), the request ends as cancelled, not timed out.
  @Test func aCancelledRequestEndsBeforeItsDeadlineAsUncertain() async throws {
    let server = try RawHTTPServer { _ in false }  // reads the request and never answers
    defer { server.stop() }
    try await withMagnaClient(try configuration(server, timeout: .seconds(120))) { client in
      let started = ContinuousClock.now
      let waiting = Task { await client.createAllocation(body: Array(#"{"amount":"1"}"#.utf8)) }
      while server.requests == 0, ContinuousClock.now - started < .seconds(60) {
        try await Task.sleep(for: .milliseconds(10))
      }
      #expect(server.requests == 1)
      waiting.cancel()
      let outcome = await waiting.value
      #expect(outcome == .uncertain(status: nil, reason: "request cancelled while in flight"))
      #expect(ContinuousClock.now - started < .seconds(120))
    }
  }
}

extension MagnaClientTransportTests {
  /// The engine's way of sending: the outcome comes to a callback, and the handle cancels the request.
  @Test func aStartedRequestCancelledByItsHandleEndsAsUncertain() async throws {
    let server = try RawHTTPServer { _ in false }  // reads the request and never answers
    defer { server.stop() }
    try await withMagnaClient(try configuration(server, timeout: .seconds(120))) { client in
      let started = ContinuousClock.now
      let outcome = await withCheckedContinuation {
        (continuation: CheckedContinuation<CreateOutcome, Never>) in
        let handle = client.startCreateAllocation(body: Array(#"{"amount":"1"}"#.utf8)) {
          continuation.resume(returning: $0)
        }
        Task {
          while server.requests == 0, ContinuousClock.now - started < .seconds(60) {
            try await Task.sleep(for: .milliseconds(10))
          }
          handle.cancel()
        }
      }
      #expect(server.requests == 1)
      #expect(outcome == .uncertain(status: nil, reason: "request cancelled while in flight"))
      #expect(ContinuousClock.now - started < .seconds(120))
    }
  }

  /// A started create past its deadline (`RequestDeadlines`, one timer for the client's requests) is
  /// uncertain, as an awaited one is; a second one, started later, is failed at its own deadline by the
  /// timer set again; and nothing stays watched.
  @Test func startedRequestsPastTheirDeadlinesEndAsUncertain() async throws {
    let server = try RawHTTPServer { _ in false }  // reads the request and never answers
    defer { server.stop() }
    try await withMagnaClient(try configuration(server, timeout: .milliseconds(400))) { client in
      let start = { @Sendable () async -> (CreateOutcome, Duration) in
        let started = ContinuousClock.now
        let outcome = await withCheckedContinuation { (c: CheckedContinuation<CreateOutcome, Never>) in
          let handle = client.startCreateAllocation(body: Array(#"{"amount":"1"}"#.utf8)) {
            c.resume(returning: $0)
          }
          // A deadline missed fails the test (the outcome says cancelled) rather than hanging it. Generous:
          // under the whole suite's load an answer may wait seconds for a thread.
          Task {
            try await Task.sleep(for: .seconds(60))
            handle.cancel()
          }
        }
        return (outcome, ContinuousClock.now - started)
      }
      async let first = start()
      try await Task.sleep(for: .milliseconds(250))
      async let second = start()
      for (outcome, elapsed) in await [first, second] {
        #expect(outcome == .uncertain(status: nil, reason: "request deadline passed before an answer came"))
        #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(60), "\(elapsed)")
      }
      #expect(server.requests == 2)
      #expect(client.deadlines.count == 0)
    }
  }

  /// Answered creates leave nothing watched, and the awaited create keeps AsyncHTTPClient's deadline.
  @Test func answeredRequestsAreForgotten() async throws {
    let server = try RawHTTPServer { fd in
      let body = #"{"isProcessed":true,"result":{"id":"a1"}}"#
      RawHTTPServer.send(
        fd, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
      return true
    }
    defer { server.stop() }
    try await withMagnaClient(try configuration(server, timeout: .seconds(30))) { client in
      for _ in 0..<5 {
        let outcome = await withCheckedContinuation { (c: CheckedContinuation<CreateOutcome, Never>) in
          _ = client.startCreateAllocation(body: Array(#"{"amount":"1"}"#.utf8)) { c.resume(returning: $0) }
        }
        #expect(outcome == .created(id: "a1", key: ""))
      }
      #expect(client.deadlines.count == 0)
    }
  }
}

/// An HTTP/1.1 server on 127.0.0.1 (a free port). For each connection it reads one request (head and
/// `Content-Length` body), then calls `answer`: when that returns `true` the connection is closed, when
/// `false` it is held open, unanswered, until `stop()`.
final class RawHTTPServer: @unchecked Sendable {
  let port: Int
  private let listener: Int32
  private let lock = NSLock()
  private var stopped = false
  private var count = 0
  private let answer: @Sendable (Int32) -> Bool

  /// Requests read so far.
  var requests: Int { lock.withLock { count } }

  init(answer: @escaping @Sendable (Int32) -> Bool) throws {
    self.answer = answer
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
        bind(fd, p, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, p, &length) == 0
      }
    }
    guard bound else {
      close(fd)
      throw POSIXError(.EADDRNOTAVAIL)
    }
    listener = fd
    port = Int(UInt16(bigEndian: address.sin_port))
    Thread.detachNewThread { [self] in acceptLoop() }
  }

  func stop() {
    lock.withLock { stopped = true }
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }

  private var isStopped: Bool { lock.withLock { stopped } }

  private func acceptLoop() {
    while !isStopped {
      let fd = accept(listener, nil, nil)
      guard fd >= 0 else { return }
      Thread.detachNewThread { [self] in serve(fd) }
    }
  }

  private func serve(_ fd: Int32) {
    defer { close(fd) }
    var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      guard !isStopped else { return }
      let n = read(fd, &buffer, buffer.count)
      if n == 0 { return }
      if n > 0 { received += buffer[0..<n] }
      guard let end = received.firstRange(of: Array("\r\n\r\n".utf8)) else { continue }
      let head = String(decoding: received[..<end.lowerBound], as: UTF8.self).lowercased()
      let length =
        head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
      if received.count - end.upperBound >= length { break }
    }
    lock.withLock { count += 1 }
    guard !answer(fd) else { return }
    while !isStopped { usleep(10_000) }
  }

  /// Writes all of `text` to `fd`.
  static func send(_ fd: Int32, _ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n <= 0 { return }
      offset += n
    }
  }
}
