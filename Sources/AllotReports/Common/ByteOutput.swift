/// Where the cell escapers (`CSVCell`, `JSONStringLiteral`) append their bytes: a plain byte array, or a
/// `ByteSink`. Generic, so each use gets its own specialised code.
protocol ByteOutput {
  mutating func append(_ byte: UInt8)
  mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteOutput where Element == UInt8 {}
