import AllotCore
import Foundation
import Hummingbird
import NIOCore

/// Magna's external API under `/api/external/v1`.
struct MagnaRoutes: Sendable {
  let world: SandboxProject
  let store: SandboxStore
  let faults: FaultInjector

  /// Magna's documented body limit.
  static let bodyLimit = 1 << 20
  static let tokenHeader = "x-magna-api-token"
  static let notProcessedHeader = "x-magna-not-processed"

  var seed: UInt64 { faults.configuration.seed }

  func register(on router: Router<SandboxContext>) {
    let group = router.group("api/external/v1")
    group.post("allocations/create") { request, context in await self.create(request, context: context) }
    group.post("allocations") { request, _ in await self.list(request) }
    group.get("allocations/:id") { request, context in
      await self.get(request, id: context.parameters.get("id"))
    }
    group.post("contracts") { request, _ in await self.contracts(request) }
    group.post("schedules") { request, _ in await self.schedules(request) }
    group.get("tokens/:id/summary") { request, context in
      await self.summary(request, tokenId: context.parameters.get("id"))
    }
    group.get("tokens/:id/contracts") { request, context in
      await self.tokenContracts(request, tokenId: context.parameters.get("id"))
    }
  }

  // MARK: - Create

  func create(_ request: Request, context: SandboxContext) async -> Response {
    let forced = faults.forced(request.headers.value(SandboxFault.header))
    let project: SandboxProject.Project
    let value: JSONValue
    let valid: ValidCreate
    do throws(MagnaFailure) {
      project = try authenticate(request)
      value = try await readJSON(request)
      valid = try CreateAllocationValidator.validate(value, project: project, world: world)
    } catch {
      return Responses.magnaError(error)
    }

    // Faults before commit: nothing is created.
    if forced == .unavailable || (forced == nil && faults.roll(faults.configuration.errorRate)) {
      if forced == .unavailable || faults.pick(2) == 0 {
        return Responses.magnaError(
          MagnaFailure(
            status: 503, type: "ServiceUnavailableError", message: "Service unavailable, nothing was done"),
          headers: .with([(Self.notProcessedHeader, "true"), ("Retry-After", "1")]))
      }
      return Responses.html502()
    }
    if forced == .errorBeforeCommit {
      return Responses.json(.internalServerError, ["message": "Internal server error"])
    }

    let allocation: SandboxAllocation
    do {
      allocation = try await store.commit { sequence in build(valid, sequence: sequence, project: project) }
    } catch {
      return Responses.magnaError(
        MagnaFailure(status: 500, type: "InternalServerError", message: error.description))
    }

    // Faults after commit: the allocation exists, the answer is lost or wrong.
    if forced == .dropAfterCommit || (forced == nil && faults.roll(faults.configuration.dropAfterCommitRate))
    {
      try? await context.channel.close()
      return Responses.json(.internalServerError, ["message": "connection dropped"])
    }
    if forced == .errorAfterCommit
      || (forced == nil && faults.roll(faults.configuration.errorAfterCommitRate))
    {
      switch forced == nil ? faults.pick(3) : 0 {
      case 0: return Responses.json(.internalServerError, ["message": "Internal server error"])
      case 1: return Responses.html502()
      default: return Responses.text(.gatewayTimeout, "upstream timed out", contentType: "text/plain")
      }
    }
    return Responses.magna(allocation)
  }

  func build(_ valid: ValidCreate, sequence: Int, project: SandboxProject.Project) -> SandboxAllocation {
    var keyRandom = SeededRandom(seed: seed, label: "allocation.key", index: sequence)
    let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
    let now = Responses.iso8601(milliseconds: nowMs)
    var stakeholder = valid.stakeholder
    stakeholder.id = SeededID.uuid(seed, "stakeholder", sequence)
    return SandboxAllocation(
      sequence: sequence, id: SeededID.uuid(seed, "allocation", sequence), key: "A-" + keyRandom.code(10),
      amount: valid.amount, state: valid.walletAddress == nil ? "MISSING_WALLET" : "NOT_STARTED",
      status: valid.walletAddress == nil ? "MISSING_WALLET" : "NOT_STARTED", received: "0", releasable: "0",
      custodyType: "CONTRACT", projectId: project.projectId, tokenId: valid.tokenId,
      contractId: valid.contractId,
      stakeholderId: stakeholder.id, stakeholder: stakeholder,
      walletId: valid.walletAddress == nil ? nil : SeededID.uuid(seed, "wallet", sequence),
      walletAddress: valid.walletAddress, categoryId: SeededID.uuid(seed, "category:" + valid.category),
      category: valid.category, description: valid.description, unlockScheduleId: valid.unlockScheduleId,
      unlockStartAt: valid.unlockStartAt, vestingScheduleId: valid.vestingScheduleId,
      vestingStartAt: valid.vestingStartAt, releaseMode: valid.releaseMode,
      receivedOffMagna: valid.receivedOffMagna, cancellable: valid.cancellable,
      customAttributes: valid.customAttributes, createdAt: now, updatedAt: now, cancelledAt: nil,
      createdAtMs: nowMs)
  }

  // MARK: - Reads

  struct PageResult: Encodable {
    var items: [SandboxAllocation]
    var cursor: String?
    var total: Int
  }

