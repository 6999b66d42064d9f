import Hummingbird
import NIOCore

/// Request context that keeps the connection's channel, so a handler can drop the connection after
/// committing (the "commit then no answer" fault).
struct SandboxContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  let channel: any Channel

  init(source: ApplicationRequestContextSource) {
    self.coreContext = .init(source: source)
    self.channel = source.channel
  }

  /// Request bodies are read by the handlers themselves (413 over Magna's 1 MB limit); this is the
  /// framework's outer bound.
  var maxUploadSize: Int { 4 << 20 }
}
