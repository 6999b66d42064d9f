import AllotCore
import AllotTestSupport
import Foundation
import Testing

@testable import AllotReaders

/// allot's own XML scanner (worksheets, shared strings) against libxml2: the same events for
/// well-formed input, fed whole or byte by byte, and an error for what libxml2 refuses.
@Suite struct XMLPartScannerTests {
  /// Records every event as text, for comparing two parsers.
  final class Recorder: XMLEventHandler {
    var events: [String] = []
    var failed: Bool { false }
    var failure: ReaderError? { nil }
    private var text: [UInt8] = []

    func startElement(_ name: XMLName, _ attributes: XMLAttributes) {
      flush()
      var line = "<" + String(cString: name.local)
      if let base = attributes.base {
        for i in 0..<attributes.count {
          let q = base + i * 5
          // libxml2 reports `&amp;` in attribute values as `&#38;` (XMLAttributes.string undoes it).
          let value = String(decoding: UnsafeBufferPointer(start: q[3]!, count: q[4]! - q[3]!), as: UTF8.self)
            .replacing("&#38;", with: "&")
          line += " \(q[2] == nil ? "" : "ns:")\(String(cString: q[0]!))=[\(value)]"
        }
      }
      events.append(line + ">")
    }
    func endElement(_ name: XMLName) {
      flush()
      events.append("</" + String(cString: name.local) + ">")
    }
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) { text += bytes }
    func flush() {
      if !text.isEmpty { events.append("text[\(String(decoding: text, as: UTF8.self))]") }
      text = []
    }
  }

  enum Outcome: Equatable {
    case events([String])
    case error(String)
  }

  static func libxml2(_ xml: [UInt8]) -> Outcome {
    let r = Recorder()
    do {
      let p = try XMLStreamParser(handler: r, file: "f", part: "p", maxDepth: 32)
      try xml.withUnsafeBytes { try p.feed($0) }
      try p.finish()
      r.flush()
      return .events(r.events)
    } catch let e as ReaderError {
      return .error(e.code)
    } catch {
      return .error("\(error)")
    }
  }

  /// Feeds `xml` to the scanner in pieces of `piece` bytes.
  static func scanner(_ xml: [UInt8], piece: Int = .max) -> Outcome {
    let r = Recorder()
    let s = XMLPartScanner(handler: r, file: "f", part: "p", maxDepth: 32, maxPendingBytes: 1 << 16)
    do {
      var i = 0
      while i < xml.count {
        let end = min(xml.count, i + piece)
        try xml[i..<end].withUnsafeBytes { try s.feed($0) }
        i = end
      }
      try s.finish()
      r.flush()
      return .events(r.events)
    } catch let error as ReaderError {
      return .error(error.code)
    } catch {
      return .error("\(error)")
    }
  }

  static let wellFormed: [String] = [
    #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\r\n"
      + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="urn:r"><sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"><v>45000.5</v></c></row></sheetData></worksheet>"#,
    #"<x:sst xmlns:x="urn:x" count='2'><x:si><x:t xml:space="preserve"> a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; </x:t></x:si><x:si><x:r><x:t>rich</x:t></x:r><x:r><x:rPr/><x:t>text</x:t></x:r></x:si></x:sst>"#,
    "<a>line1\r\nline2\rline3\nline4</a>",
    "<a b=\"x\r\ny\tz\" c='&#10;&#x41;&#65;'>&#x1F600;&#233;é😀</a>",
    // (libxml2 2.9 keeps CRLF inside CDATA; the scanner normalises it as XML says, so LF here.)
    "<a><![CDATA[<not a tag> & ]] >\n]]><!-- a comment - with - dashes -->x<?pi data?></a>",
    "\u{FEFF}<a>bom</a>",
    "<a  b = \"1\"\n\tc='>'  />",
    "<!-- before --><?pi?>\n<root><e/><e></e ></root>\n<!-- after -->\n",
    "<a>]</a>",
    "<a>]]</a>",
    "<a>x]]y</a>",
    "<a b=\"&amp;amp;\"/>",
    "<p:a xmlns:p=\"urn:p\" p:b=\"1\" c=\"2\"><p:c/></p:a>",
    "<a>" + String(repeating: "long text ", count: 3000) + "</a>",
  ]

  static let malformed: [String] = [
    "", "   ", "text", "<a>", "<a></b>", "<a><b></a></b>", "<a b=1/>", "<a b=\"1\"c=\"2\"/>",
    "<a b=\"1\" b=\"2\"/>", "<a>&nbsp;</a>", "<a>&amp</a>", "<a>& b</a>", "<a>&#0;</a>", "<a>&#xD800;</a>",
    "<a>&#x110000;</a>", "<a>\u{1}</a>", "<a>x]]>y</a>", "<a b=\"<\"/>", "<a/><b/>", "<a/>text",
    "<a><!-- x -- y --></a>", "<a><?xml version=\"1.0\"?></a>", " <?xml version=\"1.0\"?><a/>",
    "<1a/>", "<a></a >x", "<a b/>", "<a b=\"x/>", "<a><![CDATA[x</a>", "<a><!-- x</a>", "<a",
    "<a>&#;</a>", "<a>&#x;</a>", "<a>&#12a;</a>",
  ]

  @Test(arguments: wellFormed)
  func wellFormedGivesLibxml2sEvents(xml: String) {
    let bytes = Array(xml.utf8)
    let expected = Self.libxml2(bytes)
    guard case .events = expected else {
      Issue.record("libxml2 refused the fixture: \(expected)")
      return
    }
    #expect(Self.scanner(bytes) == expected)
    #expect(Self.scanner(bytes, piece: 1) == expected)
    #expect(Self.scanner(bytes, piece: 7) == expected)
  }

  @Test(arguments: malformed)
  func malformedIsRefusedLikeLibxml2(xml: String) {
    let bytes = Array(xml.utf8)
    #expect(Self.libxml2(bytes) == .error("xml.malformed"), "libxml2 accepted it")
    #expect(Self.scanner(bytes) == .error("xml.malformed"))
    #expect(Self.scanner(bytes, piece: 1) == .error("xml.malformed"))
  }

  @Test func invalidUTF8IsRefused() {
    for bad: [UInt8] in [
      [0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xC3],
    ] {
      let xml = Array("<a>x".utf8) + bad + Array("y</a>".utf8)
      #expect(Self.libxml2(xml) == .error("xml.malformed"))
      #expect(Self.scanner(xml) == .error("xml.malformed"), "\(bad)")
      let attribute = Array("<a b=\"".utf8) + bad + Array("\"/>".utf8)
      #expect(Self.scanner(attribute) == .error("xml.malformed"), "\(bad) in an attribute")
      // Found by FuzzXLSXParts: invalid UTF-8 inside element and attribute names.
      let element = Array("<a><c".utf8) + bad + Array("d/></a>".utf8)
      #expect(Self.scanner(element) == .error("xml.malformed"), "\(bad) in an element name")
      let attributeName = Array("<a m".utf8) + bad + Array("n=\"3\"/>".utf8)
      #expect(Self.scanner(attributeName) == .error("xml.malformed"), "\(bad) in an attribute name")
    }
  }

  @Test func doctypeAndDepthAreRefusedWithTheirCodes() {
    let doctype = Array("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>".utf8)
    #expect(Self.scanner(doctype) == .error("xml.dtd_not_allowed"))
    let deep = Array((String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40)).utf8)
    #expect(Self.scanner(deep) == .error("xml.too_deep"))
    #expect(Self.libxml2(deep) == .error("xml.too_deep"))
  }

  @Test func otherEncodingsGoToLibxml2() {
    let latin1: [UInt8] =
      Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf".utf8) + [0xE9] + Array("</a>".utf8)
    #expect(Self.scanner(latin1) == .events(["<a>", "text[café]", "</a>"]))
    var utf16: [UInt8] = [0xFF, 0xFE]
    for u in "<a>x</a>".utf16 { utf16 += [UInt8(u & 0xFF), UInt8(u >> 8)] }
    #expect(Self.scanner(utf16) == .events(["<a>", "text[x]", "</a>"]))
  }

  /// libxml2 reports `&amp;` in attribute values as `&#38;`; a sheet named "P&L" keeps its name.
  @Test func ampersandInASheetNameIsRead() throws {
    let path = try XLSXFixture.workbook(
      sheets: [
        .init(
          name: "P&amp;L &lt;2026&gt;",
          rows: #"<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>"#)
      ])
    let reader = try XLSXReader(path: path)
    #expect(try reader.sheets().map(\.name) == ["P&L <2026>"])
  }

  /// Every workbook of the corpora, the samples and the templates reads the same with both parsers.
  @Test func workbooksReadTheSameWithBothParsers() throws {
    var paths: [String] = []
    let fm = FileManager.default
    for dir in [
      TestPaths.corpora + "/xlsx", TestPaths.packageRoot + "/samples", TestPaths.packageRoot + "/templates",
    ] {
      for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where name.hasSuffix(".xlsx") {
        paths.append(dir + "/" + name)
      }
    }
    #expect(paths.count >= 3)
    for path in paths.sorted() {
      #expect(try Self.read(path, libxml2: false) == Self.read(path, libxml2: true), "\(path)")
    }
  }

  static func read(_ path: String, libxml2: Bool) throws -> String {
    var limits = ReaderLimits()
    limits.libxml2Only = libxml2
    do {
      let reader = try XLSXReader(path: path, limits: limits)
      var out = ""
      for sheet in try reader.sheets() {
        out += "sheet \(sheet.name) \(sheet.visibility)\n"
        do {
          try reader.readRows(of: sheet) { row in
            out +=
              "\(row.rowNumber): "
              + row.cells.map { "\($0.kind)|\($0.text)|\($0.raw ?? "-")" }.joined(separator: " ; ") + "\n"
          }
        } catch let error as ReaderError {
          out += "error \(error.code)\n"
        }
      }
      return out
    } catch let error as ReaderError {
      return "error \(error.code)"
    }
  }
}
