/// The fixed and generated XML parts of a workbook written by `XLSXWriter`.
enum XLSXParts {
  static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
  static let relNS = "http://schemas.openxmlformats.org/package/2006/relationships"
  static let docRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
  static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

  static func contentTypes(sheets: Int, commented: [Int]) -> String {
    var s =
      header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
      + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
      + #"<Default Extension="xml" ContentType="application/xml"/>"#
      + #"<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>"#
      + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
      + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
      + #"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#
    for n in 1...max(1, sheets) {
      s +=
        #"<Override PartName="/xl/worksheets/sheet\#(n).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
    }
    for n in commented {
      s +=
        #"<Override PartName="/xl/comments\#(n).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>"#
    }
    return s + "</Types>"
  }

  static let rootRels =
    header + #"<Relationships xmlns="\#(relNS)">"#
    + #"<Relationship Id="rId1" Type="\#(docRel)/officeDocument" Target="xl/workbook.xml"/>"#
    + #"<Relationship Id="rId2" Type="\#(docRel)/extended-properties" Target="docProps/app.xml"/>"#
    + "</Relationships>"

  static let app =
    header
    + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">"#
    + "<Application>allot</Application></Properties>"

  static func workbook(names: [String]) -> String {
    var s =
      header + #"<workbook xmlns="\#(mainNS)" xmlns:r="\#(docRel)">"#
      + #"<bookViews><workbookView activeTab="0"/></bookViews><sheets>"#
    for (i, name) in names.enumerated() {
      s += #"<sheet name="\#(XMLEscape.escape(name))" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"#
    }
    return s + "</sheets></workbook>"
  }

  static func workbookRels(sheets: Int) -> String {
    var s = header + #"<Relationships xmlns="\#(relNS)">"#
    for n in 1...max(1, sheets) {
      s += #"<Relationship Id="rId\#(n)" Type="\#(docRel)/worksheet" Target="worksheets/sheet\#(n).xml"/>"#
    }
    s += #"<Relationship Id="rId\#(sheets + 1)" Type="\#(docRel)/styles" Target="styles.xml"/>"#
    return s + "</Relationships>"
  }

  /// Styles: 0 plain, 1 bold, 2 error (light red fill, dark red font), 3 bold error, 4 wrapped text.
  static let styles =
    header + #"<styleSheet xmlns="\#(mainNS)">"#
    + #"<fonts count="4">"#
    + #"<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
    + #"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
    + #"<font><sz val="11"/><color rgb="FF9C0006"/><name val="Calibri"/><family val="2"/></font>"#
    + #"<font><b/><sz val="11"/><color rgb="FF9C0006"/><name val="Calibri"/><family val="2"/></font>"#
    + "</fonts>"
    + #"<fills count="3"><fill><patternFill patternType="none"/></fill>"#
    + #"<fill><patternFill patternType="gray125"/></fill>"#
    + #"<fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor indexed="64"/></patternFill></fill>"#
    + "</fills>"
    + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
    + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
    + #"<cellXfs count="5">"#
    + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
    + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
    + #"<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>"#
    + #"<xf numFmtId="0" fontId="3" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>"#
    + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>"#
    + "</cellXfs>"
    + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
    + "</styleSheet>"

  static func sheetRels(_ n: Int) -> String {
    header + #"<Relationships xmlns="\#(relNS)">"#
      + #"<Relationship Id="rId1" Type="\#(docRel)/comments" Target="../comments\#(n).xml"/>"#
      + #"<Relationship Id="rId2" Type="\#(docRel)/vmlDrawing" Target="../drawings/vmlDrawing\#(n).vml"/>"#
      + "</Relationships>"
  }

  static func comments(_ items: [(ref: String, text: String)]) -> String {
    var out: [UInt8] = []
    out.append(
      contentsOf: (header
        + #"<comments xmlns="\#(mainNS)"><authors><author>allot</author></authors><commentList>"#).utf8)
    for item in items {
      out.append(
        contentsOf: #"<comment ref="\#(item.ref)" authorId="0"><text><r><t xml:space="preserve">"#.utf8)
      XMLEscape.append(item.text, to: &out)
      out.append(contentsOf: "</t></r></text></comment>".utf8)
    }
    out.append(contentsOf: "</commentList></comments>".utf8)
    return String(decoding: out, as: UTF8.self)
  }

  /// The legacy VML drawing that makes Excel show the comments (one hidden note shape per comment).
  /// Shape ids are `block * 1024 + k`; a sheet with more than 1023 notes uses several blocks from
  /// `firstBlock` on, all listed in the `idmap`. Returns the drawing and the next free block.
  static func vml(firstBlock: Int, cells: [(row: Int, column: Int)]) -> (String, Int) {
    let blocks = cells.count / 1023 + 1
    let idmap = (firstBlock..<(firstBlock + blocks)).map(String.init).joined(separator: ",")
    var s =
      #"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" "#
      + #"xmlns:x="urn:schemas-microsoft-com:office:excel">"#
      + #"<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="\#(idmap)"/></o:shapelayout>"#
      + #"<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">"#
      + #"<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>"#
    for (k, cell) in cells.enumerated() {
      let id = (firstBlock + k / 1023) * 1024 + k % 1023 + 1
      s +=
        ##"<v:shape id="_x0000_s\##(id)" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;"##
        + #"margin-top:1.5pt;width:180pt;height:60pt;z-index:\#(k + 1);visibility:hidden" "#
        + ##"fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>"##
        + #"<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>"#
        + #"<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>"#
        + #"<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>"#
        + #"<x:Anchor>\#(cell.column + 1), 15, \#(cell.row), 2, \#(cell.column + 4), 15, \#(cell.row + 4), 16</x:Anchor>"#
        + #"<x:AutoFill>False</x:AutoFill><x:Row>\#(cell.row)</x:Row><x:Column>\#(cell.column)</x:Column>"#
        + "</x:ClientData></v:shape>"
    }
    return (s + "</xml>", firstBlock + blocks)
  }
}
