import AllotCore

/// Byte-level helpers for XLSX text: `_xHHHH_` escapes, edge whitespace, integers, cell references and
/// ISO dates of `t="d"` cells.
enum XLSXText {
  @inline(__always) static func isXMLWhitespace(_ u: UInt8) -> Bool {
    u == 0x20 || u == 0x09 || u == 0x0A || u == 0x0D
  }

  /// The range of `bytes` without leading and trailing XML whitespace (space, tab, CR, LF).
  static func trimmedRange(_ bytes: ArraySlice<UInt8>) -> Range<Int> {
    var lo = bytes.startIndex
    var hi = bytes.endIndex
    while lo < hi && isXMLWhitespace(bytes[lo]) { lo += 1 }
    while hi > lo && isXMLWhitespace(bytes[hi - 1]) { hi -= 1 }
    return lo..<hi
  }

  /// Decodes the text of a cell: UTF-8 bytes with OOXML `_xHHHH_` escapes (`_x000D_` → CR,
  /// `_x005F_` → `_`, surrogate pairs as two escapes) turned into characters.
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    guard hasEscape(bytes) else { return String(decoding: bytes, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    let end = bytes.count
    while i < end {
      if let (unit, next) = escape(bytes, at: i) {
        var scalar: Unicode.Scalar?
        var after = next
        if (0xD800...0xDBFF).contains(unit), let (low, next2) = escape(bytes, at: next),
          (0xDC00...0xDFFF).contains(low)
        {
          scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
          after = next2
        } else {
          scalar = Unicode.Scalar(unit)
        }
        if let scalar {
          out.append(contentsOf: String(Character(scalar)).utf8)
          i = after
          continue
        }
      }
      out.append(bytes[i])
      i += 1
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func decode(_ bytes: [UInt8]) -> String {
    bytes.withUnsafeBufferPointer { decode($0) }
  }

  private static func hasEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count >= 7 else { return false }
    var i = 0
    let last = bytes.count - 6
    while i < last {
      if bytes[i] == UInt8(ascii: "_") && bytes[i + 1] == UInt8(ascii: "x") { return true }
      i += 1
    }
    return false
  }

  /// `_xHHHH_` at `i`: the UTF-16 code unit and the index after the escape.
  private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt16, Int)? {
    guard i + 7 <= bytes.count, bytes[i] == UInt8(ascii: "_"),
      bytes[i + 1] == UInt8(ascii: "x") || bytes[i + 1] == UInt8(ascii: "X"),
      bytes[i + 6] == UInt8(ascii: "_")
    else { return nil }
    var value: UInt16 = 0
    for k in 2..<6 {
      guard let h = hexValue(bytes[i + k]) else { return nil }
      value = value << 4 | UInt16(h)
    }
    return (value, i + 7)
  }

  @inline(__always) static func hexValue(_ u: UInt8) -> UInt8? {
    switch u {
    case 48...57: return u - 48
    case 65...70: return u - 55
    case 97...102: return u - 87
    default: return nil
    }
  }

  /// A non-negative decimal integer (surrounding XML whitespace allowed); nil otherwise or on overflow.
  static func integer<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
    var value = 0
    var any = false
    var done = false
    for u in bytes {
      if u >= 48 && u <= 57 {
        if done { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int(u - 48))
        if o1 || o2 { return nil }
        value = a
        any = true
      } else if isXMLWhitespace(u) {
        if any { done = true }
      } else {
        return nil
      }
    }
    return any ? value : nil
  }

  /// A cell reference such as `B12` or `b12` (also `B` alone): 0-based column and optional 1-based row.
  static func cellReference(_ bytes: UnsafeBufferPointer<UInt8>) -> (column: Int, row: Int?)? {
    var col = 0
    var i = 0
    while i < bytes.count {
      let u = bytes[i]
      let c: Int
      switch u {
      case 65...90: c = Int(u) - 64
      case 97...122: c = Int(u) - 96
      case UInt8(ascii: "$"):
        i += 1
        continue
      default: c = -1
      }
      if c < 0 { break }
      col = col * 26 + c
      if col > 1 << 20 { return nil }
      i += 1
    }
    guard col > 0 else { return nil }
    if i < bytes.count && bytes[i] == UInt8(ascii: "$") { i += 1 }
    let row = i < bytes.count ? integer(UnsafeBufferPointer(rebasing: bytes[i...])) : nil
    return (col - 1, row)
  }

  /// The date of an ISO 8601 `t="d"` cell (`2021-01-01`, `2021-01-01T10:10:10`, optional fraction
  /// and zone); nil for anything else (such as a bare time `10:10:10`).
  static func isoDate(_ text: String) -> DateTimeParts? {
    let b = Array(text.utf8)
    func num(_ from: Int, _ count: Int) -> Int? {
      guard from + count <= b.count else { return nil }
      var v = 0
      for k in from..<(from + count) {
        guard b[k] >= 48 && b[k] <= 57 else { return nil }
        v = v * 10 + Int(b[k] - 48)
      }
      return v
    }
    guard b.count >= 10, let y = num(0, 4), b[4] == UInt8(ascii: "-"), let m = num(5, 2),
      b[7] == UInt8(ascii: "-"), let d = num(8, 2), ExcelDate.isValidDate(year: y, month: m, day: d)
    else { return nil }
    var parts = DateTimeParts(year: y, month: m, day: d)
    if b.count == 10 { return parts }
    guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), let hh = num(11, 2),
      b.count > 13, b[13] == UInt8(ascii: ":"), let mm = num(14, 2), hh < 24, mm < 60
    else { return nil }
    parts.hour = hh
    parts.minute = mm
    var i = 16
    if i < b.count && b[i] == UInt8(ascii: ":") {
      guard let ss = num(17, 2), ss < 60 else { return nil }
      parts.second = ss
      i = 19
    }
    if i < b.count && b[i] == UInt8(ascii: ".") {
      i += 1
      while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
    }
    // Zone designators (Z, +hh:mm) are accepted and dropped: spreadsheet dates have no zone.
    if i < b.count {
      guard b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else {
        return nil
      }
    }
    return parts
  }
}
