import AllotCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Magna's external API over AsyncHTTPClient.
///
/// Create with ``withMagnaClient(_:_:)`` (which owns and shuts down the `HTTPClient`), or around an
/// `HTTPClient` you own with ``init(httpClient:configuration:)``. Every request carries
/// `x-magna-api-token` and `Content-Type: application/json`; the token never appears in outcomes,
/// errors or descriptions.
public struct MagnaClient: MagnaAPI, CustomStringConvertible {
  public let configuration: MagnaClientConfiguration
  let http: HTTPClient
  /// `POST /allocations/create` with its headers and no body, built once (nil when the base URL does not
  /// parse: each create then fails with the reason).
  let createTemplate: HTTPClient.Request?
  /// The deadlines of the creates started by ``startCreateAllocation(body:completion:)``.
  let deadlines: RequestDeadlines

  /// Uses `httpClient` as is (it should not follow redirects: see ``makeHTTPClient(_:)``).
  public init(httpClient: HTTPClient, configuration: MagnaClientConfiguration) {
    self.http = httpClient
    self.configuration = configuration
    self.deadlines = RequestDeadlines(on: httpClient.eventLoopGroup.next())
    self.createTemplate = try? HTTPClient.Request(
      url: configuration.baseURL + "/allocations/create", method: .POST,
      headers: Self.headers(configuration.token))
  }

  /// The event loop of the clients made by ``makeHTTPClient(_:)``: one loop of NIO's shared group, so tasks
  /// that run on ``taskExecutor`` handle their answers without a hop between threads.
  public static let eventLoop: any EventLoop = HTTPClient.defaultEventLoopGroup.next()
  /// Runs tasks on ``eventLoop`` (`withTaskExecutorPreference`).
  public static let taskExecutor = EventLoopTaskExecutor(eventLoop)

  /// A new `HTTPClient` configured for Magna (no redirects, the configuration's timeouts and pool size), on
  /// ``eventLoop``. The caller must `try await client.shutdown()` it.
  public static func makeHTTPClient(_ configuration: MagnaClientConfiguration) -> HTTPClient {
    HTTPClient(
      eventLoopGroupProvider: .shared(eventLoop),
      configuration: makeHTTPClientConfiguration(
        connectTimeout: configuration.connectTimeout,
        retryConnectionEstablishment: configuration.retryConnectionEstablishment,
        maxConnections: configuration.maxConnections))
  }

  public var description: String { "MagnaClient(\(configuration.baseURL))" }

  // MARK: - Create

  /// `POST /allocations/create` with `body` sent byte for byte. Never throws: see ``CreateOutcome``.
  public func createAllocation(body: [UInt8]) async -> CreateOutcome {
    let result: ExchangeResult
    if let createTemplate {
      result = await exchange(
        http, template: createTemplate, body: body, timeout: configuration.requestTimeout,
        maxResponseBytes: configuration.maxResponseBytes, secret: configuration.token)
    } else {
      result = await send(.POST, "/allocations/create", body: body)
    }
    return redacted(Self.createOutcome(result))
  }

  /// ``createAllocation(body:)`` without awaiting: `completion` gets the outcome on the client's event loop
  /// (from a task when the base URL does not parse, with its reason). The submission engine sends this
  /// way, with no task per request.
  public func startCreateAllocation(
    body: [UInt8], completion: @escaping @Sendable (CreateOutcome) -> Void
  ) -> CreateRequestHandle {
    guard let createTemplate else {
      return .task({ await createAllocation(body: body) }, completion: completion)
    }
    let client = self
    let task = startExchange(
      http, template: createTemplate, body: body, timeout: configuration.requestTimeout,
      maxResponseBytes: configuration.maxResponseBytes, deadlines: deadlines, secret: configuration.token
    ) { result in
      completion(client.redacted(Self.createOutcome(result)))
    }
    return CreateRequestHandle(cancel: { task.cancel() })
  }

  // MARK: - Listing and preflight

  /// `POST /allocations` body `{tokenId, cursor, limit, walletAddress}` → `result{items, cursor, total}`.
  public func listAllocations(tokenId: String, walletAddress: String?, cursor: String?, limit: Int)
    async throws(MagnaError) -> AllocationPage
  {
    let request = ListRequest(
      tokenId: tokenId, cursor: cursor, limit: min(100, max(1, limit)), walletAddress: walletAddress)
    let page: WireAllocationPage = try await call("/allocations", body: request)
    return AllocationPage(items: page.items.map(\.allocation), cursor: page.cursor, total: page.total)
  }

