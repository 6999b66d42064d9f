import AllotCore
import Foundation

/// Magna's response envelope: `{isProcessed, result, error{type, message}}`. Decoding is lenient: unknown
/// fields are ignored, and a `message` at the top level is accepted too.
struct MagnaEnvelope<Result: Decodable>: Decodable {
  var isProcessed: Bool?
  var result: Result?
  var error: MagnaWireError?
  var message: String?

  enum CodingKeys: String, CodingKey {
    case isProcessed, result, error, message
  }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    isProcessed = try? container.decodeIfPresent(Bool.self, forKey: .isProcessed)
    result = try container.decodeIfPresent(Result.self, forKey: .result)
    if let structured = try? container.decodeIfPresent(MagnaWireError.self, forKey: .error) {
      error = structured
    } else if let text = try? container.decodeIfPresent(String.self, forKey: .error) {
      error = MagnaWireError(type: nil, message: text)
    }
    message = try? container.decodeIfPresent(String.self, forKey: .message)
  }
}

struct MagnaWireError: Decodable {
  var type: String?
  var message: String?
}

/// Placeholder result for bodies whose result is not read.
struct Ignored: Decodable {
  init(from decoder: any Decoder) throws {}
}

/// `result` of a create: only `id` and `key` matter.
struct CreatedAllocation: Decodable {
  var id: String
  var key: String?
}

/// A string that may arrive as a JSON string or number (amounts), kept as text.
struct LenientText: Decodable {
  var text: String
  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let string = try? container.decode(String.self) {
      text = string
    } else if let int = try? container.decode(Int64.self) {
      text = String(int)
    } else if let decimal = try? container.decode(Decimal.self) {
      text = "\(decimal)"
    } else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a string or number")
    }
  }
}

/// One item of `POST /allocations`: lenient about where the wallet lives and how attributes look.
struct WireListedAllocation: Decodable {
  var allocation: ListedAllocation

  enum CodingKeys: String, CodingKey {
    case id, key, amount, walletAddress, wallet, customAttributes
  }
  struct Wallet: Decodable { var address: String? }
  struct Attribute: Decodable {
    var key: LenientText?
    var value: LenientText?
  }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let id = try c.decode(LenientText.self, forKey: .id).text
    let key = (try? c.decodeIfPresent(String.self, forKey: .key)) ?? nil
    let amount = (try? c.decodeIfPresent(LenientText.self, forKey: .amount))?.text
    var wallet = (try? c.decodeIfPresent(String.self, forKey: .walletAddress)) ?? nil
    if wallet == nil, let nested = try? c.decodeIfPresent(Wallet.self, forKey: .wallet) {
      wallet = nested.address
    }
    let rawAttributes = (try? c.decodeIfPresent([Attribute].self, forKey: .customAttributes)) ?? nil
    let attributes = (rawAttributes ?? []).compactMap { attribute -> AllocationRequest.Attribute? in
      guard let key = attribute.key?.text else { return nil }
      return AllocationRequest.Attribute(key: key, value: attribute.value?.text ?? "")
    }
    allocation = ListedAllocation(
      id: id, key: key, amount: amount, walletAddress: wallet, customAttributes: attributes)
  }
}

struct WireAllocationPage: Decodable {
  var items: [WireListedAllocation]
  var cursor: String?
  var total: Int?

  enum CodingKeys: String, CodingKey { case items, cursor, total }
  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    items = try c.decodeIfPresent([WireListedAllocation].self, forKey: .items) ?? []
    cursor = (try? c.decodeIfPresent(LenientText.self, forKey: .cursor))?.text
    total = (try? c.decodeIfPresent(Int.self, forKey: .total)) ?? nil
  }
}

/// An entity with an id (contracts, schedules). `result` may be an array or `{items: [...]}`.
struct WireIdentified: Decodable {
  var id: String
  enum CodingKeys: String, CodingKey { case id }
  init(from decoder: any Decoder) throws {
    id = try decoder.container(keyedBy: CodingKeys.self).decode(LenientText.self, forKey: .id).text
  }
}

struct WireIdentifiedList: Decodable {
  var ids: [String]
  enum CodingKeys: String, CodingKey { case items }
  init(from decoder: any Decoder) throws {
    if let list = try? decoder.singleValueContainer().decode([WireIdentified].self) {
      ids = list.map(\.id)
    } else {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      ids = try c.decode([WireIdentified].self, forKey: .items).map(\.id)
    }
  }
}

extension MagnaEnvelope {
  static func decode(_ bytes: [UInt8]) -> MagnaEnvelope? {
    guard !bytes.isEmpty else { return nil }
    return try? JSONDecoder().decode(MagnaEnvelope.self, from: Data(bytes))
  }

  /// The error type and message of an error body, if any.
  var errorType: String? { error?.type }
  var errorMessage: String? { error?.message ?? message }
}
