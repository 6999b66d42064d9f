import Foundation

/// The sandbox's allocations, in memory and optionally in a JSON state file rewritten atomically
/// (temporary file + rename) after every commit, so a restarted sandbox keeps them.
actor SandboxStore {
  private(set) var allocations: [SandboxAllocation] = []
  private var indexById: [String: Int] = [:]
  /// Each allocation's JSON, encoded once, so persisting after a commit costs one file write rather than
  /// re-encoding every allocation.
  private var encoded: [Data] = []
  private var nextSequence = 1
  private let stateFile: URL?
  private let seed: UInt64

  init(stateFile: String?, seed: UInt64) throws(SandboxError) {
    self.seed = seed
    self.stateFile = stateFile.map { URL(fileURLWithPath: $0) }
    guard let url = self.stateFile, FileManager.default.fileExists(atPath: url.path) else { return }
    let state: SandboxStateFile
    do {
      state = try JSONDecoder().decode(SandboxStateFile.self, from: try Data(contentsOf: url))
    } catch {
      throw SandboxError.stateFile(url.path, "cannot be read as a sandbox state file (\(error))")
    }
    if let stored = state.seed, stored != seed {
      throw SandboxError.stateFile(
        url.path, "was written with --seed \(stored); start the sandbox with that seed")
    }
    allocations = state.allocations.sorted { $0.sequence < $1.sequence }
    for (index, allocation) in allocations.enumerated() { indexById[allocation.id] = index }
    encoded = allocations.map { (try? Self.encoder.encode($0)) ?? Data() }
    nextSequence = max(state.nextSequence, (allocations.last?.sequence ?? 0) + 1)
  }

  /// Adds an allocation built for the next sequence number, then persists. On a write failure nothing is
  /// kept and the error is thrown.
  func commit(_ build: (Int) -> SandboxAllocation) throws(SandboxError) -> SandboxAllocation {
    let allocation = build(nextSequence)
    if stateFile != nil {
      do {
        encoded.append(try Self.encoder.encode(allocation))
      } catch {
        throw SandboxError.stateFile(stateFile?.path ?? "", "could not be written (\(error))")
      }
    }
    allocations.append(allocation)
    indexById[allocation.id] = allocations.count - 1
    nextSequence += 1
    do {
      try persist()
    } catch {
      allocations.removeLast()
      if stateFile != nil { encoded.removeLast() }
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

  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }()

  /// Writes `{"version":1,"seed":…,"nextSequence":…,"allocations":[…]}` to a temporary file and renames it
  /// over the state file.
  private func persist() throws(SandboxError) {
    guard let url = stateFile else { return }
    var data = Data("{\"version\":1,\"seed\":\(seed),\"nextSequence\":\(nextSequence),\"allocations\":[".utf8)
    data.reserveCapacity(encoded.reduce(data.count + 2) { $0 + $1.count + 1 })
    for (index, item) in encoded.enumerated() {
      if index > 0 { data.append(UInt8(ascii: ",")) }
      data.append(item)
    }
    data.append(contentsOf: Array("]}\n".utf8))
    do {
      try data.write(to: url, options: .atomic)
    } catch {
      throw SandboxError.stateFile(url.path, "could not be written (\(error))")
    }
  }
}
