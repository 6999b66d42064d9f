#!/usr/bin/env python3
"""Writes samples/payouts.csv and samples/magma-transactions.csv: a small month of payouts and
Magma's record of it, covering every reconciliation category with `--as-of 2026-03-31` (tolerance
0.5 %, window 7 days). Run from the repo root."""
import csv, os

P = [  # reference, stakeholder, wallet, amount, currency, network, due_date
    ("PAY-2026-03-001", "Ada Lovelace", "0x8ba1f109551bD432803012645Ac136ddd64DBA72", "2750.25", "USDC", "ethereum", "2026-03-15"),
    ("PAY-2026-03-002", "Grace Hopper", "0x71C7656EC7ab88b098defB751B7401B5f6d8976F", "1000.00", "USDC", "polygon", "2026-03-15"),
    ("PAY-2026-03-003", "Alan Turing", "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8", "5000.00", "USDT", "tron", "2026-03-10"),
    ("PAY-2026-03-004", "Katherine Johnson", "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF", "1200.00", "USDC", "base", "2026-03-12"),
    ("PAY-2026-03-005", "Edsger Dijkstra", "0x6813Eb9362372EEF6200f3b1dbC3f819671cBA69", "800.00", "USDC", "arbitrum", "2026-03-14"),
    ("PAY-2026-03-006", "Barbara Liskov", "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV", "450.00", "USDC", "solana", "2026-03-28"),
    ("PAY-2026-03-007", "Donald Knuth", "0x1efF47bc3a10a45D4B230B5d10E37751FE6AA718", "300.00", "USDT", "ethereum", "2026-03-05"),
    ("PAY-2026-03-008", "John von Neumann", "0xe1AB8145F7E55DC933d51a18c793F901A3A0b276", "650.00", "USDC", "polygon", "2026-03-01"),
    ("PAY-2026-03-009", "Frances Allen", "0xd41c057fd1c78805AAC12B0A94a405c0461A6FBb", "1500.00", "USDC", "ethereum", "2026-03-20"),
    ("PAY-2026-03-010", "Ken Thompson", "0xF1F6619B38A98d6De0800F1DefC0a6399eB6d30C", "2200.00", "USDC", "polygon", "2026-03-20"),
    ("PAY-2026-03-011", "Linus Torvalds", "0x4E83362442B8d1beC281594CEa3050c8EB01311C", "500.00", "USDC", "ethereum", "2026-03-25"),
    ("PAY-2026-03-012", "Linus Torvalds", "0x4E83362442B8d1beC281594CEa3050c8EB01311C", "500.00", "USDC", "ethereum", "2026-03-25"),
    ("PAY-2026-03-013", "Margaret Hamilton", "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "3000.00", "USDC", "ethereum", "2026-03-18"),
    ("PAY-2026-03-014", "Tim Berners-Lee", "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955", "125.50", "USDC", "base", "2026-03-22"),
    ("PAY-2026-04-001", "Radia Perlman", "0xE57bFE9F44b819898F47BF37E5AF72a0783e1141", "900.00", "USDC", "ethereum", "2026-04-15"),
]
ORG = "org_5f1c2a7e"
def t(i, typ, status, amount, cur, net, dest, memo="", inv="", created="2026-03-15T09:00:00Z", done=True, fee="0.00"):
    completed = created.replace("09:00", "09:04") if status == "completed" and done else ""
    return (f"trx_{i:04d}", typ, status, amount, cur, net, ORG, f"rcp_{i:04d}" if dest else "", dest,
            ("0x" + format(i * 7919, "064x")) if dest and status == "completed" and net != "" else "", fee, memo, inv,
            created, completed or created, completed)
w = {p[0]: p[2] for p in P}
T = [
    t(1, "payout_crypto", "completed", "2750.250000", "USDC", "ethereum", w["PAY-2026-03-001"].lower(), created="2026-03-15T09:00:00Z"),
    t(2, "payout_crypto", "completed", "997.00", "USDC", "polygon", w["PAY-2026-03-002"], created="2026-03-16T10:00:00Z", fee="3.00"),
    t(3, "payout_crypto", "completed", "4000.00", "USDT", "tron", w["PAY-2026-03-003"], memo="March payout PAY-2026-03-003 (part)", created="2026-03-10T08:00:00Z"),
    t(4, "payout_crypto", "completed", "1500.00", "USDC", "base", w["PAY-2026-03-004"], created="2026-03-12T12:00:00Z"),
    t(5, "payout_crypto", "completed", "800.00", "USDC", "arbitrum", w["PAY-2026-03-005"], created="2026-03-14T09:00:00Z"),
    t(6, "payout_crypto", "completed", "800.00", "USDC", "arbitrum", w["PAY-2026-03-005"], created="2026-03-14T09:30:00Z"),
    t(7, "payout_crypto", "processing", "450.00", "USDC", "solana", w["PAY-2026-03-006"], created="2026-03-30T16:00:00Z"),
    t(8, "payout_crypto", "failed", "300.00", "USDT", "ethereum", w["PAY-2026-03-007"], created="2026-03-05T11:00:00Z"),
    t(9, "payout_crypto", "completed", "1500.00", "USDT", "ethereum", w["PAY-2026-03-009"], created="2026-03-20T09:00:00Z"),
    t(10, "payout_crypto", "completed", "2200.00", "USDC", "base", w["PAY-2026-03-010"], created="2026-03-20T09:00:00Z"),
    t(11, "payout_crypto", "completed", "500.00", "USDC", "ethereum", w["PAY-2026-03-011"], created="2026-03-25T09:00:00Z"),
    t(12, "payout_crypto", "completed", "500.00", "USDC", "ethereum", w["PAY-2026-03-011"], created="2026-03-25T09:01:00Z"),
    t(13, "payout_crypto", "completed", "1800.00", "USDC", "ethereum", w["PAY-2026-03-013"], created="2026-03-18T09:00:00Z"),
    t(14, "payout_crypto", "completed", "1200.00", "USDC", "ethereum", w["PAY-2026-03-013"], created="2026-03-19T09:00:00Z"),
    t(15, "payout_fiat", "completed", "125.50", "USDC", "base", w["PAY-2026-03-014"], inv="PAY-2026-03-014", created="2026-03-21T09:00:00Z"),
    t(16, "payout_crypto", "completed", "640.00", "USDC", "polygon", "0x0aBfC8DE1E3bF2b3a01e7c1E4B1d5a6c7d8e9f00", memo="bonus", created="2026-03-27T09:00:00Z"),
    t(17, "fee", "completed", "3.00", "USDC", "polygon", "", memo="network fee trx_0002", created="2026-03-16T10:00:00Z"),
    t(18, "deposit_fiat", "completed", "25000.00", "USD", "", "", memo="March treasury top-up", created="2026-03-02T08:00:00Z"),
]
os.makedirs("samples", exist_ok=True)
with open("samples/payouts.csv", "w", newline="") as f:
    c = csv.writer(f, lineterminator="\n")
    c.writerow(["reference", "stakeholder", "wallet", "amount", "currency", "network", "due_date"])
    c.writerows(P)
with open("samples/magma-transactions.csv", "w", newline="") as f:
    c = csv.writer(f, lineterminator="\n")
    c.writerow(["id", "type", "status", "amount", "currency", "network", "organizationId", "recipientId",
                "destinationAddress", "txHash", "fee", "memo", "invoiceNumber", "createdAt", "updatedAt", "completedAt"])
    c.writerows(T)
