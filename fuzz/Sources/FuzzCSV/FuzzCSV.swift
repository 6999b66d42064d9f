import AllotCore
import AllotReaders
import FuzzSupport

/// Small limits so the limit paths (cell size, cells per row) are reached by short inputs.
let limits: ReaderLimits = {
  var l = ReaderLimits()
  l.maxCellsPerRow = 512
  l.maxCellBytes = 4096
  return l
}()

/// Scans `bytes` with `CSVRecordScanner`, fed in pieces cut at `cuts`, and returns the rows or nil
/// when the scanner threw (a clear `ReaderError` is fine; anything else is a bug).
func scan(_ bytes: UnsafeRawBufferPointer, cuts: [Int], delimiter: UInt8) -> [SheetRow]? {
  var scanner = CSVRecordScanner(delimiter: delimiter, limits: limits, fileName: "fuzz.csv")
  var rows: [SheetRow] = []
  do {
    var start = 0
    for cut in cuts + [bytes.count] where cut >= start && cut <= bytes.count {
      try scanner.consume(UnsafeRawBufferPointer(rebasing: bytes[start..<cut])) { rows.append($0) }
      start = cut
    }
    try scanner.finish { rows.append($0) }
  } catch is ReaderError {
    return nil
  } catch {
    fatalError("CSVRecordScanner threw a non-ReaderError: \(error)")
  }
  return rows
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  // 1. The scanner on the bytes, whole and cut in three pieces: same rows either way (when the input
  //    is pure ASCII, so the per-chunk Windows-1252 decision cannot differ).
  let delimiter: UInt8 = size > 0 && data[0] == UInt8(ascii: ";") ? UInt8(ascii: ";") : UInt8(ascii: ",")
  let whole = scan(bytes, cuts: [], delimiter: delimiter)
  let cuts = [size / 3, size / 3 + 1, (2 * size) / 3]
  let pieces = scan(bytes, cuts: cuts, delimiter: delimiter)
  if bytes.allSatisfy({ $0 < 0x80 }), let whole, let pieces, whole != pieces {
    fatalError("CSVRecordScanner gives different rows when the input is cut in chunks")
  }
  // 1b. The byte form (`consumeRecords`, used by validation) gives the same rows as `consume`, fed in
  //     the same pieces, and its bytes are the cells' UTF-8 text whenever it says so.
  if let pieces {
    var scanner = CSVRecordScanner(delimiter: delimiter, limits: limits, fileName: "fuzz.csv")
    var records: [SheetRow] = []
    let check: (CSVRecord) -> Void = { record in
      let row = record.sheetRow()
      if record.bytesAreText {
        for (i, cell) in row.cells.enumerated() where !cell.text.utf8.elementsEqual(record.row[i]) {
          fatalError("CSVRecord bytes differ from the cell text in row \(row.rowNumber), cell \(i)")
        }
      }
      records.append(row)
    }
    do {
      var start = 0
      for cut in cuts + [bytes.count] where cut >= start && cut <= bytes.count {
        try scanner.consumeRecords(UnsafeRawBufferPointer(rebasing: bytes[start..<cut]), check)
        start = cut
      }
      try scanner.finishRecords(check)
    } catch is ReaderError {
      fatalError("consumeRecords threw where consume did not")
    } catch {
      fatalError("CSVRecordScanner threw a non-ReaderError: \(error)")
    }
    if records != pieces { fatalError("consumeRecords and consume give different rows") }
  }
  // 2. The whole reader through a file: sniffing (BOM, UTF-16, sep=, delimiter), decoding, chunks.
  guard let path = FuzzInputFile.store(data, size, ext: "csv") else { return 0 }
  do {
    let reader = try CSVReader(path: path, limits: limits)
    for sheet in try reader.sheets() {
      try reader.readRows(of: sheet) { _ in }
    }
    try reader.readChunks { chunk, _, _ in
      var s = CSVRecordScanner(delimiter: reader.dialect.delimiter, limits: limits, fileName: "fuzz.csv")
      try s.consume(chunk) { _ in }
      try s.finish { _ in }
    }
  } catch is ReaderError {
  } catch {
    fatalError("CSVReader threw a non-ReaderError: \(error)")
  }
  return 0
}

/// Entry point (see `runFuzzer`).
@_cdecl("FuzzCSV_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
