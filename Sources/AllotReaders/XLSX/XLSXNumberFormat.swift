/// Which number formats make a numeric cell a date or time.
enum XLSXNumberFormat {
  /// Built-in format ids that are dates or times (ECMA-376 §18.8.30 and the East Asian ids).
  static func isBuiltInDate(_ id: Int) -> Bool {
    (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id)
  }

  /// True when a custom format code has a date or time token (`y m d h s`, also `[h]`/`[mm]`/`[ss]`
  /// elapsed time) outside quoted text, `[...]` brackets (colours, locales, conditions), escaped
  /// characters (`\x`), and the character after `_` or `*`.
  static func isDateFormat(_ code: String) -> Bool {
    let b = Array(code.utf8)
    var i = 0
    while i < b.count {
      let u = b[i]
      switch u {
      case UInt8(ascii: "\""):
        i += 1
        while i < b.count && b[i] != UInt8(ascii: "\"") { i += 1 }
      case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
        i += 1
      case UInt8(ascii: "["):
        var j = i + 1
        while j < b.count && b[j] != UInt8(ascii: "]") { j += 1 }
        let inner = b[(i + 1)..<min(j, b.count)].map { $0 | 0x20 }
        if !inner.isEmpty
          && (inner.allSatisfy { $0 == UInt8(ascii: "h") } || inner.allSatisfy { $0 == UInt8(ascii: "m") }
            || inner.allSatisfy { $0 == UInt8(ascii: "s") })
        {
          return true
        }
        i = j
      case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "m"), UInt8(ascii: "M"), UInt8(ascii: "d"),
        UInt8(ascii: "D"), UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "s"), UInt8(ascii: "S"):
        return true
      default:
        break
      }
      i += 1
    }
    return false
  }
}
