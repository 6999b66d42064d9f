import AllotCore
import Foundation
import GRDB

/// A created allocation of a batch, as reconciliation expects it to be paid.
public struct SucceededAllocation: Sendable, Hashable {
  public var batch: Int64
  public var row: Int
  /// The row's reference (`allot_ref`), also carried by the allocation in Magna.
  public var reference: String?
  public var allocationId: String?
  public var allocationKey: String?
  /// The request body as sent.
  public var request: AllocationRequest
}

extension AllotDatabase {
  /// The `succeeded` rows of a batch in row order, with the request each one sent (for `reconcile
  /// --batch`). Rows whose stored payload cannot be decoded are reported by row number.
  public func succeededAllocations(batch: Int64) throws(StoreError) -> (
    allocations: [SucceededAllocation], unreadableRows: [Int]
  ) {
    try read("Cannot read the batch's created allocations") { db in
      let sql = """
        SELECT source_row, reference, allocation_id, allocation_key, COALESCE(sent_payload, payload) AS body
        FROM rows WHERE batch_id = ? AND state = 'succeeded' ORDER BY source_row
        """
      let decoder = JSONDecoder()
      var out: [SucceededAllocation] = []
      var unreadable: [Int] = []
      for r in try Row.fetchAll(db, sql: sql, arguments: [batch]) {
        let row: Int = r["source_row"]
        guard let body: Data = r["body"],
          let request = try? decoder.decode(AllocationRequest.self, from: body)
        else {
          unreadable.append(row)
          continue
        }
        out.append(
          SucceededAllocation(
            batch: batch, row: row, reference: r["reference"], allocationId: r["allocation_id"],
            allocationKey: r["allocation_key"], request: request))
      }
      return (out, unreadable)
    }
  }
}
