import Testing

@testable import AllotCore

@Suite struct SubmissionInboxTests {
  @Test func itemsSentBeforehandComeOutInOrder() async {
    let inbox = SubmissionInbox<Int>()
    for i in 0..<100 { inbox.send(i) }
    var received: [Int] = []
    for _ in 0..<100 { received.append(await inbox.next()) }
    #expect(received == Array(0..<100))
    inbox.send(7)
    #expect(await inbox.next() == 7)
  }

  @Test func aWaitingReceiverGetsTheNextItem() async {
    let inbox = SubmissionInbox<String>()
    async let received = inbox.next()
    try? await Task.sleep(for: .milliseconds(20))
    inbox.send("answer")
    #expect(await received == "answer")
  }

  /// Senders on other threads, a receiver that waits and one that finds items queued: every item arrives
  /// exactly once, and each sender's items in the order it sent them.
  @Test func concurrentSendersLoseNothing() async {
    let inbox = SubmissionInbox<(sender: Int, n: Int)>()
    let senders = 8
    let each = 2_000
    await withTaskGroup(of: Void.self) { group in
      for s in 0..<senders {
        group.addTask {
          for n in 0..<each {
            inbox.send((s, n))
            if n % 97 == 0 { await Task.yield() }
          }
        }
      }
      var next = Array(repeating: 0, count: senders)
      for _ in 0..<(senders * each) {
        let item = await inbox.next()
        #expect(item.n == next[item.sender])
        next[item.sender] = item.n + 1
      }
      #expect(next == Array(repeating: each, count: senders))
      await group.waitForAll()
    }
  }
}
