import AllotCore

/// Finds record boundaries in CSV bytes without building cells, following the same quoting rules as
/// `CSVRecordScanner`, so that a file can be cut into chunks of whole records.
struct CSVBoundaryScanner: Sendable {
  let delimiter: UInt8

  struct Result {
    /// Offset just past the last complete record.
    var end: Int
    /// Number of records (rows, blank ones included) in `0..<end`.
    var records: Int
    /// When the bytes end inside a quoted value: the number of complete records before the record
    /// where that value starts.
    var openQuoteRecords: Int?
  }

  /// Scans `buf`, which must start at the beginning of a record. A CR at the very end is left for the
  /// next chunk (a LF may follow it).
  func scan(_ buf: UnsafeRawBufferPointer) -> Result {
    let n = buf.count
    guard let p = buf.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
      return Result(end: 0, records: 0, openQuoteRecords: nil)
    }
    var i = 0
    var end = 0
    var records = 0
    var inQuotes = false
    var quoteRecords = 0
    // Quotes and line breaks of 64 bytes at a time (`ByteScan.lineMasks`); the next one is the lowest
    // bit at or above the position.
    var blockAt = -64
    var masks = ByteScan.CSVMasks(ends: 0, quotes: 0)
    while i < n {
      // Next quote, or (outside quotes) next CR or LF.
      var j = i
      while j < n {
        if j >= blockAt + 64 {
          masks = ByteScan.lineMasks(p, at: j, count: n)
          blockAt = j
        }
        let m = (inQuotes ? masks.quotes : masks.quotes | masks.ends) >> UInt64(j - blockAt)
        if m != 0 {
          j += m.trailingZeroBitCount
          break
        }
        j = blockAt + 64
      }
      if j >= n { break }
      let b = p[j]
      if inQuotes {
        // b is a quote: doubled means an escaped quote.
        if j + 1 < n && p[j + 1] == 34 {
          i = j + 2
        } else {
          inQuotes = false
          i = j + 1
        }
        continue
      }
      if b == 34 {
        // A quote opens a quoted value only at the start of a field.
        if j == 0 || p[j - 1] == delimiter || p[j - 1] == 10 || p[j - 1] == 13 {
          inQuotes = true
          quoteRecords = records
        }
        i = j + 1
        continue
      }
      if b == 10 {
        records += 1
        i = j + 1
        end = i
        continue
      }
      // CR: a LF may follow, possibly in the next chunk.
      if j + 1 == n { break }
      records += 1
      i = j + (p[j + 1] == 10 ? 2 : 1)
      end = i
    }
    return Result(end: end, records: records, openQuoteRecords: inQuotes ? quoteRecords : nil)
  }
}
