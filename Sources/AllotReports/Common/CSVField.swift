/// CSV cells for reports: RFC 4180 quoting, and formula neutralisation for spreadsheet apps.
public enum CSVField {
  /// A text cell: a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` in front (so Excel, Numbers and
  /// LibreOffice show it as text instead of running it), then quoted when needed.
  public static func text(_ s: String) -> String {
    quoted(neutralised(s))
  }

  /// A number cell: written as is (amounts stay plain numbers, `-3.00` included).
  public static func number(_ s: String) -> String { quoted(s) }

  public static func neutralised(_ s: String) -> String {
    guard let f = s.utf8.first else { return s }
    switch f {
    case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13: return "'" + s
    default: return s
    }
  }

  static func quoted(_ s: String) -> String {
    var needs = false
    for u in s.utf8 where u == 44 || u == 34 || u == 10 || u == 13 {
      needs = true
      break
    }
    guard needs else { return s }
    var out = "\""
    for c in s.unicodeScalars {
      if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
    }
    return out + "\""
  }

  /// One CSV line (CRLF-free: `\n` ends it).
  public static func line(_ cells: [String]) -> String { cells.joined(separator: ",") + "\n" }
}

/// JSON string literals for streaming JSON.
public enum JSONString {
  /// Appends `quoted(s)`'s UTF-8 to `out`, without building a `String` (the same escapes).
  public static func append(_ s: String, to out: inout [UInt8]) {
    var text = s
    text.withUTF8 { JSONStringLiteral.append($0, to: &out) }
  }

  public static func quoted(_ s: String) -> String {
    var out = "\""
    out.reserveCapacity(s.utf8.count + 2)
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "<": out += "\\u003c"
      case let c where c.value < 0x20 || c.value == 0x2028 || c.value == 0x2029:
        let hex = String(c.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
    return out
  }
}
