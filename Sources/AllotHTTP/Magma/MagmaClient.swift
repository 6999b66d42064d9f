import AllotCore
import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// Magma's transactions API over AsyncHTTPClient (`GET /v1/transactions`, paged).
public struct MagmaClient: Sendable, CustomStringConvertible {
  public let configuration: MagmaClientConfiguration
  let http: HTTPClient

  public init(httpClient: HTTPClient, configuration: MagmaClientConfiguration) {
    self.http = httpClient
    self.configuration = configuration
  }

  /// A new `HTTPClient` for Magma; the caller must shut it down.
  public static func makeHTTPClient(_ configuration: MagmaClientConfiguration) -> HTTPClient {
    HTTPClient(
      eventLoopGroupProvider: .singleton,
      configuration: makeHTTPClientConfiguration(
        connectTimeout: configuration.connectTimeout,
        retryConnectionEstablishment: true, maxConnections: 4))
  }

  public var description: String { "MagmaClient(\(configuration.baseURL))" }

  /// One page of `GET /v1/transactions` (`page` from 1, `pageSize` clamped to 1…100).
  public func transactionsPage(_ query: MagmaTransactionQuery = .init(), page: Int, pageSize: Int = 100)
    async throws(MagmaError) -> MagmaTransactionPage
  {
    let size = min(MagmaTransactionPage.maxPageSize, max(1, pageSize))
    let items = query.queryItems(page: page, pageSize: size)
    let path =
      "/v1/transactions?" + items.map { "\($0.name)=\(Self.percentEncoded($0.value))" }.joined(separator: "&")
    let response = try await get(path)
    do {
      return try JSONDecoder().decode(MagmaTransactionPage.self, from: Data(response.body))
    } catch {
      throw .unreadable(
        path, status: response.status, "not a transaction page: \(bodyExcerpt(response.body))")
    }
  }

  /// Every transaction matching `query`, page after page, until `total` is reached or a page is empty.
  /// `maxPages` bounds the walk.
  public func allTransactions(
    _ query: MagmaTransactionQuery = .init(), pageSize: Int = 100, maxPages: Int = 1_000_000
  )
    async throws(MagmaError) -> [MagmaTransactionDTO]
  {
    var all: [MagmaTransactionDTO] = []
    var page = MagmaTransactionPage.firstPage
    for _ in 0..<maxPages {
      let result = try await transactionsPage(query, page: page, pageSize: pageSize)
      all += result.data
      if result.data.isEmpty || all.count >= result.total { break }
      page += 1
    }
    return all
  }

  /// ``allTransactions(_:pageSize:maxPages:)`` mapped to the core model (see
  /// ``MagmaTransactionDTO/coreTransaction()``).
  public func allCoreTransactions(_ query: MagmaTransactionQuery = .init(), pageSize: Int = 100)
    async throws(MagmaError) -> [MagmaTransaction]
  {
    var out: [MagmaTransaction] = []
    for dto in try await allTransactions(query, pageSize: pageSize) {
      out.append(try dto.coreTransaction())
    }
    return out
  }

  /// `GET /v1/transactions/{id}`.
  public func transaction(id: String) async throws(MagmaError) -> MagmaTransactionDTO {
    let path = "/v1/transactions/" + Self.percentEncoded(id)
    let response = try await get(path)
    do {
      return try JSONDecoder().decode(MagmaTransactionDTO.self, from: Data(response.body))
    } catch {
      throw .unreadable(path, status: response.status, "not a transaction: \(bodyExcerpt(response.body))")
    }
  }

  /// `GET /v1/transactions/export-csv` with the query's filters: the raw CSV bytes.
  public func exportCSV(_ query: MagmaTransactionQuery = .init()) async throws(MagmaError) -> [UInt8] {
    let items = query.queryItems(page: 1, pageSize: 1).dropFirst(2)
    var path = "/v1/transactions/export-csv"
    if !items.isEmpty {
      path += "?" + items.map { "\($0.name)=\(Self.percentEncoded($0.value))" }.joined(separator: "&")
    }
    return try await get(path).body
  }

  func get(_ path: String) async throws(MagmaError) -> RawResponse {
    var headers = HTTPHeaders()
    switch configuration.credential {
    case .apiKey(let key): headers.add(name: "X-Api-Key", value: key.revealForHeader())
    case .bearer(let token): headers.add(name: "Authorization", value: "Bearer " + token.revealForHeader())
    }
    headers.add(name: "Accept", value: "application/json")
    let secret = configuration.secret
    switch await exchange(
      http, method: .GET, url: configuration.baseURL + path, headers: headers, body: nil,
      timeout: configuration.requestTimeout, maxResponseBytes: configuration.maxResponseBytes, secret: secret)
    {
    case .failed(let failure):
      throw .transport(path, secret.redact(failure.reason))
    case .bodyLost(let status, _, let failure):
      throw .transport(path, secret.redact("HTTP \(status), then \(failure.reason)"))
    case .response(let response):
      guard (200..<300).contains(response.status) else {
        let detail = bodyExcerpt(response.body)
        throw .http(
          path, status: response.status,
          secret.redact(detail.isEmpty ? reasonPhrase(response.status) : detail))
      }
      return response
    }
  }

  static func percentEncoded(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
  }
}

/// Runs `body` with a ``MagmaClient`` on its own `HTTPClient`, shut down afterwards.
public func withMagmaClient<Result>(
  _ configuration: MagmaClientConfiguration,
  isolation: isolated (any Actor)? = #isolation,
  _ body: (MagmaClient) async throws -> Result
) async throws -> Result {
  let http = MagmaClient.makeHTTPClient(configuration)
  let client = MagmaClient(httpClient: http, configuration: configuration)
  return try await withShutdown(of: http) { try await body(client) }
}
