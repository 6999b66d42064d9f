/// The field rules on UTF-8 bytes, for rows that need no message: each function answers only for
/// values the `String` rules accept without an issue, and gives nil (or false) for anything else, so
/// that the caller can fall back to those rules, which then explain the problem.
enum ByteRules {
  typealias Bytes = UnsafeBufferPointer<UInt8>

  /// `TextScan.trimmed` on the UTF-8 bytes of a valid string.
  static func trimmed(_ b: Bytes) -> Bytes {
    guard let p = b.baseAddress else { return b }
    var s = 0
    var e = b.count
    while s < e {
      let u = p[s]
      if u < 0x80 {
        guard TextScan.isASCIISpace(u) else { break }
        s += 1
      } else if u == 0xC2 && s + 1 < e && p[s + 1] == 0xA0 {
        s += 2  // U+00A0
      } else if s + 2 < e && isTrimmable3(p[s], p[s + 1], p[s + 2]) {
        s += 3  // U+2007, U+202F, U+FEFF
      } else {
        break
      }
    }
    while e > s {
      let u = p[e - 1]
      if u < 0x80 {
        guard TextScan.isASCIISpace(u) else { break }
        e -= 1
      } else if e - s >= 2 && u == 0xA0 && p[e - 2] == 0xC2 {
        e -= 2
      } else if e - s >= 3 && isTrimmable3(p[e - 3], p[e - 2], u) {
        e -= 3
      } else {
        break
      }
    }
    return Bytes(rebasing: b[s..<e])
  }

  @inline(__always)
  private static func isTrimmable3(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
    (a == 0xE2 && b == 0x80 && (c == 0x87 || c == 0xAF)) || (a == 0xEF && b == 0xBB && c == 0xBF)
  }

  /// The canonical amount (a slice of `b`) when `AmountRule.check` accepts the trimmed text `b` with no
  /// issue; nil otherwise.
  static func amount(_ b: Bytes, maxDecimals: Int) -> Bytes? {
    guard let shape = DecimalShape(b) else { return nil }
    let dropLeading = shape.dropLeading
    let keepFrac = shape.keepFraction
    let end = keepFrac > 0 ? shape.dot + 1 + keepFrac : shape.intDigits
    let canonical = Bytes(rebasing: b[dropLeading..<end])
    // "0" is not positive; too many decimals or digits get their message from `AmountRule`.
    if canonical.count == 1 && canonical[0] == 48 { return nil }
    if keepFrac > maxDecimals { return nil }
    if shape.intDigits - dropLeading + keepFrac > 38 { return nil }
    return canonical
  }

  /// `AmountRule.compareCanonical` on bytes: -1, 0 or 1.
  static func compareCanonical(_ a: Bytes, _ b: Bytes) -> Int {
    let ad = a.firstIndex(of: UInt8(ascii: ".")) ?? a.count
    let bd = b.firstIndex(of: UInt8(ascii: ".")) ?? b.count
    if ad != bd { return ad < bd ? -1 : 1 }
    for i in 0..<ad where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
    let af = a.count - min(a.count, ad + 1)
    let bf = b.count - min(b.count, bd + 1)
    for i in 0..<max(af, bf) {
      let x = i < af ? a[ad + 1 + i] : 48
      let y = i < bf ? b[bd + 1 + i] : 48
      if x != y { return x < y ? -1 : 1 }
    }
    return 0
  }

  /// True when `b` is `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ` with a real date and time: the two forms
  /// `DateRule` accepts and sends as written.
  static func isPlainISODate(_ b: Bytes) -> Bool {
    guard b.count == 10 || b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
      let y = number(b, 0, 4), let m = number(b, 5, 2), let d = number(b, 8, 2),
      ExcelDate.isValidDate(year: y, month: m, day: d)
    else { return false }
    if b.count == 10 { return true }
    guard b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
      b[19] == UInt8(ascii: "Z"), let h = number(b, 11, 2), let mi = number(b, 14, 2),
      let s = number(b, 17, 2)
    else { return false }
    return h <= 23 && mi <= 59 && s <= 59
  }

