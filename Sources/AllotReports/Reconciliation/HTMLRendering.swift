import Dispatch

/// `renderHTML` of a report on a global queue, started at once; `result()` waits for it. The HTML
/// reads only the (immutable) result, so it can render while the itemised files are written.
final class HTMLRendering: @unchecked Sendable {
  private let done = DispatchGroup()
  /// Written once on the rendering thread before `done` is left; read only after `done.wait()`.
  private var outcome: Result<String, ReportError> = .success("")

  init(_ report: ReconciliationReport, templatesDirectory: String?) {
    done.enter()
    DispatchQueue.global().async { [self] in
      do {
        outcome = .success(try report.renderHTML(templatesDirectory: templatesDirectory))
      } catch let error as ReportError {
        outcome = .failure(error)
      } catch {
        outcome = .failure(ReportError(path: "reconciliation.html", message: "\(error)"))
      }
      done.leave()
    }
  }

  /// Waits for the HTML (or the error that stopped it).
  func result() throws(ReportError) -> String {
    done.wait()
    return try outcome.get()
  }

  deinit { done.wait() }
}
