import CLibXML2
import Foundation

/// The workbook's shared-strings table, parsed on a background thread while the caller goes on: the
/// first sheet's XML is parsed meanwhile, and its rows are handed on as soon as the strings they use are
/// loaded (the table is published a segment at a time). `waitForAll()` returns the whole table or the
/// error that made it unreadable.
final class SharedStringsLoader: @unchecked Sendable {
  private let condition = NSCondition()
  private var table = SharedStringTable()
  private var failure: ReaderError?

  /// A loader with nothing to load (the workbook has no shared-strings part).
  init() {
    table.complete = true
  }

  /// Starts parsing `part` of `archive` on a background thread.
  init(archive: XLSXArchive, part: String, maxCellBytes: Int) {
    xmlInitParser()  // libxml2's global state is set up once, before a second thread uses it
    let box = UncheckedArchive(archive: archive)
    let file = archive.displayName
    let thread = Thread { [self] in
      var segment: [String] = []
      segment.reserveCapacity(SharedStringTable.segmentSize)
      /// Adds strings in order; each full segment is published.
      func take(_ strings: [String]) {
        for s in strings {
          segment.append(s)
          if segment.count == SharedStringTable.segmentSize {
            publish(segment, complete: false)
            segment = []
            segment.reserveCapacity(SharedStringTable.segmentSize)
          }
        }
      }
      do {
        let archive = box.archive
        // The fast path first; where it gives up, the general scanner reads the part again and skips
        // the strings the fast path already gave.
        var taken = 0
        var done = false
        if !archive.limits.libxml2Only {
          var fast = SharedStringsFastPath(maxCellBytes: maxCellBytes)
          do {
            try archive.stream(part) { chunk in
              try fast.feed(chunk)
              let strings = fast.takeStrings()
              taken += strings.count
              take(strings)
            }
            take(try fast.finish())
            done = true
          } catch is SharedStringsFastPath.Unsupported {}
        }
        if !done {
          let handler = SharedStringsHandler(file: file, maxCellBytes: maxCellBytes, skipping: taken)
          try archive.scan(part, with: handler) { take(handler.takeStrings()) }
          take(handler.takeStrings())
        }
        publish(segment, complete: true)
      } catch let error as ReaderError {
        fail(error)
      } catch {
        fail(XLSXArchive.unreadable("xlsx.invalid", file, "\(error)"))
      }
    }
    thread.start()
  }

  private func publish(_ segment: [String], complete: Bool) {
    condition.lock()
    table.append(segment: segment)
    table.complete = complete
    condition.broadcast()
    condition.unlock()
  }

  private func fail(_ error: ReaderError) {
    condition.lock()
    failure = error
    condition.broadcast()
    condition.unlock()
  }

  /// The strings loaded so far; throws the error that stopped the loading.
  func current() throws(ReaderError) -> SharedStringTable {
    condition.lock()
    defer { condition.unlock() }
    if let failure { throw failure }
    return table
  }

  /// Waits until more than `count` strings are loaded, or all of them.
  func waitForMore(than count: Int) throws(ReaderError) -> SharedStringTable {
    condition.lock()
    defer { condition.unlock() }
    while failure == nil && !table.complete && table.count <= count { condition.wait() }
    if let failure { throw failure }
    return table
  }

  /// Waits for the whole table.
  func waitForAll() throws(ReaderError) -> SharedStringTable {
    condition.lock()
    defer { condition.unlock() }
    while failure == nil && !table.complete { condition.wait() }
    if let failure { throw failure }
    return table
  }
}

/// The archive handed to the loader's thread: it is only read there (positioned reads of its file,
/// an immutable entry table), never mutated after it was opened.
private struct UncheckedArchive: @unchecked Sendable {
  let archive: XLSXArchive
}