  /// Every allocation of the token (optionally of one wallet), following the cursor until an empty or short
  /// page, a missing cursor, or a cursor seen before. `maxPages` bounds the walk.
  public func allAllocations(
    tokenId: String, walletAddress: String? = nil, pageSize: Int = 100, maxPages: Int = 100_000
  )
    async throws(MagnaError) -> [ListedAllocation]
  {
    var all: [ListedAllocation] = []
    var cursor: String? = nil
    var seen: Set<String> = []
    let limit = min(100, max(1, pageSize))
    for _ in 0..<maxPages {
      let page = try await listAllocations(
        tokenId: tokenId, walletAddress: walletAddress, cursor: cursor, limit: limit)
      all += page.items
      guard let next = page.cursor, !next.isEmpty, !page.items.isEmpty, page.items.count >= limit,
        seen.insert(next).inserted
      else { break }
      if let total = page.total, all.count >= total { break }
      cursor = next
    }
    return all
  }

  /// `POST /contracts` body `{tokenId}`: the ids of the token's contracts.
  public func contractIds(tokenId: String) async throws(MagnaError) -> Set<String> {
    let list: WireIdentifiedList = try await call("/contracts", body: TokenRequest(tokenId: tokenId))
    return Set(list.ids)
  }

  /// `POST /schedules` body `{tokenId}`: the ids of the token's schedules.
  public func scheduleIds(tokenId: String) async throws(MagnaError) -> Set<String> {
    let list: WireIdentifiedList = try await call("/schedules", body: TokenRequest(tokenId: tokenId))
    return Set(list.ids)
  }

  // MARK: - Plumbing

  struct ListRequest: Encodable {
    var tokenId: String
    var cursor: String?
    var limit: Int
    var walletAddress: String?
  }

  struct TokenRequest: Encodable {
    var tokenId: String
  }

  /// Every request's headers: the token, JSON both ways.
  static func headers(_ token: APISecret) -> HTTPHeaders {
    var headers = HTTPHeaders()
    headers.add(name: "x-magna-api-token", value: token.revealForHeader())
    headers.add(name: "Content-Type", value: "application/json")
    headers.add(name: "Accept", value: "application/json")
    return headers
  }

  func send(_ method: HTTPMethod, _ path: String, body: [UInt8]?) async -> ExchangeResult {
    await exchange(
      http, method: method, url: configuration.baseURL + path, headers: Self.headers(configuration.token),
      body: body,
      timeout: configuration.requestTimeout, maxResponseBytes: configuration.maxResponseBytes,
      secret: configuration.token)
  }

  /// POSTs a JSON body and decodes `result`; every failure becomes a ``MagnaError``.
  func call<Body: Encodable, Result: Decodable>(_ path: String, body: Body) async throws(MagnaError) -> Result
  {
    let bytes: [UInt8]
    do {
      bytes = Array(try JSONEncoder().encode(body))
    } catch {
      throw MagnaError(status: nil, type: nil, message: "could not encode the request to \(path)")
    }
    switch await send(.POST, path, body: bytes) {
    case .failed(let failure):
      throw redacted(MagnaError(status: nil, type: nil, message: "\(path): \(failure.reason)"))
    case .bodyLost(let status, _, let failure):
      throw redacted(
        MagnaError(status: status, type: nil, message: "\(path): HTTP \(status), then \(failure.reason)"))
    case .response(let response):
      guard (200..<300).contains(response.status) else {
        let (type, message) = Self.errorDetails(status: response.status, body: response.body)
        throw redacted(MagnaError(status: response.status, type: type, message: message))
      }
      do {
        let envelope = try JSONDecoder().decode(MagnaEnvelope<Result>.self, from: Data(response.body))
        guard let result = envelope.result else {
          throw MagnaError(status: response.status, type: nil, message: "\(path): answer without result")
        }
        return result
      } catch let error as MagnaError {
        throw error
      } catch {
        throw redacted(
          MagnaError(
            status: response.status, type: nil,
            message: "\(path): unreadable answer (\(Self.excerpt(response.body)))"))
      }
    }
  }

  func redacted(_ error: MagnaError) -> MagnaError {
    var copy = error
    copy.message = configuration.token.redact(copy.message)
    copy.type = copy.type.map(configuration.token.redact)
    return copy
  }

  func redacted(_ outcome: CreateOutcome) -> CreateOutcome {
    let token = configuration.token
    switch outcome {
    case .rejected(let status, let type, let message):
      return .rejected(status: status, type: type.map(token.redact), message: token.redact(message))
    case .unauthorized(let status, let type, let message):
      return .unauthorized(status: status, type: type.map(token.redact), message: token.redact(message))
    case .notSent(let reason):
      return .notSent(reason: token.redact(reason))
    case .uncertain(let status, let reason):
      return .uncertain(status: status, reason: token.redact(reason))
    case .created, .rateLimited, .unavailable:
      return outcome
    }
  }
}
