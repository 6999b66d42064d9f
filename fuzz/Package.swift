// swift-tools-version:6.0
// libFuzzer targets for allot's readers, decimal parser and row validator. A separate package so the
// normal `swift build` / `swift test` never see the sanitizer flags. Build and run with `scripts/fuzz`.
import PackageDescription

let core = Target.Dependency.product(name: "AllotCore", package: "main")
let readers = Target.Dependency.product(name: "AllotReaders", package: "main")

let package = Package(
  name: "allot-fuzz",
  platforms: [.macOS(.v14)],
  dependencies: [.package(name: "main", path: "..")],
  targets: [
    // Shared helpers: a per-process temp file for readers that take a path.
    .target(name: "FuzzSupport"),
    .executableTarget(name: "FuzzCSV", dependencies: [core, readers, "FuzzSupport"]),
    .executableTarget(name: "FuzzXLSX", dependencies: [core, readers, "FuzzSupport"]),
    .executableTarget(name: "FuzzXLSXParts", dependencies: [core, readers, "FuzzSupport"]),
    .executableTarget(name: "FuzzSpreadsheetML", dependencies: [core, readers, "FuzzSupport"]),
    .executableTarget(name: "FuzzDecimal", dependencies: [core, "FuzzSupport"]),
    .executableTarget(name: "FuzzRowValidator", dependencies: [core, "FuzzSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
