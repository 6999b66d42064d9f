import AllotCore
import AllotStore
import Foundation

/// A fresh database file in a private temporary folder.
struct TempDatabase {
  let folder: URL
  let path: String
  let db: AllotDatabase

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("allot-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    path = folder.appendingPathComponent("allot.sqlite").path
    db = try AllotDatabase(path: path)
  }

  func remove() {
    try? FileManager.default.removeItem(at: folder)
  }

  static func body(_ n: Int, wallet: String? = "0xW") -> [UInt8] {
    var s =
      #"{"amount":"\#(n)","contractId":"c","tokenId":"tok","category":"Team","stakeholder":{"name":"P\#(n)"}"#
    if let wallet { s += #","walletAddress":"\#(wallet)""# }
    return Array((s + "}").utf8)
  }

  static let batch = NewBatch(
    fileName: "grants.csv", fileSHA256: String(repeating: "ab", count: 32), sheet: nil, mappingJSON: nil,
    optionsJSON: "{}")

  /// Stages `valid` valid rows (rows 2…) and the invalid source rows given.
  @discardableResult
  func stage(valid: Int, invalid: [Int] = [], fingerprintPrefix: String = "fp", allowDuplicates: Bool = false)
    throws -> ImportSummary
  {
    try db.importBatch(Self.batch, allowDuplicates: allowDuplicates) { stager in
      for i in 1...max(1, valid) where valid > 0 {
        try stager.addValid(
          sourceRow: i + 1, payload: Self.body(i), fingerprint: "\(fingerprintPrefix)\(i)", tokenId: "tok",
          walletAddress: "0xW")
      }
      for r in invalid {
        try stager.addInvalid(
          sourceRow: r,
          issues: [
            Issue(
              row: r, column: "Amount", field: "amount", severity: .error, code: "amount.not_positive",
              message: "Amount must be greater than zero (found -10).", value: "-10")
          ])
      }
    }
  }
}
