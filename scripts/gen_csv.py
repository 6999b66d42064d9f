#!/usr/bin/env python3
"""Writes a large allocation CSV for benchmarks: `scripts/gen_csv.py OUT [ROWS]` (default 1,000,000 rows).

17 columns as finance sheets have them (amount, ids, category, stakeholder, schedules, dates, wallet, ...).
About 300 bytes per row, so 1M rows is ~300 MB. Deterministic (fixed seed); a few percent of the rows
carry typical mistakes so validation has work to do.
"""
import random
import sys
import uuid

HEADER = [
    "amount", "contractId", "tokenId", "category", "stakeholder.name", "stakeholder.email",
    "stakeholder.employeeNumber", "unlockScheduleId", "unlockStartAt", "vestingScheduleId",
    "vestingStartAt", "releaseMode", "receivedOffMagna", "cancellable", "walletAddress",
    "description", "attr:department",
]
FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Linus"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman"]
CATEGORIES = ["Team", "Advisors", "Seed investors", "Series A", "Community", "Treasury"]
DEPARTMENTS = ["Engineering", "Finance", "Legal", "Marketing", "Operations"]


def main() -> None:
    # Usage: gen_csv.py OUT [ROWS] [--clean] [--token ID] [--contract ID] [--schedule ID]
    # --clean writes no mistakes; the ids target a real project (e.g. the sandbox's seeded one).
    args = sys.argv[1:]
    flags = {}
    positional = []
    i = 0
    while i < len(args):
        if args[i] == "--clean":
            flags["clean"] = True
        elif args[i] in ("--token", "--contract", "--schedule") and i + 1 < len(args):
            flags[args[i][2:]] = args[i + 1]
            i += 1
        else:
            positional.append(args[i])
        i += 1
    out = positional[0] if positional else "allocations-1m.csv"
    rows = int(positional[1]) if len(positional) > 1 else 1_000_000
    rng = random.Random(42)
    contract = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    token = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    schedules = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(8)]
    contract = flags.get("contract") or contract
    token = flags.get("token") or token
    if flags.get("schedule"):
        schedules = [flags["schedule"]]
    with open(out, "w", newline="", encoding="utf-8") as f:
        f.write(",".join(HEADER) + "\r\n")
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            amount = f"{rng.randrange(1, 10_000_000)}.{rng.randrange(0, 10**6):06d}"
            email = f"{first.lower()}.{last.lower()}{i}@example.com"
            wallet = "0x%040x" % rng.getrandbits(160)
            mistake = 1.0 if flags.get("clean") else rng.random()
            if mistake < 0.01:
                amount = "1,234.50"
            elif mistake < 0.02:
                email = email.replace("@", " at ")
            name = f"{first} {last}"
            if i % 97 == 0:
                name = f'"{last}, {first}"'
            fields = [
                amount, contract, token, rng.choice(CATEGORIES), name, email, f"{i:07d}",
                rng.choice(schedules), f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                rng.choice(schedules), "2026-01-01", rng.choice(["LINEAR", "CLIFF"]),
                "", rng.choice(["true", "false"]), wallet, f"Grant {i}", rng.choice(DEPARTMENTS),
            ]
            f.write(",".join(fields) + "\r\n")


if __name__ == "__main__":
    main()
