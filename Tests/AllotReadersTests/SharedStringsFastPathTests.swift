import AllotCore
import AllotTestSupport
import Foundation
import Testing

@testable import AllotReaders

/// The fast shared-strings path against the general one (the XML scanner and `SharedStringsHandler`):
/// the same strings for every part it accepts, in any chunking, and nil (the general path takes over)
/// for everything it does not know.
@Suite struct SharedStringsFastPathTests {
  /// The strings of the general path, or the error code it gives.
  static func general(_ xml: [UInt8], maxCellBytes: Int = 1 << 20) -> Result<[String], ReaderError> {
    let handler = SharedStringsHandler(file: "f", maxCellBytes: maxCellBytes)
    let scanner = XMLPartScanner(
      handler: handler, file: "f", part: "xl/sharedStrings.xml", maxDepth: 64, maxPendingBytes: 1 << 21)
    do {
      try xml.withUnsafeBytes { try scanner.feed($0) }
      try scanner.finish()
      if let failure = handler.failure { return .failure(failure) }
      return .success(handler.strings)
    } catch let error as ReaderError {
      return .failure(error)
    } catch {
      return .failure(ReaderError(code: "other", file: "f", message: "\(error)"))
    }
  }

  /// The strings of the fast path fed in pieces of `piece` bytes; nil when it gives up.
  static func fast(_ xml: [UInt8], piece: Int = .max, maxCellBytes: Int = 1 << 20) -> [String]? {
    var reader = SharedStringsFastPath(maxCellBytes: maxCellBytes)
    do {
      var i = 0
      while i < xml.count {
        let end = min(xml.count, i + piece)
        try xml[i..<end].withUnsafeBytes { try reader.feed($0) }
        i = end
      }
      return try reader.finish()
    } catch {
      return nil
    }
  }

  static let head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\r\n"
  static let sst =
    #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">"#

  static let accepted: [String] = [
    head + sst + "<si><t>a</t></si><si><t>b c</t></si></sst>",
    sst + "<si><t></t></si></sst>",
    "<?xml version='1.0'?>" + sst
      + "\n  <si><t>  trimmed  </t></si>\n  <si><t xml:space=\"preserve\">  kept  </t></si>\n</sst>\n",
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><sst><si><t>\tx\n</t></si></sst>",
    head + sst
      + "<si><t>é😀 ünïcödé 日本語</t></si><si><t>a > b, ] ]] x</t></si><si><t>_x000D_ and _x0041_</t></si></sst>",
    head
      + "<sst count=\"1\" uniqueCount=\"1\" xmlns:x=\"urn:x\"><si><t>0x52908400098527886E0F7030069857D2E4169EE7</t></si></sst>",
    "  <sst><si><t>leading space before the root</t></si></sst>",
  ]

  static let refused: [String] = [
    head + sst + "<si><t>a &amp; b</t></si></sst>",  // reference
    head + sst + "<si><t>line\r\nend</t></si></sst>",  // CR to normalise
    head + sst + "<si><r><t>rich</t></r><r><t>text</t></r></si></sst>",
    head + sst + "<si><t>x</t><rPh sb=\"0\" eb=\"1\"><t>y</t></rPh></si></sst>",
    head + sst + "<si><t>x]]>y</t></si></sst>",  // not allowed in content
    head + sst + "<si><t>\u{1}</t></si></sst>",
    head + sst + "<!-- c --><si><t>x</t></si></sst>",
    head + sst + "<si><t/></si></sst>",
    head + sst + "<si/></sst>",
    head + sst + "<si><t>x</t></si>",  // no end
    head + sst + "<si><t>x</t></si></sst><x/>",
    head + sst + "<si><t>x</t></si></sst>trailing",
    head + "<x:sst xmlns:x=\"urn:x\"><x:si><x:t>x</x:t></x:si></x:sst>",
    head + "<sst/>",
    head + "<sst a=\"1\" a=\"2\"><si><t>x</t></si></sst>",
    head + "<sst a=1><si><t>x</t></si></sst>",
    "<?xml version=\"1.0\" encoding=\"UTF-16\"?><sst><si><t>x</t></si></sst>",
    "<?xml version=\"1.1\"?><sst><si><t>x</t></si></sst>",
    "<?xml encoding=\"UTF-8\"?><sst><si><t>x</t></si></sst>",
    "\u{FEFF}<sst><si><t>bom</t></si></sst>",
    "<!DOCTYPE sst><sst><si><t>x</t></si></sst>",
    head + sst + "<si><t xml:space=\"default\">x</t></si></sst>",
    head + sst + "<si> <t>x</t></si></sst>",
    "",
  ]

  @Test(arguments: accepted)
  func acceptedPartsGiveTheGeneralPathsStrings(xml: String) throws {
    let bytes = Array(xml.utf8)
    let expected = try Self.general(bytes).get()
    for piece in [Int.max, 1, 2, 3, 7, 64] {
      #expect(Self.fast(bytes, piece: piece) == expected, "piece \(piece)")
    }
  }

  @Test(arguments: refused)
  func everythingElseIsLeftToTheGeneralPath(xml: String) {
    let bytes = Array(xml.utf8)
    for piece in [Int.max, 1, 5] {
      #expect(Self.fast(bytes, piece: piece) == nil, "piece \(piece)")
    }
  }

  @Test func invalidUTF8AndOverlongCellsAreLeftToTheGeneralPath() {
    let start = Array((Self.head + Self.sst + "<si><t>").utf8)
    let end = Array("</t></si></sst>".utf8)
    for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBE], [0xE2, 0x82]] {
      #expect(Self.fast(start + bad + end) == nil)
      if case .success = Self.general(start + bad + end) { Issue.record("the general path accepts \(bad)") }
    }
    let long = start + [UInt8](repeating: 0x61, count: 100) + end
    #expect(Self.fast(long, maxCellBytes: 99) == nil)
    #expect(Self.fast(long, maxCellBytes: 100) == [String(repeating: "a", count: 100)])
  }

  /// Every shared-strings part of the corpora, samples and templates: the fast path gives the general
  /// path's strings or gives up, whole or in 7-byte pieces.
  @Test func workbookPartsReadTheSame() throws {
    var files =
      (try? FileManager.default.contentsOfDirectory(atPath: TestPaths.corpora + "/xlsx"))?.map {
        TestPaths.corpora + "/xlsx/" + $0
      } ?? []
    for folder in ["samples", "templates"] {
      let dir = TestPaths.packageRoot + "/" + folder
      files += ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).map { dir + "/" + $0 }
    }
    var accepted = 0
    var checked = 0
    for file in files where file.hasSuffix(".xlsx") {
      guard let archive = try? XLSXArchive(path: file, limits: ReaderLimits()) else { continue }
      for part in archive.paths where part.lowercased().hasSuffix("sharedstrings.xml") {
        var bytes: [UInt8] = []
        try archive.stream(part) { bytes.append(contentsOf: $0) }
        guard case .success(let expected) = Self.general(bytes) else { continue }
        checked += 1
        guard let whole = Self.fast(bytes) else { continue }
        accepted += 1
        #expect(whole == expected, "\(file)")
        #expect(Self.fast(bytes, piece: 7) == expected, "\(file) in 7-byte pieces")
      }
    }
    print("shared-strings fast path: accepted \(accepted) of \(checked) parts")
    #expect(accepted > 0)
  }
}
