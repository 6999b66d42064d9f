import AllotCore
import AllotReaders
import AllotStore

extension ReconcileInputs {
  /// `--payouts FILE` when given (nil otherwise), so both sides can be read at the same time.
  static func readPayoutsIfGiven(_ path: String?, mapping: [String: String], limits: ReaderLimits)
    async throws
    -> Payouts?
  {
    guard let path else { return nil }
    return try await readPayouts(path, mapping: mapping, limits: limits)
  }

  /// `--batch ID`: the batch's succeeded allocations as expected payouts. The reference is the row's
  /// `allot_ref` (carried by the allocation and, by convention, by the payout's memo); the Magna key and
  /// id are looked for too. The due date is the unlock (else vesting) start date; none means due now.
  static func batchPayouts(
    _ batches: [Int64], database: AllotDatabase, currency: String?, network: String?
  ) throws -> Payouts {
    var all = Payouts(payouts: [], sha256: "", warnings: [])
    var hashes: [String] = []
    for batch in batches {
      let one = try batchPayouts(batch, database: database, currency: currency, network: network)
      all.payouts += one.payouts
      all.warnings += one.warnings
      hashes.append(one.sha256)
    }
    // One batch: its file's SHA-256; several: the SHA-256 of their files' hashes, in the order given.
    all.sha256 = hashes.count == 1 ? hashes[0] : SHA256.hex(Array(hashes.joined(separator: "\n").utf8))
    return all
  }

  static func batchPayouts(
    _ batch: Int64, database: AllotDatabase, currency: String?, network: String?
  ) throws -> Payouts {
    let batches: [BatchStatus]
    let found: (allocations: [SucceededAllocation], unreadableRows: [Int])
    do {
      batches = try database.batches(id: batch)
      found = try database.succeededAllocations(batch: batch)
    } catch {
      Console.error("allot: \(error)")
      throw ExitStatus.badInput
    }
    guard let info = batches.first else {
      Console.error("allot: there is no batch \(batch) in \(database.path).")
      throw ExitStatus.badInput
    }
    var warnings = found.unreadableRows.map {
      "batch \(batch), row \($0): its stored request could not be read; left out"
    }
    var payouts: [ExpectedPayout] = []
    payouts.reserveCapacity(found.allocations.count)
    for a in found.allocations {
      let r = a.request
      guard let amount = ExactDecimal(r.amount) else {
        warnings.append("batch \(batch), row \(a.row): amount \(r.amount) is not a decimal; left out")
        continue
      }
      let start = r.unlockStartAt ?? r.vestingStartAt
      let due = start.flatMap { CalendarDay(iso: $0.prefix(10)) }
      let stakeholder = r.stakeholder.name ?? r.stakeholder.email ?? r.walletAddress ?? "row \(a.row)"
      if r.walletAddress == nil {
        warnings.append("batch \(batch), row \(a.row): no wallet address; it can only match by reference")
      }
      payouts.append(
        ExpectedPayout(
          reference: a.reference ?? a.allocationKey ?? "\(batch):\(a.row)", stakeholder: stakeholder,
          wallet: r.walletAddress ?? "", amount: amount, currency: currency ?? "", network: network ?? "",
          dueDate: due, magnaKey: a.allocationKey, magnaId: a.allocationId, sourceRow: a.row))
    }
    if payouts.isEmpty {
      warnings.append(
        "batch \(batch) has no succeeded allocations yet; run `allot submit --batch \(batch)` first")
    }
    return Payouts(payouts: payouts, sha256: info.fileSHA256, warnings: warnings)
  }
}
