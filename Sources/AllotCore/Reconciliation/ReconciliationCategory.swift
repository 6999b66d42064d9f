/// What happened to an expected payout, or what an unmatched transaction is. The raw values are a
/// contract (CSV, JSON, README).
public enum ReconciliationCategory: String, Sendable, Hashable, CaseIterable, Codable {
  case matched
  case matchedWithinTolerance = "matched_within_tolerance"
  case partiallyPaid = "partially_paid"
  case overpaid
  case duplicatePayout = "duplicate_payout"
  case inFlight = "in_flight"
  case failedPayout = "failed_payout"
  case missing
  case notYetDue = "not_yet_due"
  case tokenMismatch = "token_mismatch"
  case networkMismatch = "network_mismatch"
  case needsReview = "needs_review"
  // Transactions that match no expectation:
  case unexpectedTransaction = "unexpected_transaction"
  case nonPayout = "non_payout"

  /// Categories of expected payouts, in report order.
  public static let expectedCategories: [ReconciliationCategory] = [
    .matched, .matchedWithinTolerance, .partiallyPaid, .overpaid, .duplicatePayout, .inFlight,
    .failedPayout, .missing, .notYetDue, .tokenMismatch, .networkMismatch, .needsReview,
  ]

  /// Categories of unmatched transactions.
  public static let transactionCategories: [ReconciliationCategory] = [.unexpectedTransaction, .nonPayout]

  /// True when a person must act (exit status 1). Matches, matches within tolerance, payouts in
  /// flight, payouts not yet due and non-payout transactions are not exceptions.
  public var isException: Bool {
    switch self {
    case .matched, .matchedWithinTolerance, .inFlight, .notYetDue, .nonPayout: return false
    default: return true
    }
  }

  /// Human label for reports.
  public var label: String {
    switch self {
    case .matched: return "Matched"
    case .matchedWithinTolerance: return "Within tolerance"
    case .partiallyPaid: return "Partially paid"
    case .overpaid: return "Overpaid"
    case .duplicatePayout: return "Duplicate payout"
    case .inFlight: return "In flight"
    case .failedPayout: return "Failed payout"
    case .missing: return "Missing"
    case .notYetDue: return "Not yet due"
    case .tokenMismatch: return "Token mismatch"
    case .networkMismatch: return "Network mismatch"
    case .needsReview: return "Needs review"
    case .unexpectedTransaction: return "Unexpected transaction"
    case .nonPayout: return "Non-payout"
    }
  }
}

/// The matching stage that linked a payout to its transactions. Raw values are a contract.
public enum MatchRule: String, Sendable, Hashable, CaseIterable, Codable {
  /// The payout's reference (or Magna key / id) appears in the memo or invoice number.
  case reference
  /// Same wallet, currency, network and amount (as decimals).
  case exact
  /// Same wallet, currency and network; amount within tolerance; inside the date window; the only
  /// candidate.
  case tolerance
  /// Several transactions to the same wallet, currency and network that add up to the amount.
  case split
  /// Same wallet, currency and network inside the date window, the only candidate, amount off.
  case wallet
  /// Same wallet and amount, other currency or network.
  case mismatch
}
