import AllotCore

/// A scriptable Magna: decides each create from a closure, keeps the allocations it "committed", and
/// lists them like `POST /allocations` (by token, optional wallet, cursor paging).
public actor FakeMagnaAPI: MagnaAPI {
  /// What the fake does with one create request.
  public enum Behavior: Sendable, Hashable {
    /// Commit and answer 200.
    case create
    /// Commit, then lose the answer (5xx after commit, dropped connection).
    case commitThenLose(status: Int?)
    /// Do nothing and answer as if unsure (5xx before commit, timeout before processing).
    case loseWithoutCommit(status: Int?)
    case reject(status: Int, type: String, message: String)
    case unauthorized(status: Int)
    case rateLimited(retryAfter: Double?)
    case notSent
    case unavailable(retryAfter: Double?)
  }

  public struct Created: Sendable, Hashable {
    public var id: String
    public var key: String
    public var tokenId: String
    public var wallet: String?
    public var reference: String?
    public var body: [UInt8]
  }

  public private(set) var created: [Created] = []
  public private(set) var createCalls = 0
  public private(set) var listCalls = 0
  public private(set) var bodies: [[UInt8]] = []
  private var script: @Sendable (_ call: Int, _ reference: String?) -> Behavior
  private var listFailure: MagnaError?
  public var contracts: Set<String> = []
  public var schedules: Set<String> = []

  public init(
    _ script: @escaping @Sendable (_ call: Int, _ reference: String?) -> Behavior = { _, _ in .create }
  ) {
    self.script = script
  }

  public func setScript(_ script: @escaping @Sendable (_ call: Int, _ reference: String?) -> Behavior) {
    self.script = script
  }

  /// Listings fail with `error` (nil: they work again), for the next `times` listings when given, then
  /// they work again by themselves (so a test does not race the engine to heal the API).
  public func setListFailure(_ error: MagnaError?, times: Int? = nil) {
    listFailure = error
    listFailuresLeft = times
  }
  private var listFailuresLeft: Int?

  /// How many allocations carry `reference`.
  public func count(reference: String) -> Int { created.filter { $0.reference == reference }.count }

  public func createAllocation(body: [UInt8]) async -> CreateOutcome {
    createCalls += 1
    bodies.append(body)
    let reference = JSONPeek.referenceAttribute(in: body)
    let behavior = script(createCalls, reference)
    func commit() -> Created {
      let n = created.count + 1
      let c = Created(
        id: "alloc-\(n)", key: "A-\(n)", tokenId: JSONPeek.string("tokenId", in: body) ?? "",
        wallet: JSONPeek.string("walletAddress", in: body), reference: reference, body: body)
      created.append(c)
      return c
    }
    switch behavior {
    case .create:
      let c = commit()
      return .created(id: c.id, key: c.key)
    case .commitThenLose(let status):
      _ = commit()
      return .uncertain(status: status, reason: "The connection dropped after the request was sent.")
    case .loseWithoutCommit(let status):
      return .uncertain(status: status, reason: "Timed out after the request was sent.")
    case .reject(let status, let type, let message):
      return .rejected(status: status, type: type, message: message)
    case .unauthorized(let status):
      return .unauthorized(status: status, type: "ForbiddenError", message: "Invalid API key for project")
    case .rateLimited(let retryAfter):
      return .rateLimited(retryAfterSeconds: retryAfter)
    case .notSent:
      return .notSent(reason: "Connection refused.")
    case .unavailable(let retryAfter):
      return .unavailable(retryAfterSeconds: retryAfter)
    }
  }

  public func listAllocations(tokenId: String, walletAddress: String?, cursor: String?, limit: Int)
    async throws(MagnaError) -> AllocationPage
  {
    listCalls += 1
    if let listFailure {
      if let left = listFailuresLeft {
        listFailuresLeft = left - 1
        if left <= 1 { self.listFailure = nil }
      }
      throw listFailure
    }
    let matching = created.filter {
      $0.tokenId == tokenId && (walletAddress == nil || $0.wallet == walletAddress)
    }
    var start = 0
    if let cursor, let i = matching.firstIndex(where: { $0.id == cursor }) { start = i + 1 }
    let page = matching.dropFirst(start).prefix(max(1, limit))
    let items = page.map {
      ListedAllocation(
        id: $0.id, key: $0.key, amount: nil, walletAddress: $0.wallet,
        customAttributes: $0.reference.map {
          [AllocationRequest.Attribute(key: RowReference.attributeKey, value: $0)]
        }
          ?? [])
    }
    let next = start + page.count < matching.count ? page.last?.id : nil
    return AllocationPage(items: items, cursor: next, total: matching.count)
  }

  public func contractIds(tokenId: String) async throws(MagnaError) -> Set<String> { contracts }
  public func scheduleIds(tokenId: String) async throws(MagnaError) -> Set<String> { schedules }
}

/// Tiny readers of the flat JSON bodies allot writes (tests only).
public enum JSONPeek {
  /// The value of a top-level-looking `"name":"value"` pair (first occurrence).
  public static func string(_ name: String, in body: [UInt8]) -> String? {
    let text = String(decoding: body, as: UTF8.self)
    guard let r = text.firstRange(of: "\"\(name)\":\"") else { return nil }
    let rest = text[r.upperBound...]
    guard let end = rest.firstIndex(of: "\"") else { return nil }
    return String(rest[..<end])
  }

  public static func referenceAttribute(in body: [UInt8]) -> String? {
    let text = String(decoding: body, as: UTF8.self)
    guard let r = text.firstRange(of: "{\"key\":\"\(RowReference.attributeKey)\",\"value\":\"") else {
      return nil
    }
    let rest = text[r.upperBound...]
    guard let end = rest.firstIndex(of: "\"") else { return nil }
    return String(rest[..<end])
  }
}
