import AllotCore
import AllotReaders
import FuzzSupport

/// Tighter limits than the defaults so the fuzzer stays within its memory budget.
let limits: ReaderLimits = {
  var l = ReaderLimits()
  l.maxUncompressedBytes = 64 << 20
  l.maxCellsPerRow = 2048
  l.maxCellBytes = 1 << 16
  return l
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard let path = FuzzInputFile.store(data, size, ext: "xlsx") else { return 0 }
  do {
    let reader = try XLSXReader(path: path, limits: limits)
    for sheet in try reader.sheets() {
      do {
        try reader.readRows(of: sheet) { _ in }
      } catch is ReaderError {
        continue  // one damaged sheet: the others are still read
      }
    }
  } catch is ReaderError {
  } catch {
    fatalError("XLSXReader threw a non-ReaderError: \(error)")
  }
  return 0
}

/// Entry point (see `runFuzzer`).
@_cdecl("FuzzXLSX_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