  func list(_ request: Request) async -> Response {
    do throws(MagnaFailure) {
      let project = try authenticate(request)
      let body = try await readJSON(request)
      guard let o = body.object else { throw .validation("Request body must be a JSON object") }
      let tokenId = try ownedToken(o["tokenId"], project: project)
      var limit = 100
      if let value = o["limit"], !value.isNull {
        guard case .number(let text) = value, let n = Int(text), (1...100).contains(n) else {
          throw .validation("limit must be an integer between 1 and 100")
        }
        limit = n
      }
      let cursor = o["cursor"]?.string
      if let value = o["cursor"], !value.isNull, cursor == nil {
        throw .validation("cursor must be a string")
      }
      let wallet = o["walletAddress"]?.string
      guard let page = await store.page(tokenId: tokenId, walletAddress: wallet, cursor: cursor, limit: limit)
      else {
        throw .validation("Invalid cursor")
      }
      return Responses.magna(PageResult(items: page.items, cursor: page.next, total: page.total))
    } catch {
      return Responses.magnaError(error)
    }
  }

  func get(_ request: Request, id: String?) async -> Response {
    do throws(MagnaFailure) {
      let project = try authenticate(request)
      guard let id, let allocation = await store.allocation(id: id.lowercased()),
        allocation.projectId == project.projectId
      else { throw .notFound("Allocation not found") }
      return Responses.magna(allocation)
    } catch {
      return Responses.magnaError(error)
    }
  }

  func contracts(_ request: Request) async -> Response {
    do throws(MagnaFailure) {
      let project = try authenticate(request)
      let body = try await readJSON(request)
      _ = try ownedToken(body.object?["tokenId"], project: project)
      return Responses.magna(project.contracts)
    } catch {
      return Responses.magnaError(error)
    }
  }

  func tokenContracts(_ request: Request, tokenId: String?) async -> Response {
    do throws(MagnaFailure) {
      let project = try authenticate(request)
      _ = try ownedToken(tokenId.map(JSONValue.string), project: project)
      return Responses.magna(project.contracts)
    } catch {
      return Responses.magnaError(error)
    }
  }

  func schedules(_ request: Request) async -> Response {
    do throws(MagnaFailure) {
      let project = try authenticate(request)
      let body = try await readJSON(request)
      _ = try ownedToken(body.object?["tokenId"], project: project)
      return Responses.magna(project.schedules)
    } catch {
      return Responses.magnaError(error)
    }
  }

  struct Summary: Encodable {
    var totalSupply: String
    var totalReceived: String
    var totalAllocationAmount: String
    var totalAllocationCount: Int
    var funded: Bool
  }

  func summary(_ request: Request, tokenId: String?) async -> Response {
    do throws(MagnaFailure) {
      let project = try authenticate(request)
      let token = try ownedToken(tokenId.map(JSONValue.string), project: project)
      let allocations = await store.allocations.filter { $0.tokenId == token }
      var total = ExactDecimal.zero
      for allocation in allocations {
        if let amount = ExactDecimal(allocation.amount), let sum = total.adding(amount) { total = sum }
      }
      return Responses.magna(
        Summary(
          totalSupply: "1000000000", totalReceived: "0", totalAllocationAmount: total.canonical,
          totalAllocationCount: allocations.count, funded: true))
    } catch {
      return Responses.magnaError(error)
    }
  }

  // MARK: - Plumbing

  func authenticate(_ request: Request) throws(MagnaFailure) -> SandboxProject.Project {
    guard let token = request.headers.value(Self.tokenHeader), !token.isEmpty else {
      throw .unauthorized("Missing API token")
    }
    guard let project = world.project(forAPIToken: token) else { throw .unauthorized("Invalid API token") }
    return project
  }

  /// A token id that must be a UUID of the caller's project (another project's → 401, unknown → 404).
  func ownedToken(_ value: JSONValue?, project: SandboxProject.Project) throws(MagnaFailure) -> String {
    guard let value, !value.isNull else { throw .validation("tokenId is required") }
    guard let text = value.string, CreateAllocationValidator.isUUID(text) else {
      throw .validation("tokenId must be a valid UUID")
    }
    let tokenId = text.lowercased()
    guard let owner = world.project(forTokenId: tokenId) else {
      throw .notFound("Token \(tokenId) not found")
    }
    guard owner.projectId == project.projectId else {
      throw MagnaFailure(status: 401, type: "ForbiddenError", message: "Invalid API key for project")
    }
    return tokenId
  }

  /// The body as JSON, at most 1 MB (else 413), with `Content-Type: application/json`.
  func readJSON(_ request: Request) async throws(MagnaFailure) -> JSONValue {
    let tooLarge = MagnaFailure(
      status: 413, type: "PayloadTooLargeError", message: "Request body exceeds the 1MB limit")
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.bodyLimit {
      throw tooLarge
    }
    guard let contentType = request.headers[.contentType]?.lowercased(),
      contentType.hasPrefix("application/json")
    else { throw .validation("Content-Type must be application/json") }
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: Self.bodyLimit)
    } catch is NIOTooManyBytesError {
      throw tooLarge
    } catch {
      throw .validation("Request body could not be read")
    }
    guard let value = JSONValue.parse(buffer.readableBytesView) else {
      throw .validation("Malformed JSON body")
    }
    return value
  }
}
