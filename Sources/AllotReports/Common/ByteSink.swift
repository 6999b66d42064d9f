import AllotCore

/// A growable byte buffer that report rows are rendered into (off the writing thread), with the same
/// CSV and JSON escaping as `ReportFileWriter`: no intermediate `String` per cell.
struct ByteSink {
  var bytes: [UInt8] = []

  init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  @inline(__always)
  mutating func byte(_ b: UInt8) { bytes.append(b) }

  @inline(__always)
  mutating func raw(_ s: StaticString) {
    s.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  @inline(__always)
  mutating func raw(_ s: String) {
    var text = s
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  /// A non-negative or negative integer in decimal.
  mutating func int(_ value: Int) {
    if value < 0 {
      byte(UInt8(ascii: "-"))
      unsigned(UInt64(value.magnitude))
    } else {
      unsigned(UInt64(value))
    }
  }

  private mutating func unsigned(_ value: UInt64) {
    var v = value
    var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &tmp) { buf in
      var i = buf.count
      repeat {
        i -= 1
        buf[i] = UInt8(truncatingIfNeeded: v % 10) + 48
        v /= 10
      } while v > 0
      bytes.append(contentsOf: buf[i...])
    }
  }

  /// `d.plainText` (the scale kept).
  mutating func decimal(_ d: ExactDecimal) {
    let written: Void? = d.withPlainTextUTF8 { bytes.append(contentsOf: $0) }
    if written == nil { raw(d.description) }
  }

  /// `ReconciliationResult.format(d, like: reference)`.
  mutating func amount(_ d: ExactDecimal, like reference: ExactDecimal) {
    if d.scale == reference.scale {
      decimal(d)
      return
    }
    let c = d.scale > reference.scale ? d.canonicalized : d
    if c.scale <= reference.scale, let r = c.rescaled(to: reference.scale) {
      decimal(r)
    } else {
      decimal(c)
    }
  }

  /// A CSV text cell: formula-neutralised (`'` before a leading `=`, `+`, `-`, `@`, tab, CR) and
  /// quoted when it holds a comma, quote or line break.
  mutating func csvText(_ s: String) { cell(s, neutralise: true) }

  /// A CSV number cell: written as is (quoted only if it somehow holds a comma or quote).
  mutating func csvNumber(_ s: String) { cell(s, neutralise: false) }

  mutating func csvText(_ u: UnsafeBufferPointer<UInt8>) { cell(u, neutralise: true) }

  mutating func csvNumber(_ u: UnsafeBufferPointer<UInt8>) { cell(u, neutralise: false) }

  private mutating func cell(_ s: String, neutralise: Bool) {
    var text = s
    text.withUTF8 { cell($0, neutralise: neutralise) }
  }

  private mutating func cell(_ u: UnsafeBufferPointer<UInt8>, neutralise: Bool) {
    CSVCell.append(u, neutralise: neutralise, to: &bytes)
  }

  /// `"text"` for a value that needs no JSON escaping (an enum's raw value, an ISO date), or `null`.
  mutating func plainJSONStringOrNull(_ text: String?) {
    guard let text else { return raw("null") }
    byte(34)
    raw(text)
    byte(34)
  }

  /// A JSON string literal (`<` escaped too, so the JSON can sit inside HTML).
  mutating func jsonString(_ s: String) {
    var text = s
    text.withUTF8 { jsonString($0) }
  }

  mutating func jsonString(_ u: UnsafeBufferPointer<UInt8>) {
    JSONStringLiteral.append(u, to: &bytes)
  }
}
