import AllotCore
import AllotReaders
import FuzzSupport

// The deeper XLSX target: the fuzzer's bytes become the XML parts of a well-formed package (stored zip,
// valid CRCs, fixed content types, workbook and relationships), so every execution reaches the XML
// parsers for the sheet, shared strings, styles and workbook rather than stopping at the zip layer.
//
// Input layout: the parts are separated by a 0x00 byte, in this order:
//   sheet1.xml, sharedStrings.xml, styles.xml, workbook.xml
// A missing part gets a small valid default; an empty one is written empty.

let limits: ReaderLimits = {
  var l = ReaderLimits()
  l.maxUncompressedBytes = 64 << 20
  l.maxCellsPerRow = 2048
  l.maxCellBytes = 1 << 16
  return l
}()

let contentTypes = Array(
  """
  <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
  <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
  <Default Extension="xml" ContentType="application/xml"/>\
  <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
  <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
  <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
  <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
  </Types>
  """.utf8)

let rootRels = Array(
  """
  <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
  <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
  </Relationships>
  """.utf8)

let workbookRels = Array(
  """
  <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
  <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
  <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
  <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
  </Relationships>
  """.utf8)

let defaults: [[UInt8]] = [
  Array(
    #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45000</v></c></row></sheetData></worksheet>"#
      .utf8),
  Array(
    #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>amount</t></si></sst>"#
      .utf8),
  Array(
    #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>"#
      .utf8),
  Array(
    #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
      .utf8),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = UnsafeBufferPointer(start: data, count: size)
  var parts = input.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false).map { Array($0) }
  while parts.count < 4 { parts.append(defaults[parts.count]) }
  let zip = StoredZip.archive([
    ("[Content_Types].xml", contentTypes),
    ("_rels/.rels", rootRels),
    ("xl/workbook.xml", parts[3]),
    ("xl/_rels/workbook.xml.rels", workbookRels),
    ("xl/worksheets/sheet1.xml", parts[0]),
    ("xl/sharedStrings.xml", parts[1]),
    ("xl/styles.xml", parts[2]),
  ])
  let stored = zip.withUnsafeBufferPointer { FuzzInputFile.store($0.baseAddress!, $0.count, ext: "xlsx") }
  guard let path = stored else { return 0 }
  // Differential oracle: allot's own XML scanner and libxml2 must read the same rows whenever both
  // accept the package (CDATA is left out: libxml2 2.9 keeps CRLF inside it, the scanner does not).
  let scanned = read(path, libxml2: false)
  let parsed = read(path, libxml2: true)
  // A sheet that fails is not compared: how many rows come before the error depends on where each
  // parser's chunks end, and the error makes the file unreadable either way.
  if case .success(let a) = scanned, case .success(let b) = parsed, a != b, !a.contains("error"),
    !b.contains("error"),
    !input.contains(where: { $0 == UInt8(ascii: "[") })
  {
    fatalError("XMLPartScanner and libxml2 disagree:\n\(a)\n---\n\(b)")
  }
  return 0
}

func read(_ path: String, libxml2: Bool) -> Result<[String], ReaderError> {
  var l = limits
  l.libxml2Only = libxml2
  do {
    let reader = try XLSXReader(path: path, limits: l)
    var out: [String] = []
    for sheet in try reader.sheets() {
      do {
        try reader.readRows(of: sheet) { row in
          out.append(
            "\(row.rowNumber): "
              + row.cells.map { "\($0.kind)|\($0.text)|\($0.raw ?? "-")" }.joined(separator: " ; "))
        }
      } catch let error as ReaderError {
        out.append("error")
        _ = error
      }
    }
    return .success(out)
  } catch let error as ReaderError {
    return .failure(error)
  } catch {
    fatalError("XLSXReader threw a non-ReaderError: \(error)")
  }
}

/// Entry point (see `runFuzzer`).
@_cdecl("FuzzXLSXParts_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
