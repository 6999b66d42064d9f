/// The sandbox could not start or keep its state.
public struct SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
  private enum Code: Hashable, Sendable {
    case stateFile
    case startup
  }

  private let code: Code
  public let message: String

  private init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  static func stateFile(_ path: String, _ problem: String) -> Self {
    Self(code: .stateFile, message: "sandbox state file \(path) \(problem)")
  }

  static func startup(_ problem: String) -> Self {
    Self(code: .startup, message: "sandbox could not start: \(problem)")
  }

  public var isStateFileError: Bool { code == .stateFile }
  public var description: String { message }
}
