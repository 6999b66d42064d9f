import Foundation

/// The sandbox's allocations, in memory and optionally in a JSON state file rewritten atomically
/// (temporary file + rename) after every commit, so a restarted sandbox keeps them.
actor SandboxStore {
  private(set) var allocations: [SandboxAllocation] = []
  private var indexById: [String: Int] = [:]
  private var nextSequence = 1
  private let stateFile: URL?

  init(stateFile: String?) throws(SandboxError) {
    self.stateFile = stateFile.map { URL(fileURLWithPath: $0) }
    guard let url = self.stateFile, FileManager.default.fileExists(atPath: url.path) else { return }
    do {
      let data = try Data(contentsOf: url)
      let state = try JSONDecoder().decode(SandboxStateFile.self, from: data)
      allocations = state.allocations.sorted { $0.sequence < $1.sequence }
      for (index, allocation) in allocations.enumerated() { indexById[allocation.id] = index }
      nextSequence = max(state.nextSequence, (allocations.last?.sequence ?? 0) + 1)
    } catch {
      throw SandboxError.stateFile(url.path, "cannot be read as a sandbox state file (\(error))")
    }
  }

  /// The sequence number the next allocation will get.
  func peekSequence() -> Int { nextSequence }

  /// Adds an allocation built for the next sequence number, then persists. On a write failure nothing is
  /// kept and the error is thrown.
  func commit(_ build: (Int) -> SandboxAllocation) throws(SandboxError) -> SandboxAllocation {
    let allocation = build(nextSequence)
    allocations.append(allocation)
    indexById[allocation.id] = allocations.count - 1
    nextSequence += 1
    do {
      try persist()
    } catch {
      allocations.removeLast()
      indexById[allocation.id] = nil
      nextSequence -= 1
      throw error
    }
    return allocation
  }

  func allocation(id: String) -> SandboxAllocation? {
    indexById[id].map { allocations[$0] }
  }

  /// One page of a token's allocations in creation order, after `cursor` (an allocation id).
  /// Returns nil when the cursor is unknown.
  func page(tokenId: String, walletAddress: String?, cursor: String?, limit: Int)
    -> (items: [SandboxAllocation], next: String?, total: Int)?
  {
    let wanted = walletAddress.map(Self.walletKey)
    let matching = allocations.filter {
      $0.tokenId == tokenId && (wanted == nil || $0.walletAddress.map(Self.walletKey) == wanted)
    }
    var start = 0
    if let cursor, !cursor.isEmpty {
      guard let position = indexById[cursor] else { return nil }
      let sequence = allocations[position].sequence
      start = matching.firstIndex { $0.sequence > sequence } ?? matching.count
    }
    let items = Array(matching[start..<min(matching.count, start + limit)])
    let hasMore = start + items.count < matching.count
    return (items, hasMore ? items.last?.id : nil, matching.count)
  }

  /// EVM addresses compare case-insensitively; other chains exactly.
  static func walletKey(_ address: String) -> String {
    let trimmed = address.trimmingCharacters(in: .whitespaces)
    return trimmed.hasPrefix("0x") || trimmed.hasPrefix("0X") ? trimmed.lowercased() : trimmed
  }

  private func persist() throws(SandboxError) {
    guard let url = stateFile else { return }
    let state = SandboxStateFile(version: 1, nextSequence: nextSequence, allocations: allocations)
    do {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      try encoder.encode(state).write(to: url, options: .atomic)
    } catch {
      throw SandboxError.stateFile(url.path, "could not be written (\(error))")
    }
  }
}
