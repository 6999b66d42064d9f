#!/usr/bin/env python3
"""Generate a large allocation workbook for reader benchmarks.

Usage: scripts/gen_xlsx.py OUT.xlsx [ROWS]   (default 100000 rows x 17 columns, shared strings)

Every cell is a shared string (as allocation sheets exported from finance tools are), so the file
exercises the shared-strings table and the worksheet stream. Deterministic (seeded).
"""
import random
import sys
import uuid
import zipfile

HEADERS = [
    "name", "stakeholder.email", "walletAddress", "amount", "contractId", "tokenId", "category",
    "unlockScheduleId", "vestingScheduleId", "releaseMode", "cancellable", "employeeNumber",
    "attr:telegram", "unlockStartDate", "receivedOffMagna", "note", "attr:country",
]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def main():
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    rnd = random.Random(42)
    strings, index = [], {}

    def sid(s):
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]

    contract = str(uuid.UUID(int=rnd.getrandbits(128)))
    token = str(uuid.UUID(int=rnd.getrandbits(128)))
    schedules = [str(uuid.UUID(int=rnd.getrandbits(128))) for _ in range(8)]
    cats = ["Team", "Advisors", "Seed", "Series A", "Foundation", "Community"]
    countries = ["DE", "US", "FR", "SG", "CH", "GB", "JP"]

    def sheet_chunks():
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><dimension ref="A1:Q{rows + 1}"/><sheetData>'
        yield '<row r="1">' + "".join(f'<c r="{col(i)}1" t="s"><v>{sid(h)}</v></c>' for i, h in enumerate(HEADERS)) + "</row>"
        buf = []
        for r in range(2, rows + 2):
            n = r - 1
            vals = [
                f"Stakeholder {n}", f"person{n}@example.com", "0x" + "%040x" % rnd.getrandbits(160),
                f"{rnd.randint(1, 5_000_000)}.{rnd.randint(0, 99):02d}", contract, token, rnd.choice(cats),
                rnd.choice(schedules), rnd.choice(schedules), rnd.choice(["LINEAR", "CLIFF"]),
                rnd.choice(["true", "false"]), f"{n:06d}", f"@user{n}", f"2026-{rnd.randint(1, 12):02d}-01",
                rnd.choice(["", "", "", "100.5"]), rnd.choice(["", "top up", "bonus", "relocation"]), rnd.choice(countries),
            ]
            buf.append(f'<row r="{r}">' + "".join(
                f'<c r="{col(i)}{r}" t="s"><v>{sid(v)}</v></c>' for i, v in enumerate(vals)) + "</row>")
            if len(buf) == 1000:
                yield "".join(buf)
                buf = []
        yield "".join(buf) + "</sheetData></worksheet>"

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Allocations" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for chunk in sheet_chunks():
                f.write(chunk.encode())
        from xml.sax.saxutils import escape
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'.encode())
            for i in range(0, len(strings), 5000):
                f.write("".join(f"<si><t>{escape(s)}</t></si>" for s in strings[i:i + 5000]).encode())
            f.write(b"</sst>")


if __name__ == "__main__":
    main()