  @inline(__always)
  private static func number(_ b: Bytes, _ at: Int, _ count: Int) -> Int? {
    var n = 0
    for i in at..<(at + count) {
      let u = b[i]
      guard TextScan.isDigit(u) else { return nil }
      n = n * 10 + Int(u &- 48)
    }
    return n
  }

  /// `CancellableRule.check` on bytes; nil when it would refuse the text.
  static func cancellable(_ b: Bytes) -> Bool? {
    if b.count == 1 {
      switch TextScan.lower(b[0]) {
      case UInt8(ascii: "1"), UInt8(ascii: "y"): return true
      case UInt8(ascii: "0"), UInt8(ascii: "n"): return false
      default: return nil
      }
    }
    if equalsLowercased(b, "true") || equalsLowercased(b, "yes") { return true }
    if equalsLowercased(b, "false") || equalsLowercased(b, "no") { return false }
    return nil
  }

  private static func equalsLowercased(_ b: Bytes, _ lowerLiteral: StaticString) -> Bool {
    guard b.count == lowerLiteral.utf8CodeUnitCount else { return false }
    let p = lowerLiteral.utf8Start
    for i in 0..<b.count where TextScan.lower(b[i]) != p[i] { return false }
    return true
  }

  /// The handle (a slice of `b`) for `[@]` then 1–15 of `[A-Za-z0-9_]`, the form `XHandleRule`
  /// accepts without a word; nil otherwise.
  static func plainHandle(_ b: Bytes) -> Bytes? {
    let start = b.first == UInt8(ascii: "@") ? 1 : 0
    let count = b.count - start
    guard count >= 1 && count <= XHandleRule.maxLength else { return nil }
    for i in start..<b.count {
      let u = b[i]
      guard TextScan.isDigit(u) || TextScan.isASCIILetter(u) || u == UInt8(ascii: "_") else { return nil }
    }
    return Bytes(rebasing: b[start...])
  }

  /// The index of the allowed release mode equal to `b` in upper case (`ReleaseModeRule.check`, given
  /// the allowed modes as bytes, all ASCII); nil when none is, or when `b` is not ASCII (left to the
  /// `String` rule, as is everything when `allowed` is empty).
  static func releaseMode(_ b: Bytes, allowed: [[UInt8]]) -> Int? {
    for u in b where u >= 0x80 { return nil }
    search: for (index, mode) in allowed.enumerated() where mode.count == b.count {
      for i in 0..<b.count where mode[i] != upper(b[i]) { continue search }
      return index
    }
    return nil
  }

  @inline(__always)
  private static func upper(_ u: UInt8) -> UInt8 { u >= 97 && u <= 122 ? u - 32 : u }

  /// True when `WalletAddress.check` accepts the trimmed text `b`. An EVM address in one case is
  /// checked here; anything else goes through `WalletAddress.check`.
  static func isValidWallet(_ b: Bytes) -> Bool {
    if b.count == 42, let base = b.baseAddress, base[0] == UInt8(ascii: "0"), base[1] == UInt8(ascii: "x") {
      // The 40 digits as five words of eight bytes (a byte at a time, this loop was a tenth of a
      // million-row validation's CPU).
      let raw = UnsafeRawPointer(base)
      var hex = SWARBytes.highs
      var upper: UInt64 = 0
      var lower: UInt64 = 0
      for offset in stride(from: 2, to: 42, by: 8) {
        let w = SWARBytes.load(raw, offset)
        let digits = SWARBytes.hexDigits(w)
        hex &= digits.hex
        upper |= digits.capital
        lower |= SWARBytes.inRange(w, 0x61, 0x66)
      }
      if hex != SWARBytes.highs { return false }
      if upper == 0 || lower == 0 { return true }
    }
    if case .success = WalletAddress.check(String(decoding: b, as: UTF8.self)) { return true }
    return false
  }
}
