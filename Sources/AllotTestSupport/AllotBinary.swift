#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Where the tests find things: the built `allot` binary, the package root, the shared corpora.
public enum TestPaths {
  /// The package root (two levels above this file's folder).
  public static let packageRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Sources/AllotTestSupport/AllotBinary.swift
    return parts.joined(separator: "/")
  }()

  /// `../shared/corpora` beside the package, or `ALLOT_CORPORA`.
  public static var corpora: String {
    if let env = ProcessInfo.processInfo.environment["ALLOT_CORPORA"], !env.isEmpty { return env }
    return packageRoot + "/../shared/corpora"
  }

  /// True when the corpora folder exists. When it does not and `CI` is set, tests must fail loudly.
  public static var corporaAvailable: Bool {
    FileManager.default.fileExists(atPath: corpora + "/README.md")
  }

  public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

  /// The built `allot` executable beside the test bundle (`.build/<triple>/debug/allot`).
  public static var allotBinary: String {
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    // The test runner may be inside `allotPackageTests.xctest/...` on some platforms.
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent("allot").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return packageRoot + "/.build/debug/allot"
  }
}
