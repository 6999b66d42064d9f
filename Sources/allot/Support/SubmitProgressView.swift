import AllotCore
import Foundation

/// Shows a run's progress: a bar on a terminal, plain lines otherwise (at most one every few seconds).
final class SubmitProgressView: @unchecked Sendable {
  private let lock = NSLock()
  private let terminal: Bool
  private var lastDraw: Double = 0
  private var drawn = false

  init(terminal: Bool = Console.stderrIsTerminal) {
    self.terminal = terminal
  }

  func update(_ p: SubmissionProgress) {
    lock.lock()
    defer { lock.unlock() }
    let now = Date().timeIntervalSince1970
    let interval = terminal ? 0.1 : 5
    guard now - lastDraw >= interval || p.done == p.total else { return }
    lastDraw = now
    if terminal {
      Console.progress(Self.bar(p))
      drawn = true
    } else {
      Console.error(Self.line(p))
    }
  }

  func finish() {
    lock.lock()
    defer { lock.unlock() }
    if drawn { Console.endProgress() }
  }

  static func bar(_ p: SubmissionProgress, width: Int = 24) -> String {
    let fraction = p.total > 0 ? min(1, Double(p.done) / Double(p.total)) : 1
    let filled = Int((fraction * Double(width)).rounded(.down))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    return "\(bar) \(p.done)/\(p.total)  \(rate(p))  ETA \(eta(p))  failed \(p.failed)  unknown \(p.unknown)"
      + (p.inFlight > 0 ? "  in flight \(p.inFlight)" : "")
  }

  static func line(_ p: SubmissionProgress) -> String {
    "allot submit: \(p.done)/\(p.total) rows settled, \(p.succeeded) succeeded, \(p.failed) failed, "
      + "\(p.unknown) unknown, \(rate(p)), ETA \(eta(p))"
  }

  static func rate(_ p: SubmissionProgress) -> String {
    let r = p.ratePerSecond
    return r >= 10 ? "\(Int(r.rounded())) rows/s" : "\(Double(Int(r * 10)) / 10) rows/s"
  }

  static func eta(_ p: SubmissionProgress) -> String {
    guard let s = p.etaSeconds, s.isFinite else { return "--" }
    return duration(s)
  }

  static func duration(_ seconds: Double) -> String {
    let s = max(0, Int(seconds.rounded()))
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
    return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m"
  }
}
