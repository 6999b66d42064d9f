/// An exact decimal number: `significand × 10^-scale`, never a binary float.
///
/// Holds up to 38 significant digits (`Int128`) with up to 38 fractional digits, which covers token
/// amounts with 18 fractional digits and any realistic supply. Equality and ordering are numeric
/// (`2750.25 == 2750.250000`); `description` keeps the scale it was written with, `canonical` strips
/// trailing fractional zeros.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
  // The significand is kept as two words and the scale as a byte: `Int128` is aligned to 16 bytes, so
  // an `Int128` and an `Int` took 32 bytes a value, and a million payouts, transactions and outcomes
  // carry three or four values each. As words the value takes 17 bytes, aligned to 8.
  private var low: UInt64
  private var high: Int64
  private var scaleByte: UInt8

  public private(set) var significand: Int128 {
    @inline(__always) get { Int128(high) << 64 | Int128(low) }
    @inline(__always) set {
      low = UInt64(truncatingIfNeeded: newValue)
      high = Int64(truncatingIfNeeded: newValue >> 64)
    }
  }

  public private(set) var scale: Int {
    @inline(__always) get { Int(scaleByte) }
    @inline(__always) set { scaleByte = UInt8(newValue) }
  }

  public static let maxScale = 38
  public static let zero = ExactDecimal(significand: 0, scale: 0)

  public init(significand: Int128, scale: Int) {
    precondition(scale >= 0 && scale <= Self.maxScale)
    low = UInt64(truncatingIfNeeded: significand)
    high = Int64(truncatingIfNeeded: significand >> 64)
    scaleByte = UInt8(scale)
  }

  public init(_ value: Int) {
    self.init(significand: Int128(value), scale: 0)
  }

  /// Parses the strict grammar `[+-]? digits ( "." digits )?` (also `.5` and `5.`); nil otherwise or
  /// when the number does not fit 38 digits.
  public init?<S: StringProtocol>(_ text: S) {
    if let parsed = text.utf8.withContiguousStorageIfAvailable({ ExactDecimal(utf8: $0) }) {
      guard let parsed else { return nil }
      self = parsed
      return
    }
    self.init(parsing: text.utf8)
  }

  /// `init?(_:)` of UTF-8 bytes. Up to 19 bytes (every amount a sheet or an export holds) the digits
  /// gather in a `UInt64`, which cannot overflow there; longer texts take the `Int128` loop.
  public init?(utf8 u: UnsafeBufferPointer<UInt8>) {
    let n = u.count
    guard n <= 19 else {
      self.init(parsing: u)
      return
    }
    var i = 0
    var neg = false
    if n > 0 && (u[0] == UInt8(ascii: "-") || u[0] == UInt8(ascii: "+")) {
      neg = u[0] == UInt8(ascii: "-")
      i = 1
    }
    var sig: UInt64 = 0
    var scale = 0
    var seenDot = false
    var any = false
    while i < n {
      let c = u[i]
      if c &- 48 < 10 {
        sig = sig &* 10 &+ UInt64(c &- 48)
        any = true
        if seenDot { scale += 1 }
      } else if c == UInt8(ascii: ".") && !seenDot {
        seenDot = true
      } else {
        return nil
      }
      i += 1
    }
    guard any else { return nil }
    self.init(significand: neg ? -Int128(sig) : Int128(sig), scale: scale)
  }

  private init?<C: Collection<UInt8>>(parsing utf8: C) {
    var neg = false
    var sig: Int128 = 0
    var scale = 0
    var digits = 0
    var seenDot = false
    var any = false
    var first = true
    for u in utf8 {
      defer { first = false }
      switch u {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        let (m, o1) = sig.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int128(u &- 48))
        if o1 || o2 { return nil }
        sig = a
        any = true
        if sig != 0 { digits += 1 }
        if seenDot {
          scale += 1
          if scale > Self.maxScale { return nil }
        }
      case UInt8(ascii: "."):
        if seenDot { return nil }
        seenDot = true
      case UInt8(ascii: "-") where first:
        neg = true
      case UInt8(ascii: "+") where first:
        break
      default:
        return nil
      }
    }
    guard any else { return nil }
    self.init(significand: neg ? -sig : sig, scale: scale)
  }

  public var isZero: Bool { significand == 0 }
  public var isNegative: Bool { significand < 0 }
  public var isPositive: Bool { significand > 0 }

  /// Significant digits of the number as written, ignoring leading zeros (`0.0050` → 2 after trimming
  /// trailing zeros is not done here: `0.0050` has 2 significant digits plus one trailing zero → 3).
  public var significantDigits: Int {
    var m = significand.magnitude
    var n = 0
    while m > 0 {
      m /= 10
      n += 1
    }
    return n
  }

  /// Number of fractional digits after stripping trailing zeros.
  public var fractionalDigits: Int { canonicalized.scale }

  public var magnitude: ExactDecimal {
    ExactDecimal(significand: significand < 0 ? -significand : significand, scale: scale)
  }

  /// The same value with trailing fractional zeros removed.
  public var canonicalized: ExactDecimal {
    var s = significand
    var k = scale
    while k > 0 && s % 10 == 0 {
      s /= 10
      k -= 1
    }
    return ExactDecimal(significand: s, scale: k)
  }

  /// Text with the scale kept: `2750.250000`.
  public var description: String {
    let neg = significand < 0
    var digits = String(significand.magnitude)
    if scale > 0 {
      if digits.count <= scale {
        digits = String(repeating: "0", count: scale - digits.count + 1) + digits
      }
      let idx = digits.index(digits.endIndex, offsetBy: -scale)
      digits = digits[..<idx] + "." + digits[idx...]
    }
    return neg ? "-" + digits : digits
  }

  /// Text with trailing fractional zeros removed: `2750.25`.
  public var canonical: String { canonicalized.description }

  /// Text with exactly `places` fractional digits (rounding half away from zero when it must shorten).
  public func formatted(places: Int) -> String {
    rounded(places: places).description
  }

  public func rounded(places: Int) -> ExactDecimal {
    if places >= scale {
      return rescaled(to: places) ?? self
    }
    let drop = scale - places
    let p = Self.pow10(drop)
    var q = significand / p
    let r = significand % p
    if (r.magnitude * 2) >= p.magnitude { q += significand < 0 ? -1 : 1 }
    return ExactDecimal(significand: q, scale: places)
  }

  /// The same value at a larger scale; nil when it would overflow.
  public func rescaled(to newScale: Int) -> ExactDecimal? {
    if newScale == scale { return self }
    guard newScale > scale, newScale <= Self.maxScale else { return nil }
    let (m, o) = significand.multipliedReportingOverflow(by: Self.pow10(newScale - scale))
    return o ? nil : ExactDecimal(significand: m, scale: newScale)
  }

  static func pow10(_ n: Int) -> Int128 {
    var r: Int128 = 1
    for _ in 0..<n { r &*= 10 }
    return r
  }

  /// Brings two values to a common scale; nil on overflow.
  static func aligned(_ a: ExactDecimal, _ b: ExactDecimal) -> (Int128, Int128, Int)? {
    if a.scale == b.scale { return (a.significand, b.significand, a.scale) }
    let s = max(a.scale, b.scale)
    guard let x = a.rescaled(to: s), let y = b.rescaled(to: s) else { return nil }
    return (x.significand, y.significand, s)
  }

  public static func == (a: ExactDecimal, b: ExactDecimal) -> Bool {
    if let (x, y, _) = aligned(a, b) { return x == y }
    return a.canonicalized.significand == b.canonicalized.significand
      && a.canonicalized.scale == b.canonicalized.scale
  }

  public func hash(into hasher: inout Hasher) {
    let c = canonicalized
    hasher.combine(c.significand)
    hasher.combine(c.scale)
  }

  public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
    if let (x, y, _) = aligned(a, b) { return x < y }
    // Only reachable with extreme scales: compare canonical forms by sign, then by rescaling down.
    let ca = a.canonicalized
    let cb = b.canonicalized
    if let (x, y, _) = aligned(ca, cb) { return x < y }
    return Self.textLess(ca, cb)
  }

  /// Ordering by digits, for values whose scales cannot be aligned in 128 bits.
  private static func textLess(_ a: ExactDecimal, _ b: ExactDecimal) -> Bool {
    if a.isNegative != b.isNegative { return a.isNegative }
    func parts(_ d: ExactDecimal) -> ([UInt8], [UInt8]) {
      let t = Array(d.magnitude.description.utf8)
      if let dot = t.firstIndex(of: UInt8(ascii: ".")) {
        return (Array(t[..<dot]), Array(t[(dot + 1)...]))
      }
      return (t, [])
    }
    let (ai, af) = parts(a)
    let (bi, bf) = parts(b)
    let width = max(af.count, bf.count)
    let left = (ai.count, ai, af + Array(repeating: 48, count: width - af.count))
    let right = (bi.count, bi, bf + Array(repeating: 48, count: width - bf.count))
    let magnitudeLess: Bool
    if left.0 != right.0 {
      magnitudeLess = left.0 < right.0
    } else if left.1 != right.1 {
      magnitudeLess = left.1.lexicographicallyPrecedes(right.1)
    } else {
      magnitudeLess = left.2.lexicographicallyPrecedes(right.2)
    }
    return a.isNegative ? !magnitudeLess && left.1 + left.2 != right.1 + right.2 : magnitudeLess
  }

  /// Sum; nil on overflow.
  public func adding(_ other: ExactDecimal) -> ExactDecimal? {
    guard let (x, y, s) = Self.aligned(self, other) else { return nil }
    let (r, o) = x.addingReportingOverflow(y)
    return o ? nil : ExactDecimal(significand: r, scale: s)
  }

  /// Difference; nil on overflow.
  public func subtracting(_ other: ExactDecimal) -> ExactDecimal? {
    guard let (x, y, s) = Self.aligned(self, other) else { return nil }
    let (r, o) = x.subtractingReportingOverflow(y)
    return o ? nil : ExactDecimal(significand: r, scale: s)
  }

  /// Product; nil on overflow or when the scale would pass 38 digits.
  public func multiplied(by other: ExactDecimal) -> ExactDecimal? {
    let (r, o) = significand.multipliedReportingOverflow(by: other.significand)
    let s = scale + other.scale
    guard !o else { return nil }
    if s <= Self.maxScale { return ExactDecimal(significand: r, scale: s) }
    return ExactDecimal(significand: r / Self.pow10(s - Self.maxScale), scale: Self.maxScale)
  }

  public static func + (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal {
    guard let r = a.adding(b) else { preconditionFailure("ExactDecimal overflow in +") }
    return r
  }

  public static func - (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal {
    guard let r = a.subtracting(b) else { preconditionFailure("ExactDecimal overflow in -") }
    return r
  }
}
