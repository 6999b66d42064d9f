extension SubmissionEngine {
  /// Reads the `unknown` rows due for a check at `now` (at most 512) and verifies them.
  func verifyDue(now: Double) async throws -> ChildResult {
    let due = try await store.verifiableRows(batch: options.batch, now: now, limit: 512)
    guard !due.isEmpty else {
      return .verified(states: [], unauthorized: nil, listing: .none, finishedAt: await clock.now())
    }
    return try await verify(due)
  }

  /// Checks `unknown` rows against Magna: lists the token's allocations (filtered by wallet when the
  /// row has one) and looks for each row's reference. Found → `succeeded` with the id and key. Not found
  /// → re-checked later; after `verifyChecks` checks, the last one past the request deadline, → back to
  /// `pending` (the request did not land), or `failed` when the row's attempts are spent.
  func verify(_ rows: [SubmissionRow]) async throws -> ChildResult {
    struct Group: Hashable {
      var tokenId: String
      var wallet: String?
    }
    var groups: [Group: [SubmissionRow]] = [:]
    var order: [Group] = []
    for row in rows {
      let g = Group(tokenId: row.tokenId, wallet: row.walletAddress)
      if groups[g] == nil { order.append(g) }
      groups[g, default: []].append(row)
    }
    var updates: [RowUpdate] = []
    var states: [RowState] = []
    var unauthorized: (status: Int, message: String)?
    var listing = Listing.none

    for g in order {
      let members = groups[g] ?? []
      let startedAt = await clock.now()
      let found: [String: ListedAllocation]
      do {
        let wanted = Set(members.compactMap(\.reference))
        found = try await findReferences(wanted, tokenId: g.tokenId, wallet: g.wallet)
      } catch {
        let finishedAt = await clock.now()
        if error.isAuthorization {
          unauthorized = (error.status ?? 401, error.message)
        }
        if case .answered = listing {} else { listing = .failed(error.description) }
        // Listing failed: try again later, without counting a check.
        for row in members {
          var u = RowUpdate(
            rowId: row.id, from: .unknown, to: .unknown, reason: .verify,
            nextAttemptAt: finishedAt + min(max(options.requestDeadline, 1), 30))
          u.attempt = AttemptRecord(
            outcome: "verify_error", startedAt: startedAt, finishedAt: finishedAt, httpStatus: error.status,
            error: error.description)
          updates.append(u)
          states.append(.unknown)
        }
        if unauthorized != nil { break }
        continue
      }
      listing = .answered
      let finishedAt = await clock.now()
      for row in members {
        let u = verdict(
          for: row, found: row.reference.flatMap { found[$0] }, startedAt: startedAt, now: finishedAt)
        updates.append(u)
        states.append(u.to)
      }
    }
    if !updates.isEmpty { try await store.apply(updates) }
    return .verified(
      states: states, unauthorized: unauthorized, listing: listing, finishedAt: await clock.now())
  }

  /// The update for one `unknown` row after a listing.
  func verdict(for row: SubmissionRow, found: ListedAllocation?, startedAt: Double, now: Double) -> RowUpdate
  {
    var u = RowUpdate(rowId: row.id, from: .unknown, to: .unknown, reason: .verify)
    if let found {
      u.to = .succeeded
      u.allocationId = found.id
      u.allocationKey = found.key
      u.clearError = true
      u.nextAttemptAt = nil
      u.attempt = AttemptRecord(outcome: "verified_created", startedAt: startedAt, finishedAt: now)
      return u
    }
    let checks = row.verifyChecks + 1
    let sentAt = row.sentAt ?? startedAt
    // The listing must start after the request's deadline, so a request still being processed is seen.
    let pastDeadline = startedAt >= sentAt + options.requestDeadline
    if checks >= options.verifyChecks && pastDeadline {
      u.verifyChecks = 0
      u.nextAttemptAt = nil
      if options.retry.mayRetry(afterAttempts: row.attempts) {
        u.to = .pending
        u.clearError = true
        u.attempt = AttemptRecord(
          outcome: "verified_absent", startedAt: startedAt, finishedAt: now,
          error: "Reference not found after \(checks) checks; the row will be sent again.")
      } else {
        u.to = .failed
        u.errorType = "NotCreated"
        u.errorMessage =
          "Magna did not create the allocation after \(row.attempts) attempts (reference not found)."
        u.attempt = AttemptRecord(
          outcome: "verified_absent_gave_up", startedAt: startedAt, finishedAt: now, error: u.errorMessage)
      }
      return u
    }
    // Next check: spaced across the deadline (sentAt + k·deadline), at least a second from now.
    let spacing = options.requestDeadline / Double(max(1, options.verifyChecks - 1))
    let target = sentAt + spacing * Double(checks)
    u.verifyChecks = checks
    u.nextAttemptAt = max(target, now + min(1, max(spacing, 0.05)))
    u.attempt = AttemptRecord(outcome: "verify_pending", startedAt: startedAt, finishedAt: now)
    return u
  }

  /// Pages through the token's allocations (by wallet when given) until every wanted reference is found
  /// or the list ends.
  func findReferences(_ wanted: Set<String>, tokenId: String, wallet: String?) async throws(MagnaError)
    -> [String: ListedAllocation]
  {
    var found: [String: ListedAllocation] = [:]
    guard !wanted.isEmpty else { return found }
    var cursor: String?
    var seenCursors: Set<String> = []
    for _ in 0..<options.maxListPages {
      let page = try await api.listAllocations(
        tokenId: tokenId, walletAddress: wallet, cursor: cursor, limit: options.listPageSize)
      for item in page.items {
        for attribute in item.customAttributes where attribute.key == RowReference.attributeKey {
          if wanted.contains(attribute.value), found[attribute.value] == nil { found[attribute.value] = item }
        }
      }
      if found.count == wanted.count { break }
      guard let next = page.cursor, !next.isEmpty, !page.items.isEmpty, seenCursors.insert(next).inserted
      else {
        break
      }
      cursor = next
    }
    return found
  }
}
