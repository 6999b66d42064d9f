extension AllocationValidator {
  /// `validate(row:)` for a row given as bytes, when the row has no issue at all: the same result
  /// (`isValid`, duplicate key, no issues) without building the request (`allocation` is nil). Nil
  /// when the row has an issue, or may have one, or its request is near the size limit: the caller
  /// then validates `row` as cells with `validate(row:)`, which explains the problems.
  ///
  /// The cells' bytes must be their text as UTF-8 exactly, as a CSV file's cells are (see `CSVRecord`).
  public func validateWithoutRequest(_ row: ByteRow) -> RowValidation? {
    var h = BodyHash.Streaming()
    return check(row, &h)
  }

  /// `validateWithoutRequest` that also writes the row's request body (what `jsonBody()` of the request
  /// `validate(row:)` builds gives), for `allot import`; the duplicate key is the same. Nil in the same
  /// cases as `validateWithoutRequest`, and also when the row has a custom attribute allot sets itself
  /// (the reference).
  public func prepareWithoutRequest(_ row: ByteRow) -> (RowValidation, ByteBody)? {
    var h = BodyWriter()
    guard let result = check(row, &h), h.writable else { return nil }
    return (result, ByteBody(bytes: h.body.bytes, tokenId: h.tokenId, walletAddress: h.walletAddress))
  }

  private func check<Sink: RowValueSink>(_ row: ByteRow, _ h: inout Sink) -> RowValidation? {
    typealias Bytes = UnsafeBufferPointer<UInt8>
    if isBlocked || iAmount < 0 { return nil }
    /// The trimmed text of a column's cell; nil when the column is absent or the cell empty.
    func text(_ column: Int) -> Bytes? {
      guard column >= 0 else { return nil }
      let t = ByteRules.trimmed(row[column])
      return t.isEmpty ? nil : t
    }
    /// Hashes a UUID cell's value as sent (lower case); false when it is not a valid UUID.
    func uuid(_ t: Bytes, _ tag: UInt64, _ h: inout Sink) -> Bool {
      switch UUIDRule.shape(t) {
      case .lower: h.add(tag, t)
      case .mixed: h.add(tag, TextScan.asciiLowercased(String(decoding: t, as: UTF8.self)))
      case .invalid: return false
      }
      return true
    }

    // The values are checked and hashed in body order (see `BodyHash.key`).
    guard let amountText = text(iAmount),
      let amount = ByteRules.amount(amountText, maxDecimals: options.maxDecimals)
    else { return nil }
    h.add(1, amount)

    if let t = text(iContract) {
      guard uuid(t, 2, &h) else { return nil }
    } else {
      guard let d = defaults.contractId else { return nil }
      h.add(2, d)
    }
    if let t = text(iToken) {
      guard uuid(t, 3, &h) else { return nil }
    } else {
      guard let d = defaults.tokenId else { return nil }
      h.add(3, d)
    }
    if let t = text(iCategory) {
      h.add(4, t)
    } else {
      guard let d = defaults.category else { return nil }
      h.add(4, d)
    }

    let name = text(iName)
    if iName >= 0 && name == nil { return nil }  // name.missing
    h.add(5, name)
    let email = text(iEmail)
    if let email, !EmailRule.isValid(email) { return nil }
    h.add(6, email)
    if let t = text(iXHandle) {
      guard let handle = ByteRules.plainHandle(t) else { return nil }
      h.add(7, handle)
    } else {
      h.add(7, nil as Bytes?)
    }
    h.add(8, text(iEmployee))
    h.add(9, text(iDescription))

    let unlockSchedule = text(iUnlockSchedule)
    if let t = unlockSchedule {
      guard uuid(t, 10, &h) else { return nil }
    } else {
      h.add(10, nil as Bytes?)
    }
    let unlockStart = text(iUnlockStart)
    if let t = unlockStart, !ByteRules.isPlainISODate(t) { return nil }
    h.add(11, unlockStart)
    let vestingSchedule = text(iVestingSchedule)
    if let t = vestingSchedule {
      guard uuid(t, 12, &h) else { return nil }
    } else {
      h.add(12, nil as Bytes?)
    }
    let vestingStart = text(iVestingStart)
    if let t = vestingStart, !ByteRules.isPlainISODate(t) { return nil }
    h.add(13, vestingStart)

    if let t = text(iReleaseMode) {
      guard let mode = ByteRules.releaseMode(t, allowed: releaseModeBytes) else { return nil }
      releaseModeBytes[mode].withUnsafeBufferPointer { h.add(14, $0) }
    } else {
      h.add(14, defaults.releaseMode)
    }
    if let t = text(iReceived) {
      guard let received = ByteRules.amount(t, maxDecimals: options.maxDecimals),
        ByteRules.compareCanonical(received, amount) <= 0
      else { return nil }
      h.add(15, received)
    } else {
      h.add(15, nil as Bytes?)
    }
    var cancellable: Bool? = nil
    if let t = text(iCancellable) {
      guard let v = ByteRules.cancellable(t) else { return nil }
      cancellable = v
    }
    h.cancellable(cancellable)

    var fixed = 400
    var sent = 0
    for i in sentAttributes.indices where text(sentAttributes[i].index) != nil { sent += 1 }
    let unsent = unsentAttributeColumns.contains(where: { text($0) != nil })
    // The reference attribute is in the body but not in the key: such a row's body is built from its
    // request.
    if unsent && Sink.writesBody { return nil }
    if sent > 0 || unsent {
      h.attributes(count: sent)
      for i in sentAttributes.indices {
        guard let t = text(sentAttributes[i].index) else { continue }
        h.attribute(key: sentAttributes[i].key, value: t)
        fixed += 24
      }
    } else {
      h.attributes(count: nil)
    }

    let wallet = text(iWallet)
    if let wallet, !ByteRules.isValidWallet(wallet) { return nil }
    h.add(20, wallet)

    // Whole-row rules.
    if (iUnlockSchedule >= 0 || iVestingSchedule >= 0) && unlockSchedule == nil && vestingSchedule == nil {
      return nil
    }
    if (iEmail >= 0 || iWallet >= 0) && email == nil && wallet == nil { return nil }
    // A request that could come near the size limit is measured by `validate(row:)`.
    if fixed + 6 * h.bytes > AllocationRequest.maxBodyBytes - AllocationRequest.referenceAllowance {
      return nil
    }
    return RowValidation(
      rowNumber: row.rowNumber, allocation: nil, issues: [], duplicateKey: h.duplicateKey(),
      validWithoutRequest: true)
  }
}
