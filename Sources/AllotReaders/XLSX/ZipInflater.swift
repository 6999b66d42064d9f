import CLibXML2

/// Why an entry's bytes could not be produced.
enum ZipInflateError: Error {
  /// The deflate stream is invalid, or ends before its final block (truncated or crafted).
  case corrupt
  /// The entry uses a compression method other than stored or deflate.
  case unsupportedMethod(UInt16)
  /// The entry is encrypted.
  case encrypted
}

/// Streams the uncompressed bytes of one zip entry: stored entries are copied, deflated entries are
/// inflated with zlib (raw deflate) in bounded chunks. Input is never read past the entry's
/// compressed size, and a stream that has not ended when its input runs out is an error, so crafted
/// streams can neither spin nor read outside the entry.
enum ZipInflater {
  static let chunkSize = 1 << 16

  /// Calls `body` with each chunk of output. `body` may throw to stop (its error propagates).
  static func stream(
    _ entry: ZipEntry, in zip: ZipFile, _ body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    if entry.isEncrypted { throw ZipInflateError.encrypted }
    guard let start = zip.dataOffset(of: entry) else { throw ZipInflateError.corrupt }
    switch entry.method {
    case 0: try copyStored(entry, start: start, zip: zip, body)
    case 8: try inflate(entry, start: start, zip: zip, body)
    default: throw ZipInflateError.unsupportedMethod(entry.method)
    }
  }

  private static func copyStored(
    _ entry: ZipEntry, start: UInt64, zip: ZipFile, _ body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    var done: UInt64 = 0
    while done < entry.compressedSize {
      let want = Int(min(UInt64(chunkSize), entry.compressedSize - done))
      let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want])
      let n = zip.readFully(into: slice, at: start + done)
      guard n == want else { throw ZipInflateError.corrupt }
      done += UInt64(n)
      try body(UnsafeRawBufferPointer(slice))
    }
  }

  private static func inflate(
    _ entry: ZipEntry, start: UInt64, zip: ZipFile, _ body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    var stream = z_stream()
    guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw ZipInflateError.corrupt
    }
    defer { inflateEnd(&stream) }
    let input = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { input.deallocate() }
    let output = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { output.deallocate() }
    guard let inBase = input.baseAddress?.assumingMemoryBound(to: UInt8.self),
      let outBase = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
    else { throw ZipInflateError.corrupt }
    var consumed: UInt64 = 0
    var ended = false
    while !ended {
      if stream.avail_in == 0 {
        guard consumed < entry.compressedSize else { throw ZipInflateError.corrupt }  // ran out of input
        let want = Int(min(UInt64(chunkSize), entry.compressedSize - consumed))
        let n = zip.readFully(
          into: UnsafeMutableRawBufferPointer(rebasing: input[0..<want]), at: start + consumed)
        guard n == want else { throw ZipInflateError.corrupt }
        consumed += UInt64(n)
        stream.next_in = inBase
        stream.avail_in = UInt32(n)
      }
      stream.next_out = outBase
      stream.avail_out = UInt32(chunkSize)
      let inBefore = stream.avail_in
      let result = CLibXML2.inflate(&stream, Z_NO_FLUSH)
      let produced = chunkSize - Int(stream.avail_out)
      switch result {
      case Z_STREAM_END: ended = true
      case Z_OK: break
      case Z_BUF_ERROR:
        // No progress possible: only acceptable when more input is coming.
        if produced == 0 && stream.avail_in == inBefore && stream.avail_in != 0 {
          throw ZipInflateError.corrupt
        }
      default: throw ZipInflateError.corrupt
      }
      if produced > 0 { try body(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
    }
  }
}
