/// Where `AllocationValidator`'s byte checks put a row's values, given in body order (`BodyHash.key`'s
/// order): hashed for duplicate detection (`BodyHash.Streaming`), or written as the request body
/// (`BodyWriter`). The checks are generic over it, so each use gets code of its own.
protocol RowValueSink {
  typealias Bytes = UnsafeBufferPointer<UInt8>
  /// Whether the values become a body (then a reference attribute column sends the row to the
  /// request path).
  static var writesBody: Bool { get }
  /// The number of bytes of the values given so far.
  var bytes: Int { get }
  /// The row's duplicate key, when the values are hashed.
  func duplicateKey() -> UInt64?
  mutating func add(_ tag: UInt64, _ value: Bytes?)
  mutating func add(_ tag: UInt64, _ value: String?)
  mutating func cancellable(_ value: Bool?)
  /// The number of custom attributes that follow (`attribute(key:value:)`), nil when the row has none.
  mutating func attributes(count: Int?)
  mutating func attribute(key: String, value: Bytes)
}

extension BodyHash.Streaming: RowValueSink {
  static var writesBody: Bool { false }

  func duplicateKey() -> UInt64? { finish() }

  mutating func cancellable(_ value: Bool?) {
    word(16 << 8 | UInt64(value.map { $0 ? 1 : 2 } ?? 0))
  }

  mutating func attributes(count: Int?) {
    word(17 << 8 | (count.map(UInt64.init) ?? 0xFF))
  }

  mutating func attribute(key: String, value: Bytes) {
    add(18, key)
    add(19, value)
  }
}
