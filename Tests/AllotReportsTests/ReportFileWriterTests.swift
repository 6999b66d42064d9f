import AllotTestSupport
import Foundation
import Testing

@testable import AllotReports

/// Large reports bypass the page cache in whole staging blocks; small ones, the last partial block, and
/// file systems that refuse direct I/O go through `write(2)`. Whatever the path, the file holds exactly
/// the bytes given, in order.
@Suite("Report file writer")
struct ReportFileWriterTests {
  /// Bytes that differ from block to block, so a block written twice or out of order shows.
  static func pattern(_ count: Int, seed: UInt64) -> [UInt8] {
    var x = seed
    return (0..<count).map { _ in
      x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: x >> 56)
    }
  }

  /// `bytes` as a rendered slice.
  static func sink(_ bytes: [UInt8]) -> ByteSink {
    let sink = ByteSink(capacity: 16)
    bytes.withUnsafeBufferPointer { sink.append(contentsOf: $0) }
    return sink
  }

  /// Writes `pieces` with every kind of call and reads the file back.
  static func roundTrip(in directory: String, pieces: [[UInt8]]) throws -> (written: [UInt8], read: [UInt8]) {
    let path = directory + "/report-\(UUID().uuidString).bin"
    let w = try ReportFileWriter(path: path)
    var all: [UInt8] = []
    for (k, p) in pieces.enumerated() {
      switch k % 3 {
      case 0: try w.write(sink(p))
      case 1: for b in p { try w.write(byte: b) }
      default:
        try w.write(sink(Array(p.prefix(p.count / 2))))
        try w.flush()
        try w.write(sink(Array(p.dropFirst(p.count / 2))))
      }
      all += p
    }
    try w.close()
    let read = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    try? FileManager.default.removeItem(atPath: path)
    return (all, read)
  }

  static let sizes: [[Int]] = [
    [0], [1], [100], [DirectStage.size - 1], [DirectStage.size], [DirectStage.size + 1],
    [3 * DirectStage.size + 4_095], [5_000_000, 17, 300_000, 2 * DirectStage.size, 1, 777_777],
  ]

  @Test(arguments: sizes)
  func holdsExactlyTheBytesGiven(sizes: [Int]) throws {
    let dir = TestScratch.directory("writer").path
    let pieces = sizes.enumerated().map { Self.pattern($0.element, seed: UInt64($0.offset + 1)) }
    let (written, read) = try Self.roundTrip(in: dir, pieces: pieces)
    #expect(read.count == written.count)
    #expect(read == written)
  }

  /// tmpfs refuses `O_DIRECT`: the writer falls back to buffered writes.
  @Test func fileSystemWithoutDirectIOGetsBufferedWrites() throws {
    let shm = "/dev/shm"
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: shm, isDirectory: &isDirectory), isDirectory.boolValue,
      FileManager.default.isWritableFile(atPath: shm)
    else { return }
    let pieces = [Self.pattern(2 * DirectStage.size + 12_345, seed: 9)]
    let (written, read) = try Self.roundTrip(in: shm, pieces: pieces)
    #expect(read == written)
  }

  @Test func unwritablePathIsAnError() {
    #expect(throws: ReportError.self) {
      _ = try ReportFileWriter(path: "/nonexistent-folder-of-allot/report.csv")
    }
  }
}
