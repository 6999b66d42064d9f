import AllotCore
import Foundation

// ALL assumptions about Magma's transaction API live in this file (magma-api.md, "Assumed"): the object's
// field names, the list endpoint's query parameters and its page envelope, the CSV export's columns.
// Correct them here against the real swagger (`/api/docs/swagger.json`) when it is available.

/// One Magma transaction as the API returns it (assumed shape). Every field but `id` may be absent.
/// Amounts and fees stay exact decimal text (a JSON number is kept as its text).
public struct MagmaTransactionDTO: Sendable, Hashable, Codable {
  public var id: String
  public var type: String?
  public var status: String?
  public var amount: String?
  public var currency: String?
  public var network: String?
  public var organizationId: String?
  public var recipientId: String?
  public var destinationAddress: String?
  public var txHash: String?
  public var fee: String?
  public var memo: String?
  public var invoiceNumber: String?
  public var createdAt: String?
  public var updatedAt: String?
  public var completedAt: String?

  public init(
    id: String, type: String? = nil, status: String? = nil, amount: String? = nil, currency: String? = nil,
    network: String? = nil, organizationId: String? = nil, recipientId: String? = nil,
    destinationAddress: String? = nil, txHash: String? = nil, fee: String? = nil, memo: String? = nil,
    invoiceNumber: String? = nil, createdAt: String? = nil, updatedAt: String? = nil,
    completedAt: String? = nil
  ) {
    self.id = id
    self.type = type
    self.status = status
    self.amount = amount
    self.currency = currency
    self.network = network
    self.organizationId = organizationId
    self.recipientId = recipientId
    self.destinationAddress = destinationAddress
    self.txHash = txHash
    self.fee = fee
    self.memo = memo
    self.invoiceNumber = invoiceNumber
    self.createdAt = createdAt
    self.updatedAt = updatedAt
    self.completedAt = completedAt
  }

  /// The CSV export's columns, in order (`GET /v1/transactions/export-csv`).
  public static let csvColumns = [
    "id", "type", "status", "amount", "currency", "network", "organizationId", "recipientId",
    "destinationAddress", "txHash", "fee", "memo", "invoiceNumber", "createdAt", "updatedAt", "completedAt",
  ]

  /// The values in ``csvColumns`` order (absent → empty).
  public var csvValues: [String] {
    [
      id, type ?? "", status ?? "", amount ?? "", currency ?? "", network ?? "", organizationId ?? "",
      recipientId ?? "", destinationAddress ?? "", txHash ?? "", fee ?? "", memo ?? "", invoiceNumber ?? "",
      createdAt ?? "", updatedAt ?? "", completedAt ?? "",
    ]
  }

  enum CodingKeys: String, CodingKey {
    case id, type, status, amount, currency, network, organizationId, recipientId, destinationAddress, txHash
    case fee, memo, invoiceNumber, createdAt, updatedAt, completedAt
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func text(_ key: CodingKeys) -> String? {
      if let string = try? c.decodeIfPresent(String.self, forKey: key) { return string }
      if let int = try? c.decodeIfPresent(Int64.self, forKey: key) { return String(int) }
      if let decimal = try? c.decodeIfPresent(Decimal.self, forKey: key) { return "\(decimal)" }
      return nil
    }
    guard let id = text(.id) else {
      throw DecodingError.keyNotFound(
        CodingKeys.id, .init(codingPath: c.codingPath, debugDescription: "transaction without id"))
    }
    self.id = id
    type = text(.type)
    status = text(.status)
    amount = text(.amount)
    currency = text(.currency)
    network = text(.network)
    organizationId = text(.organizationId)
    recipientId = text(.recipientId)
    destinationAddress = text(.destinationAddress)
    txHash = text(.txHash)
    fee = text(.fee)
    memo = text(.memo)
    invoiceNumber = text(.invoiceNumber)
    createdAt = text(.createdAt)
    updatedAt = text(.updatedAt)
    completedAt = text(.completedAt)
  }
}

/// `GET /v1/transactions` answer (assumed): `{data: [...], page, pageSize, total}`; pages count from 1.
public struct MagmaTransactionPage: Sendable, Hashable, Codable {
  public var data: [MagmaTransactionDTO]
  public var page: Int
  public var pageSize: Int
  public var total: Int

  public init(data: [MagmaTransactionDTO], page: Int, pageSize: Int, total: Int) {
    self.data = data
    self.page = page
    self.pageSize = pageSize
    self.total = total
  }

  /// Largest page size the API accepts (assumed).
  public static let maxPageSize = 100
  /// Number of the first page (assumed).
  public static let firstPage = 1
}

/// Filters of `GET /v1/transactions` (assumed names: `type`, `status`, `organizationId`, `from`, `to`
/// ISO 8601; several types or statuses are sent comma-separated).
public struct MagmaTransactionQuery: Sendable, Hashable {
  public var types: [String]
  public var statuses: [String]
  public var organizationId: String?
  /// ISO 8601 date or date-time, inclusive.
  public var from: String?
  /// ISO 8601 date or date-time, inclusive.
  public var to: String?

  public init(
    types: [String] = [], statuses: [String] = [], organizationId: String? = nil, from: String? = nil,
    to: String? = nil
  ) {
    self.types = types
    self.statuses = statuses
    self.organizationId = organizationId
    self.from = from
    self.to = to
  }

  /// Query items for one page, in a fixed order.
  public func queryItems(page: Int, pageSize: Int) -> [(name: String, value: String)] {
    var items: [(String, String)] = [("page", String(page)), ("pageSize", String(pageSize))]
    if !types.isEmpty { items.append(("type", types.joined(separator: ","))) }
    if !statuses.isEmpty { items.append(("status", statuses.joined(separator: ","))) }
    if let organizationId { items.append(("organizationId", organizationId)) }
    if let from { items.append(("from", from)) }
    if let to { items.append(("to", to)) }
    return items
  }
}

extension MagmaTransactionDTO {
  /// The core model used by reconciliation. `amount` must be a decimal (a missing or unreadable amount
  /// is an error naming the transaction); an unreadable `fee` is dropped; absent text becomes "".
  public func coreTransaction() throws(MagmaError) -> MagmaTransaction {
    guard let text = amount else { throw .invalidTransaction(id: id, "no amount") }
    guard let value = ExactDecimal(AsciiText.trimmed(text)) else {
      throw .invalidTransaction(id: id, "amount \"\(text)\" is not a decimal number")
    }
    return MagmaTransaction(
      id: id, type: type ?? "", status: status ?? "", amount: value, currency: currency ?? "",
      network: network ?? "", organizationId: organizationId ?? "", recipientId: recipientId ?? "",
      destinationAddress: destinationAddress ?? "", txHash: txHash ?? "",
      fee: fee.flatMap { ExactDecimal(AsciiText.trimmed($0)) }, memo: memo ?? "",
      invoiceNumber: invoiceNumber ?? "",
      createdAt: createdAt ?? "", updatedAt: updatedAt ?? "", completedAt: completedAt ?? "")
  }
}
