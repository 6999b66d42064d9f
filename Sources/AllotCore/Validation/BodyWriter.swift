/// Writes a row's values as its request body (`allot import`), and hashes them as `BodyHash.Streaming`
/// does: every row of a file must get its duplicate key the same way, whichever path checked it.
struct BodyWriter: RowValueSink {
  static var writesBody: Bool { true }
  // Room for the body and what `PreparedRow` appends to it.
  var body = JSONWriter(capacity: 1024)
  private var hash = BodyHash.Streaming()
  var tokenId: Range<Int> = 0..<0
  var walletAddress: Range<Int>? = nil
  /// Whether the customAttributes array is open (closed before the wallet address).
  private var inAttributes = false
  /// False when a value could not be written as the request would be (the caller builds the request).
  private(set) var writable = true

  var bytes: Int { hash.bytes }

  func duplicateKey() -> UInt64? { hash.finish() }

  mutating func add(_ tag: UInt64, _ value: Bytes?) {
    hash.add(tag, value)
    write(tag, value)
  }

  mutating func add(_ tag: UInt64, _ value: String?) {
    guard let value else { return add(tag, nil as Bytes?) }
    TextScan.withBytes(value) { add(tag, $0) }
  }

  mutating func cancellable(_ value: Bool?) {
    hash.cancellable(value)
    guard let value else { return }
    body.key("cancellable")
    body.bool(value)
  }

  mutating func attributes(count: Int?) {
    hash.attributes(count: count)
    guard count != nil else { return }
    body.key("customAttributes")
    body.beginArray()
    inAttributes = true
  }

  mutating func attribute(key: String, value: Bytes) {
    hash.attribute(key: key, value: value)
    body.beginObject()
    body.key("key")
    body.string(key)
    body.key("value")
    body.string(value)
    body.endObject()
  }

  private mutating func write(_ tag: UInt64, _ value: Bytes?) {
    switch tag {
    case 1:
      body.beginObject()
      guard let value else { return writable = false }
      body.field("amount", value)
    case 2:
      guard let value else { return writable = false }
      body.field("contractId", value)
    case 3:
      guard let value else { return writable = false }
      body.key("tokenId")
      tokenId = quoted(value)
    case 4:
      guard let value else { return writable = false }
      body.field("category", value)
    case 5:
      body.key("stakeholder")
      body.beginObject()
      body.field("name", value)
    case 6: body.field("email", value)
    case 7: body.field("xHandle", value)
    case 8:
      body.field("employeeNumber", value)
      body.endObject()
    case 9: body.field("description", value)
    case 10: body.field("unlockScheduleId", value)
    case 11: body.field("unlockStartAt", value)
    case 12: body.field("vestingScheduleId", value)
    case 13: body.field("vestingStartAt", value)
    case 14: body.field("releaseMode", value)
    case 15: body.field("receivedOffMagna", value)
    case 20:
      if inAttributes {
        body.endArray()
        inAttributes = false
      }
      if let value {
        body.key("walletAddress")
        walletAddress = quoted(value)
      }
      body.endObject()
    default:
      writable = false
    }
  }

  /// Writes `value` as a string; the range of its text in the body, which must need no escape.
  private mutating func quoted(_ value: Bytes) -> Range<Int> {
    body.string(value)
    let end = body.bytes.count - 1
    let range = end - value.count..<end
    if body.bytes[range.lowerBound - 1] != UInt8(ascii: "\"") { writable = false }
    return range
  }
}
