/// The blockchain address formats allot accepts for `walletAddress`.
public enum WalletKind: String, Sendable, Hashable, Codable {
  /// `0x` + 40 hex digits (Ethereum and other EVM chains).
  case evm
  /// Base58 text decoding to a 32-byte public key.
  case solana
  /// Base58check `T…`: 25 bytes, `0x41` prefix, 4-byte double-SHA-256 checksum.
  case tron
}

/// Why a wallet address was refused: a stable code and a message that says what to fix.
public struct WalletProblem: Error, Sendable, Hashable {
  /// `wallet.invalid` (not an address of an accepted format) or `wallet.checksum` (a typo caught by
  /// the address's own checksum).
  public var code: String
  public var message: String

  public init(code: String, message: String) {
    self.code = code
    self.message = message
  }
}

/// Checks wallet addresses before tokens are sent to them: a typo in a wallet loses tokens for real.
public enum WalletAddress {
  static let formats =
    "an EVM address (0x followed by 40 hex digits), a Solana address (base58, 32 bytes) or a Tron address (T…, base58check)"

  /// The kind of a (trimmed) address, or the reason it is refused.
  public static func check(_ text: String) -> Result<WalletKind, WalletProblem> {
    let utf8 = text.utf8
    if utf8.count >= 2, utf8.first == UInt8(ascii: "0"),
      let second = utf8.dropFirst().first, second == UInt8(ascii: "x") || second == UInt8(ascii: "X")
    {
      return checkEVM(text)
    }
    if utf8.count == 40, utf8.allSatisfy({ Hex.value($0) != nil }) {
      return .failure(
        invalid("This looks like an EVM address without its 0x prefix: write 0x\(text)."))
    }
    if utf8.isEmpty {
      return .failure(invalid("The wallet address is empty; give \(formats)."))
    }
    let oddOne = text.first { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
    if let bad = oddOne ?? Base58.firstInvalidCharacter(text) {
      var hint = ""
      if bad == " " {
        hint = " It contains a space."
      } else if "0OIl".contains(bad) {
        hint = " It contains '\(bad)', which base58 addresses never use (a misread character?)."
      } else {
        hint = " It contains '\(bad)'."
      }
      return .failure(invalid("Not a wallet address: expected \(formats).\(hint)"))
    }
    guard let bytes = Base58.decode(text) else {
      return .failure(invalid("Not a wallet address: expected \(formats) (found \(utf8.count) characters)."))
    }
    if bytes.count == 32 {
      return .success(.solana)
    }
    if utf8.first == UInt8(ascii: "T") {
      guard bytes.count == 25, bytes[0] == 0x41 else {
        return .failure(
          invalid(
            "A Tron address is 34 base58 characters starting with T (found \(utf8.count) characters)."))
      }
      let first = SHA256.hash(bytes[0..<21])
      let second = SHA256.hash(first)
      guard second[0..<4].elementsEqual(bytes[21..<25]) else {
        return .failure(
          WalletProblem(
            code: "wallet.checksum",
            message:
              "The Tron address fails its checksum: a character is mistyped. Copy the address again from the wallet."
          ))
      }
      return .success(.tron)
    }
    return .failure(
      invalid(
        "Not a wallet address: expected \(formats); this base58 text decodes to \(bytes.count) bytes, not 32."
      ))
  }

  private static func invalid(_ message: String) -> WalletProblem {
    WalletProblem(code: "wallet.invalid", message: message)
  }

  private static func checkEVM(_ text: String) -> Result<WalletKind, WalletProblem> {
    let utf8 = Array(text.utf8)
    if utf8[1] == UInt8(ascii: "X") {
      return .failure(invalid("An EVM address starts with a lower-case 0x: write 0x\(text.dropFirst(2))."))
    }
    let hex = utf8[2...]
    if let badIndex = hex.firstIndex(where: { Hex.value($0) == nil }) {
      let bad = Character(Unicode.Scalar(hex[badIndex]))
      let shown = hex[badIndex] < 0x80 ? "'\(bad)'" : "a non-ASCII character"
      return .failure(
        invalid("An EVM address is 0x followed by 40 hex digits (0-9, a-f); this one contains \(shown)."))
    }
    guard hex.count == 40 else {
      return .failure(
        invalid(
          "An EVM address is 0x followed by 40 hex digits; this one has \(hex.count). A digit is missing or extra."
        ))
    }
    var hasLower = false
    var hasUpper = false
    for u in hex {
      if u >= 97 && u <= 102 { hasLower = true }
      if u >= 65 && u <= 70 { hasUpper = true }
    }
    if hasLower && hasUpper {
      let expected = checksummed(hex)
      if expected != text {
        return .failure(
          WalletProblem(
            code: "wallet.checksum",
            message:
              "The EVM address's upper/lower case does not match its EIP-55 checksum, so a character is probably mistyped. The correctly checksummed form of these digits is \(expected); check it against the wallet before using it."
          ))
      }
    }
    return .success(.evm)
  }

  /// The EIP-55 mixed-case form of an EVM address (`0x` + 40 hex digits in any case).
  public static func eip55<S: StringProtocol>(_ address: S) -> String? {
    let utf8 = Array(address.utf8)
    guard utf8.count == 42, utf8[0] == UInt8(ascii: "0"),
      utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X"),
      utf8[2...].allSatisfy({ Hex.value($0) != nil })
    else { return nil }
    return checksummed(utf8[2...])
  }

  private static func checksummed(_ hex: ArraySlice<UInt8>) -> String {
    let lower = hex.map { $0 >= 65 && $0 <= 70 ? $0 + 32 : $0 }
    let digest = Keccak256.hash(lower)
    var out: [UInt8] = [UInt8(ascii: "0"), UInt8(ascii: "x")]
    for (i, u) in lower.enumerated() {
      let nibble = i % 2 == 0 ? digest[i / 2] >> 4 : digest[i / 2] & 0x0f
      out.append(u >= 97 && nibble >= 8 ? u - 32 : u)
    }
    return String(decoding: out, as: UTF8.self)
  }
}
