#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Buffered writing to stdout, so large outputs stream without one `print` per value.
struct BufferedOutput {
  private var buffer: [UInt8] = []
  private let fd: Int32

  init(fd: Int32 = STDOUT_FILENO) {
    self.fd = fd
    buffer.reserveCapacity(1 << 16)
  }

  mutating func write(_ s: String) {
    buffer.append(contentsOf: s.utf8)
    if buffer.count >= 1 << 16 { flush() }
  }

  /// Lets `body` append bytes to the buffer (no `String` in between).
  mutating func write(_ body: (inout [UInt8]) -> Void) {
    body(&buffer)
    if buffer.count >= 1 << 16 { flush() }
  }

  mutating func flush() {
    var offset = 0
    buffer.withUnsafeBytes { raw in
      while offset < raw.count, let base = raw.baseAddress {
        let n = systemWrite(fd, base + offset, raw.count - offset)
        if n <= 0 { break }
        offset += n
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
