import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore

/// Fails the requests of one client that outlive their deadline (`HTTPClientError.deadlineExceeded`, as
/// AsyncHTTPClient's own deadline would), with one timer for all of them.
///
/// Given a deadline, AsyncHTTPClient schedules a task on the event loop for each request and cancels it
/// when the answer comes: an allocation, a promise and a heap insertion and removal under the loop's
/// lock per request, about 5 % of a create's CPU on loopback (`http-floor --deadline`). Here a request
/// costs a dictionary insertion and removal, and the one timer is set for the earliest deadline watched
/// and set again when it fires. A request that has not got a connection by its deadline fails the same
/// way, and is uncertain like any request past its deadline (AsyncHTTPClient would have said it never
/// left), which costs a verification, never a duplicate.
final class RequestDeadlines: Sendable {
  private struct Watched {
    var deadline: NIODeadline
    /// Nil between ``watch(until:)`` and ``attach(_:to:)``.
    var task: HTTPClient.Task<RawResponse>?
  }

  private struct State {
    var next = 0
    var watched: [Int: Watched] = [:]
    /// When the timer fires, if it is set.
    var timer: (deadline: NIODeadline, scheduled: Scheduled<Void>)?
  }

  private let loop: any EventLoop
  private let state = NIOLockedValueBox(State())

  init(on loop: any EventLoop) {
    self.loop = loop
  }

  /// The requests watched now (for tests).
  var count: Int { state.withLockedValue { $0.watched.count } }

  /// Starts watching a request about to start; returns its ticket. Call ``attach(_:to:)`` once the
  /// request's task exists, and ``forget(_:)`` when it has ended.
  func watch(until deadline: NIODeadline) -> Int {
    state.withLockedValue { state in
      let ticket = state.next
      state.next += 1
      state.watched[ticket] = Watched(deadline: deadline)
      if state.timer.map({ deadline < $0.deadline }) ?? true {
        state.timer?.scheduled.cancel()
        state.timer = (deadline, schedule(at: deadline))
      }
      return ticket
    }
  }

  /// The task of a watched request (nothing when the request has already ended).
  func attach(_ task: HTTPClient.Task<RawResponse>, to ticket: Int) {
    state.withLockedValue { state in
      state.watched[ticket]?.task = task
    }
  }

  func forget(_ ticket: Int) {
    state.withLockedValue { state in
      _ = state.watched.removeValue(forKey: ticket)
    }
  }

  private func schedule(at deadline: NIODeadline) -> Scheduled<Void> {
    loop.scheduleTask(deadline: deadline) { [self] in fire() }
  }

  /// Fails the requests past their deadline and sets the timer for the earliest of the others.
  private func fire() {
    let now = NIODeadline.now()
    let expired = state.withLockedValue { state in
      state.timer = nil
      var expired: [HTTPClient.Task<RawResponse>] = []
      var earliest: NIODeadline?
      for (ticket, watched) in state.watched {
        if watched.deadline <= now, let task = watched.task {
          expired.append(task)
          state.watched[ticket] = nil
        } else {
          earliest = min(earliest ?? watched.deadline, watched.deadline)
        }
      }
      if let earliest {
        // A task not attached yet is looked at again shortly.
        let at = max(earliest, now + .milliseconds(10))
        state.timer = (at, schedule(at: at))
      }
      return expired
    }
    for task in expired { task.fail(reason: HTTPClientError.deadlineExceeded) }
  }
}
