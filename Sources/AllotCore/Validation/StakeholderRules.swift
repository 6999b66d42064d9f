/// Rules for the stakeholder's email, X handle and employee number.
public enum EmailRule {
  /// A trimmed email address as written, or `email.invalid` with what is wrong.
  public static func check(_ text: String) -> Result<String, FieldProblem> {
    if isValid(text.utf8) { return .success(text) }
    return .failure(.error("email.invalid", "Email is not a valid address: \(explain(text))"))
  }

  /// `local@domain.tld`: one `@`; a local part of letters, digits and ``!#$%&'*+/=?^_`{|}~.-`` without
  /// leading, trailing or doubled dots (at most 64 bytes); a domain of dot-separated labels of letters,
  /// digits and inner hyphens (non-ASCII letters allowed), the last label at least two letters.
  static func isValid<C: Collection<UInt8>>(_ bytes: C) -> Bool {
    if let answer = bytes.withContiguousStorageIfAvailable({ isValid(buffer: $0) }) { return answer }
    return Array(bytes).withUnsafeBufferPointer { isValid(buffer: $0) }
  }

  /// Byte classes for `isValid`: `local` a local-part character other than `.` and `@` (atext or
  /// non-ASCII), `domain` a label character (letter, digit, `-`, non-ASCII), `alpha` a letter or
  /// non-ASCII. A table lookup a byte instead of a chain of comparisons (the check runs on a million
  /// rows).
  private static let local: UInt8 = 1
  private static let domain: UInt8 = 2
  private static let alpha: UInt8 = 4
  private static let classes: [UInt8] = (0..<256).map { v in
    let u = UInt8(v)
    var k: UInt8 = 0
    if u >= 0x80 || isAtext(u) { k |= local }
    if u >= 0x80 || TextScan.isDigit(u) || TextScan.isASCIILetter(u) || u == UInt8(ascii: "-") { k |= domain }
    if u >= 0x80 || TextScan.isASCIILetter(u) { k |= alpha }
    return k
  }

  private static func isValid(buffer u: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = u.count
    guard n <= 254 else { return false }
    let dot = UInt8(ascii: ".")
    let hyphen = UInt8(ascii: "-")
    return classes.withUnsafeBufferPointer { table in
      // Local part, up to the `@`.
      var i = 0
      var prev: UInt8 = 0
      while i < n {
        let c = u[i]
        if c == UInt8(ascii: "@") {
          guard i > 0, i <= 64, prev != dot else { return false }
          break
        }
        if c == dot {
          if i == 0 || prev == dot { return false }
        } else if table[Int(c)] & local == 0 {
          return false
        }
        prev = c
        i += 1
      }
      guard i < n else { return false }
      prev = u[i]
      i += 1
      // Domain.
      var labelLength = 0
      var labelStartsHyphen = false
      var dotsInDomain = 0
      var lastLabelAlpha = true
      while i < n {
        let c = u[i]
        if c == dot {
          guard labelLength > 0, prev != hyphen else { return false }
          dotsInDomain += 1
          labelLength = 0
          lastLabelAlpha = true
        } else {
          let k = table[Int(c)]
          if k & domain == 0 { return false }
          if c == hyphen && labelLength == 0 { labelStartsHyphen = true }
          if k & alpha == 0 { lastLabelAlpha = false }
          labelLength += 1
          if labelLength > 63 { return false }
        }
        prev = c
        i += 1
      }
      return dotsInDomain > 0 && labelLength >= 2 && prev != hyphen && !labelStartsHyphen && lastLabelAlpha
    }
  }

