/// Counters behind the progress report.
struct SubmissionTally {
  let start: Double
  var progress: SubmissionProgress

  mutating func settle(state: RowState, verifiable: Bool, fromUnknown: Bool = false) {
    switch state {
    case .succeeded:
      progress.succeeded += 1
      progress.done += 1
    case .failed:
      progress.failed += 1
      progress.done += 1
    case .unknown:
      if !verifiable {
        progress.unknown += 1
        progress.done += 1
      }
    case .retryWait:
      progress.retrying += 1
    default:
      break
    }
  }

  func snapshot(now: Double) -> SubmissionProgress {
    var p = progress
    p.elapsed = max(0, now - start)
    p.ratePerSecond = p.elapsed > 0 ? Double(p.done) / p.elapsed : 0
    if p.ratePerSecond > 0 {
      p.etaSeconds = Double(max(0, p.total - p.done)) / p.ratePerSecond
    }
    return p
  }
}
