/// The shape of a plain decimal text `digits [. digits]`, read in one pass: what the amount rule and
/// its byte form need to find the canonical text (no redundant leading zero, no trailing fractional
/// zero) without building it.
struct DecimalShape {
  var intDigits = 0
  /// Index of the `.`, or -1.
  var dot = -1
  var fracDigits = 0
  var leadingZeros = 0
  var trailingZeros = 0

  /// Nil when `bytes` is not `digits [. digits]` (at least one integer digit; a `.` needs fractional
  /// digits).
  @inline(__always)
  init?(_ bytes: some Sequence<UInt8>) {
    var index = 0
    for u in bytes {
      if TextScan.isDigit(u) {
        if dot < 0 {
          if intDigits == leadingZeros && u == 48 { leadingZeros += 1 }
          intDigits += 1
        } else {
          fracDigits += 1
          trailingZeros = u == 48 ? trailingZeros + 1 : 0
        }
      } else if u == UInt8(ascii: ".") && dot < 0 {
        dot = index
      } else {
        return nil
      }
      index += 1
    }
    guard intDigits > 0, dot < 0 || fracDigits > 0 else { return nil }
  }

  /// Leading zeros to drop (one zero stays before the point).
  var dropLeading: Int { intDigits > 1 ? min(leadingZeros, intDigits - 1) : 0 }
  /// Fractional digits kept once trailing zeros are dropped.
  var keepFraction: Int { fracDigits - trailingZeros }
  /// True when the text is canonical already.
  var isCanonical: Bool { dropLeading == 0 && (dot < 0 || trailingZeros == 0) }
}
