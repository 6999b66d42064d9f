/// One payout finance expects to have made: a row of a payouts file or a succeeded allocation.
public struct ExpectedPayout: Sendable, Hashable {
  /// The payout's own reference (looked for in transaction memos and invoice numbers).
  public var reference: String
  public var stakeholder: String
  /// Destination wallet (EVM addresses compare case-insensitively; Solana and Tron exactly).
  public var wallet: String
  public var amount: ExactDecimal
  /// Token or fiat currency (`USDC`, `USDT`, `USD`); compared case-insensitively.
  public var currency: String
  /// Network (`ethereum`, `polygon`, `tron`, ...); compared case-insensitively.
  public var network: String
  /// When the payout is due; nil means already due.
  public var dueDate: CalendarDay?
  /// Magna allocation key and id when the expectation comes from a batch; also looked for in memos.
  public var magnaKey: String?
  public var magnaId: String?
  /// The spreadsheet row it came from (for messages).
  public var sourceRow: Int?

  public init(
    reference: String, stakeholder: String, wallet: String, amount: ExactDecimal, currency: String,
    network: String, dueDate: CalendarDay?, magnaKey: String? = nil, magnaId: String? = nil,
    sourceRow: Int? = nil
  ) {
    self.reference = reference
    self.stakeholder = stakeholder
    self.wallet = wallet
    self.amount = amount
    self.currency = currency
    self.network = network
    self.dueDate = dueDate
    self.magnaKey = magnaKey
    self.magnaId = magnaId
    self.sourceRow = sourceRow
  }

  /// Convenience taking the due date as ISO text (`2026-03-31`); nil when the text is not a date.
  public init?(
    reference: String, stakeholder: String, wallet: String, amount: String, currency: String,
    network: String, dueDate: String?, magnaKey: String? = nil, magnaId: String? = nil,
    sourceRow: Int? = nil
  ) {
    guard let value = ExactDecimal(amount) else { return nil }
    var day: CalendarDay? = nil
    if let dueDate, !dueDate.isEmpty {
      guard let d = CalendarDay(iso: dueDate) else { return nil }
      day = d
    }
    self.init(
      reference: reference, stakeholder: stakeholder, wallet: wallet, amount: value, currency: currency,
      network: network, dueDate: day, magnaKey: magnaKey, magnaId: magnaId, sourceRow: sourceRow)
  }
}
