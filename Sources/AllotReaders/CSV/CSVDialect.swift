import AllotCore

/// How a CSV file is written: its encoding, byte-order mark, delimiter and an optional Excel `sep=` line.
public struct CSVDialect: Sendable, Hashable {
  public enum Encoding: String, Sendable, Hashable {
    /// UTF-8, falling back to Windows-1252 when the bytes are not valid UTF-8.
    case utf8
    case utf16LE, utf16BE
  }

  public var encoding: Encoding
  /// Length in bytes of the byte-order mark at the start of the file (0, 2 or 3).
  public var bomLength: Int
  public var delimiter: UInt8
  /// Bytes of the decoded text (after the byte-order mark) that are skipped: the `sep=` line.
  public var skippedBytes: Int
  /// True when the file starts with Excel's `sep=X` line.
  public var hasSepLine: Bool

  public init(
    encoding: Encoding = .utf8, bomLength: Int = 0, delimiter: UInt8 = UInt8(ascii: ","),
    skippedBytes: Int = 0, hasSepLine: Bool = false
  ) {
    self.encoding = encoding
    self.bomLength = bomLength
    self.delimiter = delimiter
    self.skippedBytes = skippedBytes
    self.hasSepLine = hasSepLine
  }

  /// Works out the dialect from the first bytes of a file.
  ///
  /// - Parameters:
  ///   - prefix: the first bytes of the file (64 KiB is plenty).
  ///   - delimiter: a delimiter chosen by the caller, or nil to detect one among `,` `;` and tab by
  ///     counting them outside quotes in the first records and keeping the most consistent one.
  ///   - fileName: used in errors.
  /// - Throws: `csv.binary` when the bytes are not text.
  public static func sniff(prefix: [UInt8], delimiter: UInt8? = nil, fileName: String)
    throws(ReaderError) -> CSVDialect
  {
    var dialect = CSVDialect()
    let text: [UInt8]
    if prefix.starts(with: [0xEF, 0xBB, 0xBF]) {
      dialect.bomLength = 3
      text = Array(prefix[3...])
    } else if prefix.starts(with: [0xFF, 0xFE]) || prefix.starts(with: [0xFE, 0xFF]) {
      let big = prefix[0] == 0xFE
      dialect.encoding = big ? .utf16BE : .utf16LE
      dialect.bomLength = 2
      var t = UTF16Transcoder(bigEndian: big)
      var out: [UInt8] = []
      prefix[2...].withUnsafeBytes { t.transcode($0, into: &out) }
      text = out
    } else {
      text = prefix
    }
    try checkText(text, prefix: prefix, fileName: fileName, offset: dialect.bomLength)

    var body = text[...]
    if let (sep, length) = sepLine(text) {
      dialect.hasSepLine = true
      dialect.skippedBytes = length
      body = text[length...]
      if CSVDelimiters.isUsable(sep) { dialect.delimiter = sep }
    }
    if let delimiter, CSVDelimiters.isUsable(delimiter) {
      dialect.delimiter = delimiter
    } else if !dialect.hasSepLine {
      dialect.delimiter = detectDelimiter(body)
    }
    return dialect
  }

  /// Excel's `sep=X` first line: the delimiter and the length of the line with its line end.
  static func sepLine(_ text: [UInt8]) -> (UInt8, Int)? {
    guard text.count >= 5 else { return nil }
    let s = text[0] | 0x20, e = text[1] | 0x20, p = text[2] | 0x20
    guard s == UInt8(ascii: "s"), e == UInt8(ascii: "e"), p == UInt8(ascii: "p"),
      text[3] == UInt8(ascii: "=")
    else { return nil }
    let sep = text[4]
    var length = 5
    if length < text.count && text[length] == 13 { length += 1 }
    if length < text.count && text[length] == 10 { length += 1 }
    guard length == text.count || length > 5 else { return nil }
    return (sep, length)
  }

  /// Picks among comma, semicolon and tab the delimiter whose count per record (outside quotes) is the
  /// most consistent over the first records; comma when none appears.
  static func detectDelimiter(_ text: ArraySlice<UInt8>) -> UInt8 {
    let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 9]
    var perRecord: [[Int]] = [[], [], []]
    var current = [0, 0, 0]
    var inQuotes = false
    var atFieldStart = true
    var recordHasText = false
    let maxRecords = 50
    for b in text {
      if inQuotes {
        if b == 34 { inQuotes = false }
        continue
      }
      if b == 34 && atFieldStart {
        inQuotes = true
        recordHasText = true
        atFieldStart = false
        continue
      }
      if b == 10 || b == 13 {
        if recordHasText {
          for k in 0..<3 { perRecord[k].append(current[k]) }
        }
        current = [0, 0, 0]
        recordHasText = false
        atFieldStart = true
        if perRecord[0].count >= maxRecords { break }
        continue
      }
      recordHasText = true
      atFieldStart = false
      for k in 0..<3 where b == candidates[k] {
        current[k] += 1
        atFieldStart = true
      }
    }
    if recordHasText && !inQuotes {
      for k in 0..<3 { perRecord[k].append(current[k]) }
    }
    var best = 0
    var bestScore = (0, 0)
    for k in 0..<3 {
      let counts = perRecord[k]
      guard !counts.isEmpty else { continue }
      // The most frequent non-zero count and how many records have it.
      var freq: [Int: Int] = [:]
      for c in counts where c > 0 { freq[c, default: 0] += 1 }
      guard
        let (mode, hits) = freq.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) })
      else { continue }
      let score = (hits, mode)
      if score > bestScore {
        bestScore = score
        best = k
      }
    }
    return candidates[best]
  }

  /// Rejects bytes that are not text: NUL bytes, or mostly control characters.
  static func checkText(_ text: [UInt8], prefix: [UInt8], fileName: String, offset: Int)
    throws(ReaderError)
  {
    if let nul = text.firstIndex(of: 0) {
      var hint = "it is not a text CSV file"
      if looksLikeUTF16WithoutBOM(prefix) {
        hint =
          "it looks like UTF-16 text without a byte-order mark; save it as \"CSV UTF-8\" and try again"
      }
      throw ReaderError(
        code: "csv.binary", file: fileName,
        message: "\(fileName) contains binary data (NUL bytes at byte \(nul + offset)); \(hint)")
    }
    var controls = 0
    for b in text where b < 32 && b != 9 && b != 10 && b != 13 && b != 12 { controls += 1 }
    if controls > 8 && controls * 20 > text.count {
      throw ReaderError(
        code: "csv.binary", file: fileName,
        message:
          "\(fileName) contains binary data (\(controls) control bytes in its first "
          + "\(text.count) bytes); it is not a text CSV file")
    }
  }

  static func looksLikeUTF16WithoutBOM(_ bytes: [UInt8]) -> Bool {
    let n = min(bytes.count, 200) & ~1
    guard n >= 4 else { return false }
    var evenZeros = 0
    var oddZeros = 0
    for i in stride(from: 0, to: n, by: 2) {
      if bytes[i] == 0 { evenZeros += 1 }
      if bytes[i + 1] == 0 { oddZeros += 1 }
    }
    let pairs = n / 2
    return (evenZeros * 10 >= pairs * 8 && oddZeros == 0) || (oddZeros * 10 >= pairs * 8 && evenZeros == 0)
  }
}
