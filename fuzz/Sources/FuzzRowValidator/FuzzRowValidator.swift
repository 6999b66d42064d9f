import AllotCore
import FuzzSupport

/// The header of `samples/stakeholders.csv`: every standard field plus a custom attribute.
let header = [
  "Stakeholder Name", "Stakeholder Email", "X Handle", "Employee Number", "Wallet Address", "Amount",
  "Category", "Contract ID", "Token ID", "Unlock Schedule ID", "Unlock Start", "Vesting Schedule ID",
  "Release Mode", "Cancellable", "Received Off Magna", "Description", "attr:department", "Vesting Start",
]

let validators: [AllocationValidator] = {
  let plain = ValidationOptions()
  let withDefaults = ValidationOptions(
    contractId: "f4d2525e-0392-4f4a-b5b7-540943339dfc", tokenId: "c506e90f-4839-438b-89e1-761aa227dd7e",
    category: "Team", releaseMode: "LINEAR", maxDecimals: 6, dateSystem: .excel1904)
  return [plain, withDefaults].map { options in
    let headerRow = SheetRow(rowNumber: 1, cells: header.map { Cell.text($0) })
    return AllocationValidator(
      mapping: ColumnMapping.resolve(header: headerRow, options: options), options: options)
  }
}()

/// A cell from one comma-separated piece. A leading control byte picks the cell kind, so the
/// validator sees numbers, dates, booleans and errors as readers produce them.
func cell(_ piece: ArraySlice<UInt8>) -> Cell {
  guard let first = piece.first, first < 6 else {
    return Cell.text(String(decoding: piece, as: UTF8.self))
  }
  let text = String(decoding: piece.dropFirst(), as: UTF8.self)
  switch first {
  case 1: return Cell.number(text, raw: text + "0000000001")
  case 2: return Cell(kind: .date, text: text, raw: "45000")
  case 3: return Cell(kind: .boolean, text: text)
  case 4: return Cell(kind: .error, text: text)
  case 5: return Cell.number(text)
  default: return Cell.empty
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let cells = bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map(cell)
  let row = SheetRow(rowNumber: 2, cells: cells)
  // The byte path (CSV rows checked without building Strings) is compared with the cell path when
  // every cell is plain UTF-8 text, as a CSV file's cells are.
  let pieces = bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
  let plainText = pieces.allSatisfy { piece in
    (piece.first.map { $0 >= 6 } ?? true) && String(decoding: piece, as: UTF8.self).utf8.elementsEqual(piece)
  }
  for validator in validators {
    let result = validator.validate(row: row)
    if result.allocation != nil && result.issues.contains(where: { $0.severity == .error }) {
      fatalError("a row with an error issue produced an allocation")
    }
    guard plainText else { continue }
    let (fast, prepared) = bytes.withUnsafeBufferPointer {
      all -> (RowValidation?, (RowValidation, ByteBody)?) in
      var buffers: [UnsafeBufferPointer<UInt8>] = []
      for piece in pieces {
        buffers.append(UnsafeBufferPointer(rebasing: all[piece.startIndex..<piece.endIndex]))
      }
      return buffers.withUnsafeBufferPointer {
        (
          validator.validateWithoutRequest(ByteRow(rowNumber: 2, cells: $0)),
          validator.prepareWithoutRequest(ByteRow(rowNumber: 2, cells: $0))
        )
      }
    }
    if let fast {
      guard result.issues.isEmpty, result.allocation != nil, fast.isValid, fast.issues.isEmpty else {
        fatalError("the byte path found valid a row the cell path does not: \(result.issues.map(\.code))")
      }
      guard fast.duplicateKey == result.duplicateKey else {
        fatalError("the byte path and the cell path give different duplicate keys")
      }
    }
    // `allot import` writes the body from the bytes: exactly the request's body, for the same rows.
    guard (fast == nil) == (prepared == nil) else {
      fatalError("the byte checks and the body writer disagree on whether the row is valid")
    }
    if let (valid, body) = prepared, let request = result.allocation {
      guard valid.isValid, valid.issues.isEmpty, valid.duplicateKey == result.duplicateKey,
        body.bytes == request.jsonBody()
      else {
        fatalError("the body written from the bytes differs from the request's")
      }
      guard Array(body.bytes[body.tokenId]) == Array(request.tokenId.utf8),
        body.walletAddress.map({ Array(body.bytes[$0]) }) == request.walletAddress.map({ Array($0.utf8) })
      else {
        fatalError("the token or wallet range of the written body is wrong")
      }
    }
  }
  return 0
}

/// Entry point (see `runFuzzer`).
@_cdecl("FuzzRowValidator_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
