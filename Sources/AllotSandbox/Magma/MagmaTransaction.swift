/// A Magma transaction as the sandbox serves it (the assumed shape of magma-api.md). Absent values are
/// encoded as `null`.
struct SandboxMagmaTransaction: Sendable, Hashable, Encodable {
  var id: String
  var type: String
  var status: String
  var amount: String
  var currency: String
  var network: String?
  var organizationId: String?
  var recipientId: String?
  var destinationAddress: String?
  var txHash: String?
  var fee: String?
  var memo: String?
  var invoiceNumber: String?
  var createdAt: String
  var updatedAt: String
  var completedAt: String?

  enum CodingKeys: String, CodingKey {
    case id, type, status, amount, currency, network, organizationId, recipientId, destinationAddress, txHash
    case fee, memo, invoiceNumber, createdAt, updatedAt, completedAt
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(type, forKey: .type)
    try c.encode(status, forKey: .status)
    try c.encode(amount, forKey: .amount)
    try c.encode(currency, forKey: .currency)
    try c.encode(network, forKey: .network)
    try c.encode(organizationId, forKey: .organizationId)
    try c.encode(recipientId, forKey: .recipientId)
    try c.encode(destinationAddress, forKey: .destinationAddress)
    try c.encode(txHash, forKey: .txHash)
    try c.encode(fee, forKey: .fee)
    try c.encode(memo, forKey: .memo)
    try c.encode(invoiceNumber, forKey: .invoiceNumber)
    try c.encode(createdAt, forKey: .createdAt)
    try c.encode(updatedAt, forKey: .updatedAt)
    try c.encode(completedAt, forKey: .completedAt)
  }

  static let csvColumns = [
    "id", "type", "status", "amount", "currency", "network", "organizationId", "recipientId",
    "destinationAddress", "txHash", "fee", "memo", "invoiceNumber", "createdAt", "updatedAt", "completedAt",
  ]

  var csvValues: [String] {
    [
      id, type, status, amount, currency, network ?? "", organizationId ?? "", recipientId ?? "",
      destinationAddress ?? "", txHash ?? "", fee ?? "", memo ?? "", invoiceNumber ?? "", createdAt,
      updatedAt,
      completedAt ?? "",
    ]
  }
}
