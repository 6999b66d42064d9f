import Dispatch

/// A rate-limited progress line on stderr for long reads (only on a terminal).
struct ProgressLine {
  let enabled: Bool
  let noun: String
  private var count = 0
  private let start = DispatchTime.now().uptimeNanoseconds
  private var lastDraw: UInt64 = 0
  private var drawn = false

  init(enabled: Bool, noun: String) {
    self.enabled = enabled
    self.noun = noun
  }

  mutating func tick() {
    count += 1
    guard enabled, count & 0x3FFF == 0 else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    guard now - lastDraw > 250_000_000 else { return }
    lastDraw = now
    let seconds = Double(now - start) / 1e9
    let rate = seconds > 0 ? Int(Double(count) / seconds) : 0
    Console.progress("read \(count) \(noun) (\(rate) \(noun)/s)…")
    drawn = true
  }

  mutating func finish() {
    if drawn { Console.endProgress() }
    drawn = false
  }
}
