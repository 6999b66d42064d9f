/// The request body of a valid row, written straight from the row's bytes
/// (`AllocationValidator.prepareWithoutRequest`): the same bytes as `AllocationRequest.jsonBody()`,
/// with where the token and the wallet address are in it.
public struct ByteBody: Sendable {
  public var bytes: [UInt8]
  /// The tokenId's text inside `bytes` (without its quotes).
  public var tokenId: Range<Int>
  /// The walletAddress's text inside `bytes`, nil when the row has none.
  public var walletAddress: Range<Int>?
}
