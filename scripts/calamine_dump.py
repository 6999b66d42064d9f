#!/usr/bin/env python3
"""Dump every visible worksheet of an .xlsx with python-calamine, as JSON, for the differential test.

Usage: scripts/calamine_dump.py FILE

Prints {"sheets": [{"name": ..., "rows": [{"row": N, "cells": [[type, text], ...]}]}]} where N is the
1-based row number, cells start at column A, and type is one of: "" (empty), "s" (text), "f" (float,
text = repr), "i" (int), "b" (bool, TRUE/FALSE), "date", "datetime", "time", "timedelta" (ISO text).
Rows without any value are left out. Exit 2 with the error on stderr when calamine cannot read the file.
"""
import datetime
import json
import sys

import python_calamine as pc


def cell(v):
    if v is None or v == "":
        return ["", ""]
    if isinstance(v, bool):
        return ["b", "TRUE" if v else "FALSE"]
    if isinstance(v, int):
        return ["i", str(v)]
    if isinstance(v, float):
        return ["f", repr(v)]
    if isinstance(v, datetime.datetime):
        return ["datetime", v.isoformat()]
    if isinstance(v, datetime.date):
        return ["date", v.isoformat()]
    if isinstance(v, datetime.time):
        return ["time", v.isoformat()]
    if isinstance(v, datetime.timedelta):
        return ["timedelta", str(v)]
    return ["s", str(v)]


def main():
    try:
        wb = pc.CalamineWorkbook.from_path(sys.argv[1])
        out = []
        for meta in wb.sheets_metadata:
            if str(meta.visible) != "SheetVisibleEnum.Visible" or str(meta.typ) != "SheetTypeEnum.WorkSheet":
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            rows = []
            for i, values in enumerate(sheet.to_python(skip_empty_area=False)):
                cells = [cell(v) for v in values]
                while cells and cells[-1][0] == "":
                    cells.pop()
                if cells:
                    rows.append({"row": i + 1, "cells": cells})
            out.append({"name": meta.name, "rows": rows})
    except Exception as e:  # noqa: BLE001 - reported to the caller
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(2)
    json.dump({"sheets": out}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
