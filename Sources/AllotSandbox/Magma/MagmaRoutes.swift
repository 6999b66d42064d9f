import Foundation
import Hummingbird

/// Magma's transaction endpoints under `/api/v1`.
struct MagmaRoutes: Sendable {
  let world: SandboxProject
  let store: SandboxStore
  let configuration: SandboxConfiguration

  static let maxPageSize = 100

  func register(on router: Router<SandboxContext>) {
    let group = router.group("api/v1")
    group.get("transactions") { request, _ in await self.list(request) }
    group.get("transactions/export-csv") { request, _ in await self.exportCSV(request) }
    group.get("transactions/:id") { request, context in
      await self.one(request, id: context.parameters.get("id"))
    }
    group.get("crypto/networks") { request, _ in self.networks(request) }
  }

  struct Problem: Encodable {
    var statusCode: Int
    var error: String
    var message: String
  }

  static func problem(_ status: HTTPResponse.Status, _ message: String) -> Response {
    Responses.json(status, Problem(statusCode: status.code, error: status.reasonPhrase, message: message))
  }

  /// `X-Api-Key: <key>` or `Authorization: Bearer <key>`.
  func authorized(_ request: Request) -> Bool {
    if request.headers.value("x-api-key") == world.magmaAPIKey { return true }
    if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
      return String(header.dropFirst(7)) == world.magmaAPIKey
    }
    return false
  }

  func transactions(_ request: Request) async -> [SandboxMagmaTransaction] {
    let filters = MagmaFilters { request.uri.queryParameters.get($0) }
    let all = MagmaTransactionGenerator.transactions(
      allocations: await store.allocations, world: world, seed: configuration.seed,
      plant: configuration.plantDiscrepancies)
    return all.filter(filters.accepts)
  }

  struct Page: Encodable {
    var data: [SandboxMagmaTransaction]
    var page: Int
    var pageSize: Int
    var total: Int
  }

  func list(_ request: Request) async -> Response {
    guard authorized(request) else { return Self.problem(.unauthorized, "Missing or invalid API key") }
    let query = request.uri.queryParameters
    let page = query.get("page").map { Int($0) } ?? 1
    let pageSize = query.get("pageSize").map { Int($0) } ?? 20
    guard let page, page >= 1 else { return Self.problem(.badRequest, "page must be an integer ≥ 1") }
    guard let pageSize, (1...Self.maxPageSize).contains(pageSize) else {
      return Self.problem(.badRequest, "pageSize must be an integer between 1 and \(Self.maxPageSize)")
    }
    let matching = await transactions(request)
    let start = min(matching.count, (page - 1) * pageSize)
    let slice = Array(matching[start..<min(matching.count, start + pageSize)])
    return Responses.json(.ok, Page(data: slice, page: page, pageSize: pageSize, total: matching.count))
  }

  func one(_ request: Request, id: String?) async -> Response {
    guard authorized(request) else { return Self.problem(.unauthorized, "Missing or invalid API key") }
    let all = MagmaTransactionGenerator.transactions(
      allocations: await store.allocations, world: world, seed: configuration.seed,
      plant: configuration.plantDiscrepancies)
    guard let id, let found = all.first(where: { $0.id == id }) else {
      return Self.problem(.notFound, "Transaction not found")
    }
    return Responses.json(.ok, found)
  }

  func exportCSV(_ request: Request) async -> Response {
    guard authorized(request) else { return Self.problem(.unauthorized, "Missing or invalid API key") }
    var csv = SandboxMagmaTransaction.csvColumns.joined(separator: ",") + "\r\n"
    for transaction in await transactions(request) {
      csv += transaction.csvValues.map(Self.csvField).joined(separator: ",") + "\r\n"
    }
    return Responses.text(
      .ok, csv, contentType: "text/csv; charset=utf-8",
      headers: .with([("Content-Disposition", "attachment; filename=\"transactions.csv\"")]))
  }

  static func csvField(_ value: String) -> String {
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  struct Network: Encodable {
    var network: String
    var name: String
    var tokens: [String]
  }

  func networks(_ request: Request) -> Response {
    guard authorized(request) else { return Self.problem(.unauthorized, "Missing or invalid API key") }
    let list = [
      Network(network: "tron", name: "Tron", tokens: ["USDT"]),
      Network(network: "polygon", name: "Polygon", tokens: ["USDC", "USDT"]),
      Network(network: "solana", name: "Solana", tokens: ["USDC", "USDT"]),
      Network(network: "ethereum", name: "Ethereum", tokens: ["USDC", "USDT"]),
      Network(network: "arbitrum", name: "Arbitrum", tokens: ["USDC", "USDT"]),
      Network(network: "base", name: "Base", tokens: ["USDC"]),
    ]
    return Responses.json(.ok, ["data": list])
  }
}
