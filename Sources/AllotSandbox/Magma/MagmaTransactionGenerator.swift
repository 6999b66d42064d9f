import AllotCore

/// Derives Magma transactions from the sandbox's allocations, deterministically from the seed: one
/// `payout_crypto` per allocation with a wallet (memo = its `allot_ref` attribute, else its key), with
/// planted discrepancies, plus transactions that match no allocation.
///
/// Planted (the first eight allocations with a wallet, in a seeded order): a fee-reduced payout (0.2 %
/// less, fee recorded), a partial payout (half), an overpayment (+10 %), a duplicate payout (two full
/// payouts), a pending one, a failed one, a wrong-token one (USDT), a wrong-network one (ethereum).
/// Always: an unexpected payout to an unknown wallet, a platform fee, a crypto deposit, a conversion.
enum MagmaTransactionGenerator {
  enum Plan: CaseIterable {
    case feeReduced, partial, overpaid, duplicate, pending, failed, wrongToken, wrongNetwork
  }

  static func plan(seed: UInt64) -> [Plan] {
    var random = SeededRandom(seed: seed, label: "magma.plan")
    return Plan.allCases.shuffled(using: &random)
  }

  static func transactions(
    allocations: [SandboxAllocation], world: SandboxProject, seed: UInt64, plant: Bool
  ) -> [SandboxMagmaTransaction] {
    let planted = plant ? plan(seed: seed) : []
    let currency = world.tokenSymbol
    let network = world.network
    var out: [SandboxMagmaTransaction] = []
    var walletIndex = 0
    for allocation in allocations where allocation.tokenId == world.main.tokenId {
      guard let wallet = allocation.walletAddress, let amount = ExactDecimal(allocation.amount) else {
        continue
      }
      let kind: Plan? = walletIndex < planted.count ? planted[walletIndex] : nil
      walletIndex += 1
      var random = SeededRandom(seed: seed, label: "magma.tx:" + allocation.id)
      let memo = allocation.attribute(RowReference.attributeKey) ?? allocation.key
      // One exact payout in three carries no memo, so matching must fall back to wallet + amount.
      let keepMemo = kind != nil || random.next() % 3 != 0
      let baseMs = allocation.createdAtMs + Int64(60_000 * (1 + Int(random.next() % 120)))
      func payout(
        _ index: Int, amount: ExactDecimal, status: String = "completed", currency: String = currency,
        network: String = network, fee: ExactDecimal = .zero, offsetMs: Int64 = 0
      ) -> SandboxMagmaTransaction {
        let created = baseMs + offsetMs
        let completed = status == "completed" ? created + 300_000 : nil
        return SandboxMagmaTransaction(
          id: SeededID.uuid(seed, "magma.tx:" + allocation.id, index), type: "payout_crypto", status: status,
          amount: amount.canonical, currency: currency, network: network,
          organizationId: world.organizationId,
          recipientId: SeededID.uuid(seed, "magma.recipient:" + MagmaFilters.walletKey(wallet)),
          destinationAddress: wallet,
          txHash: status == "completed"
            ? "0x" + SeededID.hex(seed, "magma.hash:" + allocation.id, index, count: 64) : nil,
          fee: fee.canonical, memo: keepMemo ? memo : nil, invoiceNumber: nil,
          createdAt: Responses.iso8601(milliseconds: created),
          updatedAt: Responses.iso8601(milliseconds: completed ?? created),
          completedAt: completed.map(Responses.iso8601(milliseconds:)))
      }
      switch kind {
      case nil:
        out.append(payout(0, amount: amount))
      case .feeReduced:
        let fee = max(scaled(amount, "0.002", places: 2), ExactDecimal(significand: 1, scale: 2))
        out.append(payout(0, amount: amount.subtracting(fee) ?? amount, fee: fee))
      case .partial:
        out.append(payout(0, amount: scaled(amount, "0.5", places: 6)))
      case .overpaid:
        out.append(payout(0, amount: scaled(amount, "1.1", places: 6)))
      case .duplicate:
        out.append(payout(0, amount: amount))
        out.append(payout(1, amount: amount, offsetMs: 3_600_000))
      case .pending:
        out.append(payout(0, amount: amount, status: "pending"))
      case .failed:
        out.append(payout(0, amount: amount, status: "failed"))
      case .wrongToken:
        out.append(payout(0, amount: amount, currency: currency == "USDT" ? "USDC" : "USDT"))
      case .wrongNetwork:
        out.append(payout(0, amount: amount, network: network == "ethereum" ? "arbitrum" : "ethereum"))
      }
    }

    // Transactions that match no allocation.
    let baseMs = allocations.first?.createdAtMs ?? 1_735_689_600_000  // 2025-01-01
    func extra(_ index: Int, type: String, amount: String, destination: String?, memo: String?, fee: String)
      -> SandboxMagmaTransaction
    {
      let created = baseMs + Int64(index + 1) * 7_200_000
      return SandboxMagmaTransaction(
        id: SeededID.uuid(seed, "magma.extra", index), type: type, status: "completed", amount: amount,
        currency: currency, network: network, organizationId: world.organizationId, recipientId: nil,
        destinationAddress: destination,
        txHash: "0x" + SeededID.hex(seed, "magma.extra.hash", index, count: 64),
        fee: fee, memo: memo, invoiceNumber: type == "fee" ? "INV-\(1000 + index)" : nil,
        createdAt: Responses.iso8601(milliseconds: created),
        updatedAt: Responses.iso8601(milliseconds: created + 60_000),
        completedAt: Responses.iso8601(milliseconds: created + 60_000))
    }
    if plant {
      out.append(
        extra(
          0, type: "payout_crypto", amount: "1234.56",
          destination: "0x" + SeededID.hex(seed, "magma.stray", 0, count: 40),
          memo: "Consulting invoice March", fee: "0"))
      out.append(extra(1, type: "fee", amount: "2.5", destination: nil, memo: "Platform fee", fee: "0"))
      out.append(
        extra(
          2, type: "deposit_crypto", amount: "50000",
          destination: "0x" + SeededID.hex(seed, "magma.treasury", 0, count: 40),
          memo: "Treasury top-up", fee: "0"))
      out.append(
        extra(3, type: "crypto_conversion", amount: "1000", destination: nil, memo: "USDT to USDC", fee: "1"))
    }
    return out.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
  }

