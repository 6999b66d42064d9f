/// Base58 with the Bitcoin alphabet (used by Solana and Tron addresses).
public enum Base58 {
  public static let alphabet: [UInt8] = Array(
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

  /// Digit value of each ASCII byte, 255 when not in the alphabet.
  private static let values: [UInt8] = {
    var table = [UInt8](repeating: 255, count: 256)
    for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
    return table
  }()

  /// The first byte of `text` that is not a base58 digit (`0`, `O`, `I`, `l`, or anything non-alphanumeric).
  public static func firstInvalidCharacter<S: StringProtocol>(_ text: S) -> Character? {
    for ch in text where !(ch.isASCII && ch.asciiValue.map { values[Int($0)] != 255 } == true) {
      return ch
    }
    return nil
  }

  /// Bytes of base58 text (leading `1`s are leading zero bytes); nil when a character is not base58
  /// or the text is empty or longer than `maxLength` characters.
  public static func decode<S: StringProtocol>(_ text: S, maxLength: Int = 128) -> [UInt8]? {
    let utf8 = text.utf8
    guard !utf8.isEmpty, utf8.count <= maxLength else { return nil }
    var zeros = 0
    var seenNonZero = false
    // Big-endian base-256 digits of the number, built digit by digit.
    var bytes = [UInt8]()
    bytes.reserveCapacity(utf8.count)
    for u in utf8 {
      let v = values[Int(u)]
      if v == 255 { return nil }
      if !seenNonZero {
        if v == 0 {
          zeros += 1
          continue
        }
        seenNonZero = true
      }
      var carry = Int(v)
      var i = bytes.count - 1
      while i >= 0 {
        carry += Int(bytes[i]) * 58
        bytes[i] = UInt8(truncatingIfNeeded: carry)
        carry >>= 8
        i -= 1
      }
      while carry > 0 {
        bytes.insert(UInt8(truncatingIfNeeded: carry), at: 0)
        carry >>= 8
      }
    }
    return [UInt8](repeating: 0, count: zeros) + bytes
  }

  /// Base58 text of `bytes`.
  public static func encode(_ bytes: [UInt8]) -> String {
    var zeros = 0
    while zeros < bytes.count && bytes[zeros] == 0 { zeros += 1 }
    // Little-endian base-58 digits.
    var digits = [UInt8]()
    for b in bytes[zeros...] {
      var carry = Int(b)
      for j in 0..<digits.count {
        carry += Int(digits[j]) << 8
        digits[j] = UInt8(carry % 58)
        carry /= 58
      }
      while carry > 0 {
        digits.append(UInt8(carry % 58))
        carry /= 58
      }
    }
    var out = [UInt8](repeating: alphabet[0], count: zeros)
    for d in digits.reversed() { out.append(alphabet[Int(d)]) }
    return String(decoding: out, as: UTF8.self)
  }
}