  private static func isAtext(_ u: UInt8) -> Bool {
    if TextScan.isDigit(u) || TextScan.isASCIILetter(u) { return true }
    switch u {
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
      UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="),
      UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"),
      UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: "-"):
      return true
    default: return false
    }
  }

  private static func explain(_ text: String) -> String {
    TextScan.isASCII(text) ? explainASCII(text) : explainCharacters(text)
  }

  /// `explain` on the text's characters (any text; the tests hold `explainASCII` to it).
  static func explainCharacters(_ text: String) -> String {
    let shown = TextScan.shown(text)
    let lower = text.lowercased()
    if lower.hasPrefix("mailto:") {
      let rest = String(text.dropFirst(7))
      if isValid(rest.utf8) { return "remove mailto:, write \(rest)." }
    }
    if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {
      let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
      if isValid(inner.utf8) { return "write only the address, \(inner) (found \(shown))." }
    }
    let ats = text.filter { $0 == "@" }.count
    if text.contains(",") || text.contains(";") || ats > 1 {
      return "give one address per cell (found \(shown))."
    }
    if text.contains(" ") { return "it contains a space (found \(shown))." }
    if ats == 0 { return "it has no @ (found \(shown))." }
    if text.hasSuffix(".") { return "it ends with a dot (found \(shown))." }
    return "expected name@example.com (found \(shown))."
  }

  /// `explain` for ASCII text, on its bytes (the same sentences; an invalid email is explained for each
  /// of the rows a shifted column spoils, so this runs as often as a check).
  static func explainASCII(_ text: String) -> String {
    let u = Array(text.utf8)
    let shown = TextScan.shown(text)
    if TextScan.hasPrefixIgnoringCase(text, "mailto:") {
      let rest = String(decoding: u[7...], as: UTF8.self)
      if isValid(rest.utf8) { return "remove mailto:, write \(rest)." }
    }
    if let open = u.lastIndex(of: UInt8(ascii: "<")), u.last == UInt8(ascii: ">") {
      let inner = String(decoding: u[(open + 1)..<(u.count - 1)], as: UTF8.self)
      if isValid(inner.utf8) { return "write only the address, \(inner) (found \(shown))." }
    }
    var ats = 0
    var separator = false
    var space = false
    for b in u {
      switch b {
      case UInt8(ascii: "@"): ats += 1
      case UInt8(ascii: ","), UInt8(ascii: ";"): separator = true
      case UInt8(ascii: " "): space = true
      default: break
      }
    }
    if separator || ats > 1 { return "give one address per cell (found \(shown))." }
    if space { return "it contains a space (found \(shown))." }
    if ats == 0 { return "it has no @ (found \(shown))." }
    if u.last == UInt8(ascii: ".") { return "it ends with a dot (found \(shown))." }
    return "expected name@example.com (found \(shown))."
  }
}

public enum XHandleRule {
  /// Longest handle X allows.
  public static let maxLength = 15

  /// `@alice` → `alice`. Characters other than letters, digits and `_` are an error (`xHandle.invalid`,
  /// a profile URL gets the handle shown); more than 15 characters is a warning (`xHandle.too_long`:
  /// X's limit, but Magna stores any text, so the row can still be sent).
  public static func check(_ text: String) -> FieldOutcome<String> {
    if let fast = plainHandle(text) { return fast }
    var handle = Substring(text)
    if handle.hasPrefix("@") { handle = handle.dropFirst() }
    let lower = text.lowercased()
    for host in ["x.com/", "twitter.com/"] {
      if let range = lower.firstRange(of: host),
        lower.hasPrefix("http") || lower.hasPrefix("www.") || lower.hasPrefix(host)
      {
        let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
        var rest = text.dropFirst(offset)
        if let cut = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) { rest = rest[..<cut] }
        return .error("xHandle.invalid", "X handle must be the handle, not a profile link: write \(rest).")
      }
    }
    guard !handle.isEmpty else {
      return .error("xHandle.invalid", "X handle is only an @; write the handle after it.")
    }
    if let bad = handle.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }) {
      let what = bad == " " ? "a space" : "'\(bad)'"
      return .error(
        "xHandle.invalid",
        "X handle may contain only letters, digits and _ (found \(what) in \(TextScan.shown(text))).")
    }
    var outcome = FieldOutcome<String>.ok(handle.count == text.count ? text : String(handle))
    if handle.count > maxLength {
      outcome.problems.append(
        .warning(
          "xHandle.too_long",
          "X handle \(handle) has \(handle.count) characters; X handles have at most \(maxLength). Check it.")
      )
    }
    return outcome
  }
}

extension XHandleRule {
  /// The common case without allocation-heavy checks: `[@]` then 1–15 of `[A-Za-z0-9_]`.
  fileprivate static func plainHandle(_ text: String) -> FieldOutcome<String>? {
    let utf8 = text.utf8
    var count = 0
    var at = false
    for u in utf8 {
      if count == 0 && !at && u == UInt8(ascii: "@") {
        at = true
        continue
      }
      guard TextScan.isDigit(u) || TextScan.isASCIILetter(u) || u == UInt8(ascii: "_") else { return nil }
      count += 1
    }
    guard count >= 1 && count <= maxLength else { return nil }
    return .ok(at ? String(Substring(text.utf8.dropFirst())) : text)
  }
}

public enum EmployeeNumberRule {
  /// Text is kept exactly (leading zeros included). A numeric cell has already lost any leading zeros,
  /// which cannot be recovered: warning `employeeNumber.numeric_cell`.
  public static func check(_ cell: Cell, trimmed: String) -> FieldOutcome<String> {
    var outcome = FieldOutcome<String>.ok(trimmed)
    if cell.kind == .number {
      outcome.problems.append(
        .warning(
          "employeeNumber.numeric_cell",
          "Employee number \(trimmed) is stored as a number, so any leading zeros are lost. Format the column as text and type the numbers again if they have leading zeros."
        ))
    }
    return outcome
  }
}
