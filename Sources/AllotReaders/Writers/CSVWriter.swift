#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a CSV file row by row (RFC 4180: CRLF line ends, values quoted when they hold the delimiter,
/// a quote, CR or LF, quotes doubled). The file is created with mode 0644.
///
/// With `neutraliseFormulas` (the default) a value starting with `=`, `+`, `-`, `@`, tab or CR gets a
/// leading `'` so that a spreadsheet app shows it as text instead of running it as a formula — except
/// plain numbers (`-5`, `+1.25`) in the columns listed in `numericColumns`.
public final class CSVWriter {
  public let path: String
  public let delimiter: UInt8
  public let neutraliseFormulas: Bool
  /// 0-based columns whose plain numbers (`-5`) are written as they are.
  public var numericColumns: Set<Int>
  private var fd: Int32
  private var buffer: [UInt8] = []
  private let fileName: String

  /// Creates (or truncates) `path`. With `byteOrderMark`, the file starts with a UTF-8 BOM so that Excel
  /// reads accented letters correctly.
  public init(
    path: String, delimiter: UInt8 = UInt8(ascii: ","), neutraliseFormulas: Bool = true,
    numericColumns: Set<Int> = [], byteOrderMark: Bool = false
  ) throws(ReaderError) {
    self.path = path
    self.delimiter = delimiter
    self.neutraliseFormulas = neutraliseFormulas
    self.numericColumns = numericColumns
    self.fileName = FileInput.baseName(path)
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if fd < 0 {
      throw ReaderError(
        code: "output.unwritable", file: fileName,
        message: "cannot write \(path) (\(FileInput.errorText(errno)))")
    }
    _ = fchmod(fd, 0o644)
    buffer.reserveCapacity(1 << 16)
    if byteOrderMark { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
  }

  deinit {
    if fd >= 0 { _ = close(fd) }
  }

  /// Appends one row.
  public func writeRow(_ values: [String]) throws(ReaderError) {
    for (column, value) in values.enumerated() {
      if column > 0 { buffer.append(delimiter) }
      appendField(value, numeric: numericColumns.contains(column))
    }
    buffer.append(13)
    buffer.append(10)
    if buffer.count >= 1 << 16 { try flush() }
  }

  /// Writes what is buffered and closes the file.
  public func finish() throws(ReaderError) {
    try flush()
    if fd >= 0 {
      let result = close(fd)
      fd = -1
      if result != 0 {
        throw ReaderError(
          code: "output.unwritable", file: fileName,
          message: "cannot finish writing \(path) (\(FileInput.errorText(errno)))")
      }
    }
  }

  /// The text of one field as it is written (quoted and neutralised as needed).
  public static func field(
    _ value: String, delimiter: UInt8 = UInt8(ascii: ","), neutraliseFormulas: Bool = true,
    numeric: Bool = false
  ) -> String {
    var out: [UInt8] = []
    appendField(value, to: &out, delimiter: delimiter, neutralise: neutraliseFormulas, numeric: numeric)
    return String(decoding: out, as: UTF8.self)
  }

  /// True when a spreadsheet app could take `value` for a formula.
  public static func looksLikeFormula(_ value: String) -> Bool {
    guard let first = value.utf8.first else { return false }
    return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
      || first == UInt8(ascii: "@") || first == 9 || first == 13
  }

  /// `[+-]digits[.digits]`.
  public static func isPlainNumber(_ value: String) -> Bool {
    var it = value.utf8.makeIterator()
    var c = it.next()
    if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { c = it.next() }
    var digits = 0
    var dot = false
    while let u = c {
      if u >= 48 && u <= 57 {
        digits += 1
      } else if u == UInt8(ascii: ".") && !dot {
        dot = true
      } else {
        return false
      }
      c = it.next()
    }
    return digits > 0
  }

  private func appendField(_ value: String, numeric: Bool) {
    Self.appendField(
      value, to: &buffer, delimiter: delimiter, neutralise: neutraliseFormulas, numeric: numeric)
  }

  private static func appendField(
    _ value: String, to out: inout [UInt8], delimiter: UInt8, neutralise: Bool, numeric: Bool
  ) {
    let prefix = neutralise && looksLikeFormula(value) && !(numeric && isPlainNumber(value))
    var needsQuotes = false
    for u in value.utf8 where u == delimiter || u == 34 || u == 10 || u == 13 {
      needsQuotes = true
      break
    }
    if needsQuotes { out.append(34) }
    if prefix { out.append(UInt8(ascii: "'")) }
    for u in value.utf8 {
      out.append(u)
      if u == 34 { out.append(34) }
    }
    if needsQuotes { out.append(34) }
  }

  private func flush() throws(ReaderError) {
    var offset = 0
    while offset < buffer.count {
      let n = buffer.withUnsafeBytes { raw -> Int in
        guard let base = raw.baseAddress else { return 0 }
        return write(fd, base + offset, raw.count - offset)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw ReaderError(
          code: "output.unwritable", file: fileName,
          message: "cannot write \(path) (\(FileInput.errorText(errno)))")
      }
      offset += n
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
