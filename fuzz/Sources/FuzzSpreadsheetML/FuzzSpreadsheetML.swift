import AllotCore
import AllotReaders
import FuzzSupport

let limits: ReaderLimits = {
  var l = ReaderLimits()
  l.maxCellsPerRow = 2048
  l.maxCellBytes = 1 << 16
  return l
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard let path = FuzzInputFile.store(data, size, ext: "xml") else { return 0 }
  do {
    // Format sniffing first (it routes XML that is not SpreadsheetML away), then the reader itself.
    _ = try? Workbook.open(path: path, limits: limits)
    let reader = try SpreadsheetMLReader(path: path, limits: limits)
    for sheet in try reader.sheets() {
      do {
        try reader.readRows(of: sheet) { _ in }
      } catch is ReaderError {
        continue
      }
    }
  } catch is ReaderError {
  } catch {
    fatalError("SpreadsheetMLReader threw a non-ReaderError: \(error)")
  }
  return 0
}

/// Entry point (see `runFuzzer`).
@_cdecl("FuzzSpreadsheetML_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