  /// `amount × factor`, rounded to `places`.
  static func scaled(_ amount: ExactDecimal, _ factor: String, places: Int) -> ExactDecimal {
    guard let f = ExactDecimal(factor), let product = amount.multiplied(by: f) else { return amount }
    return product.rounded(places: places).canonicalized
  }
}

/// Filters of `GET /v1/transactions` and the CSV export.
struct MagmaFilters: Sendable {
  var types: Set<String> = []
  var statuses: Set<String> = []
  var organizationId: String?
  var from: String?
  var to: String?

  init(query: (String) -> String?) {
    func list(_ name: String) -> Set<String> {
      Set((query(name) ?? "").split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty })
    }
    types = list("type")
    statuses = list("status")
    organizationId = query("organizationId").flatMap { $0.isEmpty ? nil : $0 }
    from = query("from").flatMap { $0.isEmpty ? nil : $0 }
    to = query("to").flatMap { $0.isEmpty ? nil : $0 }
  }

  /// `from`/`to` compare on the same precision as given (a date compares dates).
  func accepts(_ t: SandboxMagmaTransaction) -> Bool {
    if !types.isEmpty && !types.contains(t.type) { return false }
    if !statuses.isEmpty && !statuses.contains(t.status) { return false }
    if let organizationId, t.organizationId != organizationId { return false }
    if let from, String(t.createdAt.prefix(from.count)) < from { return false }
    if let to, String(t.createdAt.prefix(to.count)) > to { return false }
    return true
  }

  static func walletKey(_ address: String) -> String {
    address.hasPrefix("0x") || address.hasPrefix("0X") ? address.lowercased() : address
  }
}
