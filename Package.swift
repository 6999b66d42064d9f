// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "allot",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "allot", targets: ["allot"]),
    .library(name: "AllotCore", targets: ["AllotCore"]),
    .library(name: "AllotReaders", targets: ["AllotReaders"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    // Already built for async-http-client; named here only so tests can use `NIOEmbedded`.
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    // Pure domain: models, exact decimals, mapping, validation rules, wallets, state machine, matcher.
    .target(name: "AllotCore", dependencies: ["CAllotKernels"]),
    // Small C kernels: SHA-256's block function on the x86 SHA extensions (the portable Swift code runs
    // elsewhere), prefetch hints, and SSE2 byte searches for the CSV scanner and the report escapers.
    .target(name: "CAllotKernels"),
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    // Spreadsheet readers and writers: CSV, XLSX (ZIPFoundation + libxml2), SpreadsheetML 2003.
    .target(
      name: "AllotReaders",
      dependencies: ["AllotCore", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
    ),
    // SQLite store (GRDB): batches, rows, row issues, attempts.
    .target(
      name: "AllotStore",
      dependencies: ["AllotCore", .product(name: "GRDB", package: "GRDB.swift")]
    ),
    // HTTP clients for Magna and Magma.
    .target(
      name: "AllotHTTP",
      dependencies: [
        "AllotCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // Local Magna + Magma emulator.
    .target(
      name: "AllotSandbox",
      dependencies: ["AllotCore", .product(name: "Hummingbird", package: "hummingbird")]
    ),
    // Reconciliation and validation reports (HTML, CSV, JSON) from templates/.
    .target(
      name: "AllotReports",
      dependencies: ["AllotCore", .product(name: "Mustache", package: "swift-mustache")]
    ),
    .executableTarget(
      name: "allot",
      dependencies: [
        "AllotCore", "AllotReaders", "AllotStore", "AllotHTTP", "AllotSandbox", "AllotReports",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The submit benchmark's floor: AsyncHTTPClient alone (or allot's Magna client alone), per request
    // (scripts/bench).
    .executableTarget(
      name: "http-floor",
      dependencies: [
        "AllotCore", "AllotHTTP", .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ],
      path: "Sources/HTTPFloor"
    ),
    .target(
      name: "AllotTestSupport",
      dependencies: ["AllotCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
    ),
    .testTarget(name: "AllotCoreTests", dependencies: ["AllotCore", "AllotTestSupport"]),
    .testTarget(name: "AllotReadersTests", dependencies: ["AllotReaders", "AllotTestSupport"]),
    .testTarget(name: "AllotStoreTests", dependencies: ["AllotStore", "AllotTestSupport"]),
    .testTarget(
      name: "AllotHTTPTests",
      dependencies: [
        "AllotHTTP", "AllotSandbox", "AllotTestSupport",
        .product(name: "NIOEmbedded", package: "swift-nio"),
      ]
    ),
    .testTarget(name: "AllotReportsTests", dependencies: ["AllotReports", "AllotTestSupport"]),
    .testTarget(
      name: "AllotEndToEndTests",
      // Depends on the executable so that `swift test` builds the binary these tests run.
      dependencies: ["allot", "AllotTestSupport", "AllotCore", "AllotHTTP", "AllotStore"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
