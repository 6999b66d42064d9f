import AllotCore
import AllotHTTP

/// What a sandbox holds, read through allot's own Magna client, for end-to-end checks.
enum SandboxAllocations {
  /// Every allocation of `tokenId`, page by page.
  static func all(baseURL: String, token: String, tokenId: String) async throws -> [ListedAllocation] {
    let configuration = try MagnaClientConfiguration(baseURL: baseURL, token: APISecret(token))
    return try await withMagnaClient(configuration) { client in
      var all: [ListedAllocation] = []
      var cursor: String? = nil
      repeat {
        let page = try await client.listAllocations(
          tokenId: tokenId, walletAddress: nil, cursor: cursor, limit: 100)
        all += page.items
        cursor = page.items.isEmpty ? nil : page.cursor
      } while cursor != nil
      return all
    }
  }

  /// The row reference (`allot_ref`) of each allocation that carries one.
  static func references(_ listed: [ListedAllocation]) -> [String] {
    listed.compactMap { a in
      a.customAttributes.first { $0.key == AllocationRequest.referenceAttributeKey }?.value
    }
  }
}
