#!/usr/bin/env python3
"""Writes the sample sheets in samples/ (run from the repo root; needs openpyxl).

The ids are the sandbox's seeded project (`allot sandbox` with the default seed: its token, first
contract and first two schedules), so the demo can
submit the samples to it. Pass --token/--contract/--schedule to target another project.
"""
import argparse, csv, hashlib, random, os
from openpyxl import Workbook
from openpyxl.styles import Font

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

def b58(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    s = ""
    while n:
        n, r = divmod(n, 58)
        s = B58[r] + s
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + s

def tron(rng):
    body = b"\x41" + bytes(rng.getrandbits(8) for _ in range(20))
    chk = hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4]
    return b58(body + chk)

def solana(rng):
    return b58(bytes(rng.getrandbits(8) for _ in range(32)))

def evm(rng):
    return "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(40))

FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Ken",
         "Radia", "Leslie", "Shafi", "Tim", "Hedy", "Claude", "Katherine", "Dennis", "Sophie", "Linus"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "McCarthy", "Hamilton",
        "Thompson", "Perlman", "Lamport", "Goldwasser", "Berners-Lee", "Lamarr", "Shannon", "Johnson",
        "Ritchie", "Wilson", "Torvalds"]
CATEGORIES = ["Team", "Advisors", "Seed investors", "Ecosystem", "Community"]

HEADERS = ["Stakeholder Name", "Stakeholder Email", "X Handle", "Employee Number", "Wallet Address",
           "Amount", "Category", "Contract ID", "Token ID", "Unlock Schedule ID", "Unlock Start",
           "Vesting Schedule ID", "Release Mode", "Cancellable", "Received Off Magna", "Description",
           "attr:department"]

def rows(args, rng, with_mistakes):
    out = []
    for i in range(50):
        first, last = FIRST[i % 20], LAST[(i * 7) % 20]
        name = f"{first} {last}"
        email = f"{first.lower()}.{last.lower().replace('-', '')}@example.org"
        cat = CATEGORIES[i % len(CATEGORIES)]
        wallet = [evm, solana, tron][i % 3](rng)
        amount = str(rng.choice([1000, 2500, 5000, 12500, 25000, 100000])) + rng.choice(["", ".5", ".25", ".125"])
        sched = args.schedule[i % len(args.schedule)]
        start = f"2027-{(i % 12) + 1:02d}-01"
        emp = f"{(i + 7):05d}" if cat == "Team" else ""
        handle = f"@{first.lower()}{i}" if i % 4 == 0 else ""
        out.append([name, email, handle, emp, wallet, amount, cat, args.contract, args.token, sched, start,
                    "", "LINEAR" if i % 2 else "CLIFF", "yes" if i % 5 else "no", "", f"Grant {i + 1}",
                    ["Engineering", "Finance", "Legal", "Growth"][i % 4]])
    if with_mistakes:
        out[3][5] = "-250"                                   # negative amount
        out[7][5] = "1,000.50"                               # thousands separator
        out[11][1] = "grace.hopper@example"                  # email without a domain dot
        out[15][4] = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"  # broken EIP-55 checksum (last letter)
        out[19][9] = ""                                      # no schedule at all
        out[23][10] = "03/04/2027"                           # ambiguous date
        out[27][7] = "{" + args.contract + "}"               # braces around a UUID
        out[31] = list(out[30])                              # duplicate of the previous row
        out[35][5] = "$5000"                                 # currency sign
        out[39][4] = "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU8"   # Tron address with a bad checksum
    return out

def write_xlsx(path, rows, sheet_title):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    ws.append(["Token grants, Q1 2027 (prepared by Finance)"])
    ws.append([])
    ws.append(HEADERS)
    for c in ws[3]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    # Keep ids, amounts and employee numbers as text, as finance sheets should.
    for row in ws.iter_rows(min_row=4):
        for c in row:
            c.number_format = "@"
    for col, width in zip("ABCDEFGHIJKLMNOPQ", [22, 34, 12, 10, 46, 12, 16, 38, 38, 38, 12, 20, 10, 10, 10, 14, 14]):
        ws.column_dimensions[col].width = width
    wb.save(path)

def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADERS)
        w.writerows(rows)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--token", default="c506e90f-4839-438b-89e1-761aa227dd7e")
    p.add_argument("--contract", default="f4d2525e-0392-4f4a-b5b7-540943339dfc")
    p.add_argument("--schedule", nargs="+", default=["cf91b257-e45e-4fc4-af25-34bc03f83e8c",
                                                      "f62cd2c6-ac70-4141-9129-aea3b77abc67"])
    p.add_argument("--out", default="samples")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    bad = rows(args, random.Random(2027), True)
    good = rows(args, random.Random(2027), False)
    write_xlsx(os.path.join(args.out, "stakeholders.xlsx"), bad, "Grants")
    write_csv(os.path.join(args.out, "stakeholders.csv"), bad)
    write_xlsx(os.path.join(args.out, "stakeholders-fixed.xlsx"), good, "Grants")

if __name__ == "__main__":
    main()
