import AllotCore

/// A growable byte buffer that report rows are rendered into (off the writing thread), with the same
/// CSV and JSON escaping as `ReportFileWriter`: no intermediate `String` per cell.
///
/// Its own memory rather than an `Array`: a row is some forty small appends, and each
/// `Array.append(contentsOf:)` was a call with a uniqueness check and a capacity check (a quarter of
/// the CPU of writing the reports); here an append is an inline capacity check and a copy. A class, so
/// that a rendered slice goes to the writer as it is, without a copy. Strings are read in place
/// (`TextScan.withBytes`), not through a copy for the mutating `withUTF8`.
final class ByteSink: ByteOutput {
  private var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int = 0) {
    self.capacity = max(64, capacity)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// The bytes written so far, for the duration of `body`.
  func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try withExtendedLifetime(self) { try body(UnsafeBufferPointer(start: base, count: count)) }
  }

  /// Empties the buffer, keeping its memory.
  func removeAll() { count = 0 }

  @inline(__always)
  private func reserve(_ n: Int) {
    if count + n > capacity { grow(to: count + n) }
  }

  @inline(never)
  private func grow(to needed: Int) {
    capacity = max(needed, capacity * 2)
    let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    larger.initialize(from: base, count: count)
    base.deallocate()
    base = larger
  }

  @inline(__always)
  func append(_ b: UInt8) {
    reserve(1)
    base[count] = b
    count += 1
  }

  @inline(__always)
  func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress else { return }
    let n = bytes.count
    reserve(n)
    let target = base + count
    if n >= 8 && n <= 64 {
      // Most values and keys are a few dozen bytes: copied a word at a time here (the last word
      // overlapping the one before) rather than through a call to `memmove`.
      let from = UnsafeRawPointer(source)
      let to = UnsafeMutableRawPointer(target)
      var i = 0
      while i + 8 < n {
        to.storeBytes(
          of: from.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
        i += 8
      }
      to.storeBytes(
        of: from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
    } else if n < 8 {
      for k in 0..<n { target[k] = source[k] }
    } else {
      target.initialize(from: source, count: n)
    }
    count += n
  }

  @inline(__always)
  func append(raw bytes: UnsafeRawBufferPointer) {
    append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
  }

  @inline(__always)
  func byte(_ b: UInt8) { append(b) }

  /// A literal's bytes. (A `String` overload beside this one would take every literal: Swift prefers a
  /// literal's default type, and each call then went through the string's storage in a closure, which
  /// retained the sink.)
  @inline(__always)
  func raw(_ s: StaticString) {
    if s.hasPointerRepresentation {
      append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    } else {
      s.withUTF8Buffer { append(contentsOf: $0) }
    }
  }

  /// A text's bytes as they are (no escaping: an enum's raw value, a number).
  @inline(__always)
  func rawText(_ s: String) { TextScan.withBytes(s) { append(contentsOf: $0) } }

  /// `day` as `YYYY-MM-DD`, written in place; false, with nothing written, for a year outside
  /// 0–9999 (the caller then writes `day.description` as the cell it is).
  @inline(__always)
  func isoDay(_ day: CalendarDay) -> Bool {
    reserve(10)
    guard day.writeISO(into: base + count) else { return false }
    count += 10
    return true
  }

  /// A non-negative or negative integer in decimal.
  func int(_ value: Int) {
    if value < 0 {
      byte(UInt8(ascii: "-"))
      unsigned(UInt64(value.magnitude))
    } else {
      unsigned(UInt64(value))
    }
  }

  private func unsigned(_ value: UInt64) {
    var v = value
    var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &tmp) { buf in
      var i = buf.count
      repeat {
        i -= 1
        buf[i] = UInt8(truncatingIfNeeded: v % 10) + 48
        v /= 10
      } while v > 0
      append(raw: UnsafeRawBufferPointer(rebasing: buf[i...]))
    }
  }

  /// `d.plainText` (the scale kept).
  func decimal(_ d: ExactDecimal) {
    let written: Void? = d.withPlainTextUTF8 { append(raw: $0) }
    if written == nil { rawText(d.description) }
  }

  /// `ReconciliationResult.format(d, like: reference)`.
  func amount(_ d: ExactDecimal, like reference: ExactDecimal) {
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
  func csvText(_ s: String) { cell(s, neutralise: true) }

  /// A CSV number cell: written as is (quoted only if it somehow holds a comma or quote).
  func csvNumber(_ s: String) { cell(s, neutralise: false) }

  func csvText(_ u: UnsafeBufferPointer<UInt8>) { cell(u, neutralise: true) }

  func csvNumber(_ u: UnsafeBufferPointer<UInt8>) { cell(u, neutralise: false) }

  private func cell(_ s: String, neutralise: Bool) {
    TextScan.withBytes(s) { cell($0, neutralise: neutralise) }
  }

  private func cell(_ u: UnsafeBufferPointer<UInt8>, neutralise: Bool) {
    var out = self
    CSVCell.append(u, neutralise: neutralise, to: &out)
  }

  /// `"text"` for a value that needs no JSON escaping (an enum's raw value, an ISO date), or `null`.
  func plainJSONStringOrNull(_ text: String?) {
    guard let text else { return raw("null") }
    byte(34)
    rawText(text)
    byte(34)
  }

  /// A JSON string literal (`<` escaped too, so the JSON can sit inside HTML).
  func jsonString(_ s: String) {
    TextScan.withBytes(s) { jsonString($0) }
  }

  func jsonString(_ u: UnsafeBufferPointer<UInt8>) {
    var out = self
    JSONStringLiteral.append(u, to: &out)
  }
}
