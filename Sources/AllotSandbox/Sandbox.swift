import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Runs the sandbox until SIGINT/SIGTERM (when `handleSignals`) or until the calling task is cancelled.
/// `onReady` is called once with the bound port and the seeded credentials.
public func runSandbox(
  _ configuration: SandboxConfiguration,
  handleSignals: Bool = true,
  onReady: @escaping @Sendable (SandboxInfo) async -> Void
) async throws {
  let sandbox = try SandboxServer(configuration: configuration)
  let serviceGroup = sandbox.serviceGroup(handleSignals: handleSignals, onReady: onReady)
  try await withTaskCancellationHandler {
    try await serviceGroup.run()
  } onCancel: {
    Task { await serviceGroup.triggerGracefulShutdown() }
  }
}

/// Starts a sandbox (on a free port unless `configuration.port` says otherwise), runs `body` with its
/// ``SandboxInfo``, then stops it, whether `body` returns or throws. The server runs on an event-loop
/// thread (see ``HandlerExecutor``), so work elsewhere in the process cannot starve it.
public func withSandbox<Result>(
  _ configuration: SandboxConfiguration = SandboxConfiguration(),
  isolation: isolated (any Actor)? = #isolation,
  _ body: (SandboxInfo) async throws -> Result
) async throws -> Result {
  let sandbox = try SandboxServer(configuration: configuration)
  let (ready, readyContinuation) = AsyncStream<SandboxInfo>.makeStream()
  let serviceGroup = sandbox.serviceGroup(handleSignals: false) { info in
    readyContinuation.yield(info)
    readyContinuation.finish()
  }
  return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
    group.addTask(executorPreference: HandlerExecutor.shared) {
      defer { readyContinuation.finish() }
      try await serviceGroup.run()
    }
    var iterator = ready.makeAsyncIterator()
    guard let info = await iterator.next() else {
      // The server stopped before it was ready: surface its error.
      try await group.waitForAll()
      throw SandboxError.startup("the server stopped before listening")
    }
    let result: Result
    do {
      result = try await body(info)
    } catch {
      await serviceGroup.triggerGracefulShutdown()
      try? await group.waitForAll()
      throw error
    }
    await serviceGroup.triggerGracefulShutdown()
    try await group.waitForAll()
    return result
  }
}

/// The same, for tests that only need the Magna base URL and API token.
public func withSandbox<Result>(
  _ configuration: SandboxConfiguration = SandboxConfiguration(),
  isolation: isolated (any Actor)? = #isolation,
  _ body: (_ magnaBaseURL: String, _ magnaAPIToken: String) async throws -> Result
) async throws -> Result {
  try await withSandbox(configuration, isolation: isolation) { (info: SandboxInfo) in
    try await body(info.magnaBaseURL, info.magnaAPIToken)
  }
}

/// Builds the Hummingbird application: routes, middleware, state.
struct SandboxServer: Sendable {
  let configuration: SandboxConfiguration
  let world: SandboxProject
  let store: SandboxStore
  let faults: FaultInjector

  init(configuration: SandboxConfiguration) throws(SandboxError) {
    self.configuration = configuration
    self.world = SandboxProject(seed: configuration.seed)
    self.store = try SandboxStore(stateFile: configuration.stateFile, seed: configuration.seed)
    self.faults = FaultInjector(configuration: configuration)
  }

  func router() -> Router<SandboxContext> {
    let router = Router(context: SandboxContext.self)
    router.add(middleware: FaultMiddleware(faults: faults))
    MagnaRoutes(world: world, store: store, faults: faults).register(on: router)
    MagmaRoutes(world: world, store: store, configuration: configuration).register(on: router)
    router.get("health") { _, _ in "ok" }
    return router
  }

  func serviceGroup(handleSignals: Bool, onReady: @escaping @Sendable (SandboxInfo) async -> Void)
    -> ServiceGroup
  {
    let logger = Logger(label: "allot.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
    let world = self.world
    let host = configuration.host
    let app = Application(
      router: router(),
      configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil),
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? 0
        await onReady(SandboxInfo(port: port, host: host, project: world))
      },
      logger: logger)
    return ServiceGroup(
      configuration: .init(
        services: [app], gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [], logger: logger))
  }
}
