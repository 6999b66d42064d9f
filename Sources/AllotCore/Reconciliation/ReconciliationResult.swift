/// Why a payout needs a person to look at it (category `needs_review`).
public enum ReviewCause: String, Sendable, Hashable, Codable {
  /// Another expected payout could take the same transaction.
  case sharedTransaction = "shared_transaction"
  /// Several transactions could pay it and the rule accepts only one.
  case severalCandidates = "several_candidates"
  /// Several different groups of transactions add up to it.
  case severalSplits = "several_splits"
  /// A transaction names its reference but went to another wallet.
  case otherWallet = "other_wallet"
  /// A linked transaction has a status allot does not know.
  case unknownStatus = "unknown_status"
  /// Same wallet and amount, but both the currency and the network differ.
  case currencyAndNetwork = "currency_and_network"
}

/// The outcome for one expected payout.
public struct ExpectedOutcome: Sendable, Hashable {
  public var category: ReconciliationCategory
  /// The rule that linked the transactions; nil when none is linked.
  public var rule: MatchRule?
  /// What the linked completed transactions paid in the payout's currency and network (0 for
  /// mismatches and reviews).
  public var paid: ExactDecimal
  /// `paid - expected`.
  public var difference: ExactDecimal
  public var review: ReviewCause?
  /// Another expected payout involved in the review (index), or -1.
  public var peer: Int32
  var linkStart: Int32
  var linkCount: Int32

  /// Where this payout's linked transactions are in the result's links (`withLinks`).
  public var linkRange: Range<Int> { Int(linkStart)..<Int(linkStart + linkCount) }
}

/// A transaction no expected payout took.
public struct UnmatchedTransaction: Sendable, Hashable {
  public var transactionIndex: Int
  public var category: ReconciliationCategory
}

/// Counts and amounts of one category.
public struct CategoryTotal: Sendable, Hashable {
  public var count: Int = 0
  /// Expected amounts for payout categories; transaction amounts for transaction categories.
  public var amount: ExactDecimal = .zero
}

/// Totals for one currency × network.
public struct CurrencyNetworkTotals: Sendable, Hashable {
  public var currency: String
  public var network: String
  public var expectedCount: Int = 0
  public var expected: ExactDecimal = .zero
  public var paid: ExactDecimal = .zero
  /// Per category, indexed like `ReconciliationCategory.allCases`.
  public var categories: [CategoryTotal] = Array(
    repeating: CategoryTotal(), count: ReconciliationCategory.allCases.count)
  /// True when a sum did not fit 38 digits (the figures are then incomplete).
  public var overflow = false

  public var difference: ExactDecimal { paid.subtracting(expected) ?? .zero }

  public func total(_ category: ReconciliationCategory) -> CategoryTotal {
    categories[category.index]
  }

  mutating func add(_ value: ExactDecimal, to sum: WritableKeyPath<CurrencyNetworkTotals, ExactDecimal>) {
    if let s = self[keyPath: sum].adding(value) { self[keyPath: sum] = s } else { overflow = true }
  }

  mutating func count(_ category: ReconciliationCategory, amount: ExactDecimal) {
    let i = category.index
    categories[i].count += 1
    if let s = categories[i].amount.adding(amount) { categories[i].amount = s } else { overflow = true }
  }

  /// Adds the counts and sums of `other`, the same currency and network's totals over other rows.
  mutating func add(_ other: CurrencyNetworkTotals) {
    expectedCount += other.expectedCount
    add(other.expected, to: \.expected)
    add(other.paid, to: \.paid)
    for i in categories.indices {
      categories[i].count += other.categories[i].count
      if let s = categories[i].amount.adding(other.categories[i].amount) {
        categories[i].amount = s
      } else {
        overflow = true
      }
    }
    if other.overflow { overflow = true }
  }
}

extension ReconciliationCategory {
  /// Position in `allCases`.
  public var index: Int {
    switch self {
    case .matched: return 0
    case .matchedWithinTolerance: return 1
    case .partiallyPaid: return 2
    case .overpaid: return 3
    case .duplicatePayout: return 4
    case .inFlight: return 5
    case .failedPayout: return 6
    case .missing: return 7
    case .notYetDue: return 8
    case .tokenMismatch: return 9
    case .networkMismatch: return 10
    case .needsReview: return 11
    case .unexpectedTransaction: return 12
    case .nonPayout: return 13
    }
  }
}

/// Everything a reconciliation found; reports render it.
public struct ReconciliationResult: Sendable {
  public let expected: [ExpectedPayout]
  public let transactions: [MagmaTransaction]
  public let settings: ReconciliationSettings
  /// One outcome per expected payout, in input order.
  public let outcomes: [ExpectedOutcome]
  /// Transactions no payout took, ordered by (time, id).
  public let unmatched: [UnmatchedTransaction]
  /// Per currency × network, ordered by currency then network.
  public let totals: [CurrencyNetworkTotals]
  /// Counts per category (expected and transaction categories), indexed like `allCases`.
  public let categoryCounts: [Int]
  let links: [Int32]

  init(
    expected: [ExpectedPayout], transactions: [MagmaTransaction], settings: ReconciliationSettings,
    outcomes: [ExpectedOutcome], unmatched: [UnmatchedTransaction], totals: [CurrencyNetworkTotals],
    categoryCounts: [Int], links: [Int32]
  ) {
    self.expected = expected
    self.transactions = transactions
    self.settings = settings
    self.outcomes = outcomes
    self.unmatched = unmatched
    self.totals = totals
    self.categoryCounts = categoryCounts
    self.links = links
  }

  /// The transactions linked to expected payout `index`, ordered by (time, id).
  public func linkedTransactions(_ index: Int) -> ArraySlice<Int32> {
    links[outcomes[index].linkRange]
  }

  /// `body` with every payout's linked transactions (indices into `transactions`), a payout's at its
  /// outcome's `linkRange`: for readers of many payouts on several threads, which a slice per payout
  /// would have retain and release the same storage from every core.
  public func withLinks<R>(_ body: (UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
    try links.withUnsafeBufferPointer(body)
  }

  public func count(_ category: ReconciliationCategory) -> Int { categoryCounts[category.index] }

  /// Number of expected payouts and transactions that need a person.
  public var exceptionCount: Int {
    ReconciliationCategory.allCases.filter(\.isException).reduce(0) { $0 + count($1) }
  }

  public var hasExceptions: Bool { exceptionCount > 0 }
}
