/// Spreadsheet column letters: 0 → "A", 25 → "Z", 26 → "AA".
public enum ColumnName {
  public static func letters(_ index: Int) -> String {
    var n = index + 1
    var out: [Character] = []
    while n > 0 {
      let r = (n - 1) % 26
      out.append(Character(Unicode.Scalar(UInt8(65 + r))))
      n = (n - 1) / 26
    }
    return String(out.reversed())
  }

  /// "AB" → 27 (0-based); nil for anything that is not letters only. Case-insensitive.
  public static func index<S: StringProtocol>(_ letters: S) -> Int? {
    var n = 0
    var any = false
    for u in letters.utf8 {
      let c: UInt8
      switch u {
      case 65...90: c = u - 64
      case 97...122: c = u - 96
      default: return nil
      }
      n = n * 26 + Int(c)
      any = true
      if n > 16_384 { return nil }
    }
    return any ? n - 1 : nil
  }
}
