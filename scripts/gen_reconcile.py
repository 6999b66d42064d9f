#!/usr/bin/env python3
"""Generates a reconciliation benchmark: N expected payouts and N Magma transactions
(90 % pay an expected payout exactly, 5 % are fees, 5 % are stray payouts to unknown wallets).

    python3 scripts/gen_reconcile.py --rows 1000000 --out /tmp/bench
    swift build -c release --product allot
    /usr/bin/time -v .build/release/allot reconcile --payouts /tmp/bench/payouts.csv \
        --transactions /tmp/bench/transactions.csv --as-of 2026-03-31 --out /tmp/bench/reports
"""
import argparse, os, random

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=1_000_000)
ap.add_argument("--out", default="/tmp/allot-bench")
ap.add_argument("--seed", type=int, default=42)
a = ap.parse_args()
rng = random.Random(a.seed)
os.makedirs(a.out, exist_ok=True)
NETS = [("USDC", "ethereum"), ("USDC", "polygon"), ("USDT", "tron"), ("USDC", "base"), ("USDT", "ethereum")]
HEX = "0123456789abcdef"

def wallet():
    return "0x" + "".join(rng.choice(HEX) for _ in range(40))

n = a.rows
with open(os.path.join(a.out, "payouts.csv"), "w") as p, open(os.path.join(a.out, "transactions.csv"), "w") as t:
    p.write("reference,stakeholder,wallet,amount,currency,network,due_date\n")
    t.write("id,type,status,amount,currency,network,organizationId,recipientId,destinationAddress,txHash,fee,memo,"
            "invoiceNumber,createdAt,updatedAt,completedAt\n")
    for i in range(n):
        w = wallet()
        cur, net = NETS[i % len(NETS)]
        amount = f"{rng.randint(1, 5_000_000) / 100:.2f}"
        day = 1 + i % 28
        p.write(f"PAY-{i:07d},Stakeholder {i % 50000},{w},{amount},{cur},{net},2026-03-{day:02d}\n")
        r = i % 20
        created = f"2026-03-{day:02d}T{i % 24:02d}:{i % 60:02d}:00Z"
        if r < 18:  # 90 %: pays the expected payout exactly (a third name it in the memo)
            memo = f"Payout PAY-{i:07d}" if i % 3 == 0 else ""
            t.write(f"tx_{i:08d},payout_crypto,completed,{amount},{cur},{net},org_1,rcp_{i},{w},,0.10,{memo},,"
                    f"{created},{created},{created}\n")
        elif r == 18:  # 5 %: fees
            t.write(f"tx_{i:08d},fee,completed,1.50,{cur},{net},org_1,,,,,network fee,,{created},{created},{created}\n")
        else:  # 5 %: stray payouts to unknown wallets
            t.write(f"tx_{i:08d},payout_crypto,completed,{amount},{cur},{net},org_1,rcp_{i},{wallet()},,0.10,,,"
                    f"{created},{created},{created}\n")
print(f"wrote {n} payouts and {n} transactions to {a.out}")
