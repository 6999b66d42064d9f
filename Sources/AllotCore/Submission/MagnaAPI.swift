/// What one create request came to. A rejected row is a value, not a thrown error.
public enum CreateOutcome: Sendable, Hashable {
  /// 2xx with `isProcessed: true`.
  case created(id: String, key: String)
  /// 400/404/413/422: permanent; Magna's error type and message.
  case rejected(status: Int, type: String?, message: String)
  /// 401/403: stop the run.
  case unauthorized(status: Int, type: String?, message: String)
  /// 429, honouring `Retry-After` (seconds) when given.
  case rateLimited(retryAfterSeconds: Double?)
  /// The request never left (connection refused, DNS, TLS before send): safe to retry.
  case notSent(reason: String)
  /// 503 where the server states it did nothing: safe to retry.
  case unavailable(retryAfterSeconds: Double?)
  /// The request may have landed (timeout after send, connection dropped after send, other 5xx).
  case uncertain(status: Int?, reason: String)
}

/// One allocation as listed by `POST /allocations`.
public struct ListedAllocation: Sendable, Hashable, Codable {
  public var id: String
  public var key: String?
  public var amount: String?
  public var walletAddress: String?
  public var customAttributes: [AllocationRequest.Attribute]
  public init(
    id: String, key: String?, amount: String?, walletAddress: String?,
    customAttributes: [AllocationRequest.Attribute]
  ) {
    self.id = id
    self.key = key
    self.amount = amount
    self.walletAddress = walletAddress
    self.customAttributes = customAttributes
  }
}

public struct AllocationPage: Sendable, Hashable {
  public var items: [ListedAllocation]
  public var cursor: String?
  public var total: Int?
  public init(items: [ListedAllocation], cursor: String?, total: Int?) {
    self.items = items
    self.cursor = cursor
    self.total = total
  }
}

/// Errors of the Magna client other than create outcomes (listing, preflight).
public struct MagnaError: Error, Sendable, Hashable, CustomStringConvertible {
  public var status: Int?
  public var type: String?
  public var message: String
  public init(status: Int?, type: String?, message: String) {
    self.status = status
    self.type = type
    self.message = message
  }
  public var description: String {
    var s = "Magna"
    if let status { s += " answered \(status)" }
    if let type { s += " (\(type))" }
    return s + ": " + message
  }
  public var isAuthorization: Bool { status == 401 || status == 403 }
}

/// The part of Magna's external API that submission needs. The real client lives in `AllotHTTP`;
/// tests use fakes.
public protocol MagnaAPI: Sendable {
  /// `POST /allocations/create` with the exact body bytes.
  func createAllocation(body: [UInt8]) async -> CreateOutcome
  /// Starts `POST /allocations/create` with the exact body bytes and calls `completion` once with its
  /// outcome, on any thread. The submission engine sends this way, without a task per request; the
  /// default runs ``createAllocation(body:)`` in a task.
  func startCreateAllocation(body: [UInt8], completion: @escaping @Sendable (CreateOutcome) -> Void)
    -> CreateRequestHandle
  /// `POST /allocations` (list), one page.
  func listAllocations(tokenId: String, walletAddress: String?, cursor: String?, limit: Int)
    async throws(MagnaError)
    -> AllocationPage
  /// `POST /contracts`: the ids of the token's contracts.
  func contractIds(tokenId: String) async throws(MagnaError) -> Set<String>
  /// `POST /schedules`: the ids of the token's schedules.
  func scheduleIds(tokenId: String) async throws(MagnaError) -> Set<String>
}

/// Cancels a create request started by ``MagnaAPI/startCreateAllocation(body:completion:)``; its completion
/// is still called (with the outcome the cancellation leads to).
public struct CreateRequestHandle: Sendable {
  private let cancelRequest: @Sendable () -> Void

  public init(cancel: @escaping @Sendable () -> Void) {
    self.cancelRequest = cancel
  }

  public func cancel() { cancelRequest() }

  /// Runs `create` in a task and hands its outcome to `completion`; the handle cancels the task.
  public static func task(
    _ create: @escaping @Sendable () async -> CreateOutcome,
    completion: @escaping @Sendable (CreateOutcome) -> Void
  ) -> CreateRequestHandle {
    let task = Task { completion(await create()) }
    return CreateRequestHandle(cancel: { task.cancel() })
  }
}

extension MagnaAPI {
  public func startCreateAllocation(
    body: [UInt8], completion: @escaping @Sendable (CreateOutcome) -> Void
  ) -> CreateRequestHandle {
    .task({ await createAllocation(body: body) }, completion: completion)
  }
}
