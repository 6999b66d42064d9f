import CLibXML2
import Foundation

/// The workbook's shared-strings table, parsed on a background thread while the caller goes on (the
/// first sheet's XML is parsed meanwhile, with its shared-string cells resolved once the table is
/// ready). Parsed once per reader; `wait()` returns the table or the error that made it unreadable.
final class SharedStringsLoader: @unchecked Sendable {
  private let condition = NSCondition()
  private var result: Result<[String], ReaderError>?

  /// A loader with nothing to load (the workbook has no shared-strings part).
  init() {
    result = .success([])
  }

  /// Starts parsing `part` of `archive` on a background thread.
  init(archive: XLSXArchive, part: String, maxCellBytes: Int) {
    xmlInitParser()  // libxml2's global state is set up once, before a second thread uses it
    let box = UncheckedArchive(archive: archive)
    let file = archive.displayName
    let thread = Thread { [self] in
      let outcome: Result<[String], ReaderError>
      do {
        if !box.archive.limits.libxml2Only,
          let strings = try SharedStringsFastPath.read(part, of: box.archive, maxCellBytes: maxCellBytes)
        {
          outcome = .success(strings)
        } else {
          let handler = SharedStringsHandler(file: file, maxCellBytes: maxCellBytes)
          try box.archive.scan(part, with: handler)
          outcome = .success(handler.strings)
        }
      } catch let error as ReaderError {
        outcome = .failure(error)
      } catch {
        outcome = .failure(XLSXArchive.unreadable("xlsx.invalid", file, "\(error)"))
      }
      condition.lock()
      result = outcome
      condition.broadcast()
      condition.unlock()
    }
    thread.start()
  }

  /// The table when it is ready (nil while it is still being parsed); throws when it failed.
  func ready() throws(ReaderError) -> [String]? {
    condition.lock()
    defer { condition.unlock() }
    return try result?.get()
  }

  /// Waits for the table.
  func wait() throws(ReaderError) -> [String] {
    condition.lock()
    defer { condition.unlock() }
    while result == nil { condition.wait() }
    return try result!.get()
  }
}

/// The archive handed to the loader's thread: it is only read there (positioned reads of its file,
/// an immutable entry table), never mutated after it was opened.
private struct UncheckedArchive: @unchecked Sendable {
  let archive: XLSXArchive
}
