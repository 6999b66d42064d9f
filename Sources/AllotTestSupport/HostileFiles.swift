import Foundation
import ZIPFoundation

/// Generators of hostile input files (zip bombs, crafted zips) for the hostile-input tests. Everything
/// is built in a temporary folder, small on disk, and streamed so the test never holds the
/// uncompressed content in memory.
public enum HostileFiles {
  /// The parts of a one-sheet workbook without the sheet itself.
  static func workbookPartsWithoutSheet() -> [(String, String)] {
    XLSXFixture.workbookParts(sheets: [XLSXFixture.Sheet(name: "S", rows: "")])
      .filter { $0.0 != "xl/worksheets/sheet1.xml" }
  }

  /// A workbook whose sheet part is `head`, then `fillerBytes` spaces (valid whitespace inside
  /// `<sheetData>`), then the closing tags, deflated while streamed in 1 MB chunks.
  public static func zipBomb(
    in directory: String, name: String, fillerBytes: Int64, method: CompressionMethod = .deflate
  ) throws -> String {
    let path = directory + "/" + name
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for (entryPath, text) in workbookPartsWithoutSheet() {
      let data = Data(text.utf8)
      try archive.addEntry(
        with: entryPath, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
        provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }
    let head = Data(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"\(XLSXFixture.mainNS)\"><sheetData>".utf8)
    let tail = Data("</sheetData></worksheet>".utf8)
    let total = Int64(head.count) + fillerBytes + Int64(tail.count)
    let chunk = Data(repeating: UInt8(ascii: " "), count: 1 << 20)
    let fillerEnd = Int64(head.count) + fillerBytes
    try archive.addEntry(
      with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: total, compressionMethod: method,
      bufferSize: 1 << 20,
      provider: { position, size in
        // Chunks are requested in order; a chunk may straddle head/filler/tail boundaries.
        var out = Data(capacity: size)
        var p = position
        let end = position + Int64(size)
        while p < end {
          if p < Int64(head.count) {
            let n = min(Int64(head.count) - p, end - p)
            out.append(head.subdata(in: Int(p)..<Int(p + n)))
            p += n
          } else if p < fillerEnd {
            let n = min(fillerEnd - p, end - p, Int64(chunk.count))
            out.append(chunk.prefix(Int(n)))
            p += n
          } else {
            let offset = Int(p - fillerEnd)
            let n = min(Int64(tail.count - offset), end - p)
            out.append(tail.subdata(in: offset..<offset + Int(n)))
            p += n
          }
        }
        return out
      })
    return path
  }

  /// Rewrites the uncompressed size recorded for `entry` (local header and central directory) to
  /// `size`: a zip that lies about its content, as a crafted bomb does.
  public static func patchUncompressedSize(of entry: String, in path: String, to size: UInt32) throws {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let name = Array(entry.utf8)
    func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
    func put32(_ i: Int, _ v: UInt32) {
      for k in 0..<4 { bytes[i + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
    }
    var i = 0
    while i + 46 < bytes.count {
      if bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 0x03 && bytes[i + 3] == 0x04 {
        let n = u16(i + 26)
        if i + 30 + n <= bytes.count && Array(bytes[(i + 30)..<(i + 30 + n)]) == name { put32(i + 22, size) }
      } else if bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 0x01 && bytes[i + 3] == 0x02 {
        let n = u16(i + 28)
        if i + 46 + n <= bytes.count && Array(bytes[(i + 46)..<(i + 46 + n)]) == name { put32(i + 24, size) }
      }
      i += 1
    }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// A zip whose sheet is a deflate stream that never ends: one non-final stored block whose
  /// declared length runs to the end of the file, over the central directory (the stream a naive
  /// inflater waits on forever). Built by hand.
  public static func neverEndingDeflate(in directory: String, name: String) throws -> String {
    var out: [UInt8] = []
    var central: [UInt8] = []
    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16((v >> 16) & 0xFFFF) }
    func local(_ name: [UInt8], method: Int, compressed: Int, size: Int) -> [UInt8] {
      le32(0x0403_4B50) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0) + le32(0) + le32(compressed)
        + le32(size) + le16(name.count) + le16(0) + name
    }
    func centralEntry(_ name: [UInt8], method: Int, compressed: Int, size: Int, offset: Int) -> [UInt8] {
      le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0) + le32(0)
        + le32(compressed) + le32(size) + le16(name.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
        + le32(offset) + name
    }
    var entries: [(String, [UInt8])] = workbookPartsWithoutSheet().map { ($0.0, Array($0.1.utf8)) }
    let length = 65_531
    // An unterminated XML comment, so an XML parser keeps waiting for more bytes too.
    let sheet = Array(
      "<?xml version=\"1.0\"?><worksheet xmlns=\"\(XLSXFixture.mainNS)\"><sheetData><!--".utf8)
    entries.append(("xl/worksheets/sheet1.xml", []))
    func build(padding: Int) -> ([UInt8], Int) {
      out = []
      central = []
      var dataStart = 0
      for (i, (entryName, content)) in entries.enumerated() {
        let nameBytes = Array(entryName.utf8)
        let offset = out.count
        if i == entries.count - 1 {
          let block =
            [UInt8(0)] + le16(length) + le16(length ^ 0xFFFF) + sheet
            + [UInt8](repeating: UInt8(ascii: " "), count: padding)
          central += centralEntry(nameBytes, method: 8, compressed: block.count, size: length, offset: offset)
          out += local(nameBytes, method: 8, compressed: block.count, size: length)
          dataStart = out.count
          out += block
        } else {
          central += centralEntry(
            nameBytes, method: 0, compressed: content.count, size: content.count, offset: offset)
          out += local(nameBytes, method: 0, compressed: content.count, size: content.count) + content
        }
      }
      let directoryOffset = out.count
      out += central
      out +=
        le32(0x0605_4B50) + le16(0) + le16(0) + le16(entries.count) + le16(entries.count)
        + le32(central.count) + le32(directoryOffset) + le16(0)
      return (out, out.count - dataStart)
    }
    let (_, span) = build(padding: 0)
    let (bytes, _) = build(padding: max(0, (1 << 16) - span))
    let path = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }
}
