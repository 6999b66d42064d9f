import AllotCore

/// Byte-to-text decoding helpers for CSV cells.
enum TextDecoding {
  /// Unicode scalars for Windows-1252 bytes 0x80...0x9F (the rest of the code page equals Latin-1).
  /// The five undefined bytes map to the C1 control of the same value, as the WHATWG encoding standard
  /// does.
  static let windows1252High: [UInt32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
  ]

  /// Decodes Windows-1252 bytes.
  static func windows1252(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
      if b < 0x80 {
        out.append(b)
        continue
      }
      let scalar: UInt32 = b < 0xA0 ? windows1252High[Int(b) - 0x80] : UInt32(b)
      appendUTF8(scalar, to: &out)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// True when every byte is below 0x80 (sixteen bytes at a time: `ByteScan.isASCII`).
  @inline(__always)
  static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { ByteScan.isASCII(bytes) }

  @inline(__always)
  static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
      out.append(UInt8(scalar))
    case 0x80..<0x800:
      out.append(UInt8(0xC0 | (scalar >> 6)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
      out.append(UInt8(0xE0 | (scalar >> 12)))
      out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
      out.append(UInt8(0xF0 | (scalar >> 18)))
      out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
      out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    }
  }
}

/// Streaming UTF-16 (LE or BE) to UTF-8 transcoder. Unpaired surrogates become U+FFFD; an odd trailing
/// byte at the end of the input also becomes U+FFFD.
struct UTF16Transcoder {
  let bigEndian: Bool
  private var pendingByte: UInt8?
  private var pendingHigh: UInt16?

  init(bigEndian: Bool) { self.bigEndian = bigEndian }

  /// Appends the UTF-8 of `input` to `out`.
  mutating func transcode(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) {
    var i = 0
    let n = input.count
    if let first = pendingByte, n > 0 {
      pendingByte = nil
      unit(combine(first, input[0]), &out)
      i = 1
    }
    while i + 1 < n {
      unit(combine(input[i], input[i + 1]), &out)
      i += 2
    }
    if i < n { pendingByte = input[i] }
  }

  /// Flushes what is left at the end of the input.
  mutating func finish(into out: inout [UInt8]) {
    if pendingHigh != nil {
      TextDecoding.appendUTF8(0xFFFD, to: &out)
      pendingHigh = nil
    }
    if pendingByte != nil {
      TextDecoding.appendUTF8(0xFFFD, to: &out)
      pendingByte = nil
    }
  }

  @inline(__always)
  private func combine(_ a: UInt8, _ b: UInt8) -> UInt16 {
    bigEndian ? UInt16(a) << 8 | UInt16(b) : UInt16(b) << 8 | UInt16(a)
  }

  @inline(__always)
  private mutating func unit(_ u: UInt16, _ out: inout [UInt8]) {
    if let high = pendingHigh {
      pendingHigh = nil
      if (0xDC00...0xDFFF).contains(u) {
        let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(u) - 0xDC00)
        TextDecoding.appendUTF8(scalar, to: &out)
        return
      }
      TextDecoding.appendUTF8(0xFFFD, to: &out)
    }
    switch u {
    case 0xD800...0xDBFF: pendingHigh = u
    case 0xDC00...0xDFFF: TextDecoding.appendUTF8(0xFFFD, to: &out)
    default: TextDecoding.appendUTF8(UInt32(u), to: &out)
    }
  }
}
