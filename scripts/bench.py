#!/usr/bin/env python3
"""allot's benchmark suite: every performance target of the issues, each as a ratio against its anchor.

    scripts/bench [--only NAME ...] [--rows-scale 1.0] [--data DIR]

Builds allot in release mode (scratch path .build-release), generates the inputs once under DIR
(default bench-data/, git-ignored), then runs each benchmark and prints wall time, CPU time and peak
RSS, with the anchor's time when the anchor is installed (DuckDB and python-calamine from pip, Python's
sqlite3) and the ratio allot / anchor (lower is better; each issue states its target).
"""
import argparse, os, resource, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALLOT = os.path.join(ROOT, ".build-release", "release", "allot")


REPEAT = 1


def settle():
    """Writes back the dirty pages of earlier steps (generated inputs, a database just written, files just
    deleted) so that the kernel's writeback of them does not land inside the next timing. Done before every
    timed run, allot's and the anchor's alike."""
    os.sync()


def median_of_runs(run, before=lambda: None):
    """Runs `run` --repeat times (after `before` and `settle`); returns the median of each field of its
    results (a tuple or a number; None when any run returned None)."""
    results = []
    for _ in range(REPEAT):
        before()
        settle()
        results.append(run())
    if any(r is None for r in results):
        return None
    if not isinstance(results[0], tuple):
        return sorted(results)[len(results) // 2]
    return tuple(sorted(column)[len(column) // 2] for column in zip(*results))


def run_measured(cmd, env=None, cwd=ROOT, stdout=subprocess.DEVNULL):
    """Runs cmd; returns (exit status, wall seconds, cpu seconds, peak RSS MB) of that process."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace") if p.stderr else ""
    if p.returncode not in (0, 1):
        print(f"    ! {' '.join(cmd)} exited {p.returncode}: {err.strip()[:500]}")
    return p.returncode, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def py_time(code, *args):
    """Times a Python snippet in a fresh interpreter; returns wall seconds or None when it fails."""
    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"    ! anchor failed: {r.stderr.strip()[-300:]}")
        return None
    return time.perf_counter() - start


def have(module):
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def report(name, wall, cpu, rss, anchor_name, anchor, target, extra=""):
    line = f"  {name:<34} {wall:7.2f} s  cpu {cpu:6.2f} s  peak {rss:7.1f} MB"
    if anchor:
        line += f"  | {anchor_name} {anchor:6.2f} s  ratio {wall / anchor:5.2f} (target {target})"
    else:
        line += f"  | {anchor_name}: not installed"
    print(line + extra, flush=True)


def ensure(path, gen):
    if not os.path.exists(path):
        print(f"  generating {os.path.relpath(path, ROOT)} …", flush=True)
        gen()


DUCKDB_VALIDATE = open(os.path.join(ROOT, "scripts", "anchors", "duckdb_validate.py")).read()

CALAMINE_READ = r"""
import sys
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
n = 0
for row in wb.get_sheet_by_index(0).to_python():
    n += 1
print(n)
"""

SQLITE_INSERT = r"""
import csv, os, sqlite3, sys
db = sys.argv[2]
if os.path.exists(db): os.remove(db)
con = sqlite3.connect(db)
con.execute('create table rows (id integer primary key, row integer, amount text, contract text, token text, category text, name text, email text, employee text, unlock text, unlock_at text, vesting text, vesting_at text, mode text, received text, cancellable text, wallet text, description text, department text)')
with open(sys.argv[1], newline='') as f:
    r = csv.reader(f)
    next(r)
    con.executemany('insert into rows (row, amount, contract, token, category, name, email, employee, unlock, unlock_at, vesting, vesting_at, mode, received, cancellable, wallet, description, department) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                    ((i + 2, *(row + [''] * 17)[:17]) for i, row in enumerate(r)))
con.commit()
"""

DUCKDB_RECONCILE = r"""
import duckdb, sys
con = duckdb.connect()
con.execute("create table p as select * from read_csv('%s', all_varchar=true, header=true)" % sys.argv[1])
con.execute("create table t as select * from read_csv('%s', all_varchar=true, header=true)" % sys.argv[2])
print(con.execute('''select count(*) from p join t on lower(p.wallet) = lower(t.destinationAddress)
  and p.currency = t.currency and p.network = t.network and cast(p.amount as decimal(38,18)) = cast(t.amount as decimal(38,18))''').fetchone())
"""


def bench_validate_csv(data, scale):
    rows = int(1_000_000 * scale)
    path = os.path.join(data, f"allocations-{rows}.csv")
    ensure(path, lambda: subprocess.run([sys.executable, "scripts/gen_csv.py", path, str(rows)], cwd=ROOT, check=True))
    _, wall, cpu, rss = median_of_runs(lambda: run_measured([ALLOT, "validate", path, "--format", "json"]))
    anchor = median_of_runs(lambda: py_time(DUCKDB_VALIDATE, path)) if have("duckdb") else None
    report(f"validate CSV {rows:,} rows", wall, cpu, rss, "duckdb regex", anchor, "≤ 1.0, < 100 MB")
    return path


def bench_validate_xlsx(data, scale):
    rows = int(100_000 * scale)
    path = os.path.join(data, f"allocations-{rows}.xlsx")
    ensure(path, lambda: subprocess.run([sys.executable, "scripts/gen_xlsx.py", path, str(rows)], cwd=ROOT, check=True))
    _, wall, cpu, rss = median_of_runs(lambda: run_measured([ALLOT, "validate", path, "--format", "json"]))
    anchor = median_of_runs(lambda: py_time(CALAMINE_READ, path)) if have("python_calamine") else None
    report(f"validate XLSX {rows:,} rows", wall, cpu, rss, "calamine read", anchor, "≤ 0.5, < 100 MB")


def bench_import(data, csv_path):
    db = os.path.join(data, "bench.sqlite")
    anchor_db = os.path.join(data, "anchor.sqlite")

    def remove(path):
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)

    _, wall, cpu, rss = median_of_runs(lambda: run_measured([ALLOT, "import", csv_path, "--db", db, "--format", "json"]),
                                       before=lambda: remove(db))
    anchor = median_of_runs(lambda: py_time(SQLITE_INSERT, csv_path, anchor_db), before=lambda: remove(anchor_db))
    report("import CSV", wall, cpu, rss, "python sqlite3", anchor, "≤ 0.5")


def bench_submit(data, scale):
    rows = max(200, int(4000 * scale))
    tmp = tempfile.mkdtemp(prefix="allot-bench-submit-")
    sandbox = subprocess.Popen([ALLOT, "sandbox", "--port", "0", "--latency-ms", "20"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        env = dict(os.environ)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = sandbox.stdout.readline()
            if not line:
                break
            if "=" in line:
                k, v = line.strip().split("=", 1)
                env[k] = v
            if "SANDBOX_READY" in env:
                break
        sheet = os.path.join(tmp, "grants.csv")
        subprocess.run([sys.executable, "scripts/gen_csv.py", sheet, str(rows), "--clean",
                        "--token", env.get("SANDBOX_TOKEN_ID", ""),
                        "--contract", env.get("SANDBOX_CONTRACT_IDS", "").split(",")[0],
                        "--schedule", env.get("SANDBOX_SCHEDULE_IDS", "").split(",")[0]], cwd=ROOT, check=True)
        db = os.path.join(tmp, "submit.sqlite")

        def fresh_import():
            # A new database each time, holding the same sheet's rows, all pending.
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            subprocess.run([ALLOT, "import", sheet, "--db", db], cwd=ROOT, env=env,
                           capture_output=True)

        _, wall, cpu, rss = median_of_runs(
            lambda: run_measured([ALLOT, "submit", "--db", db, "--concurrency", "16"], env=env), before=fresh_import)
        rate = rows / wall
        bound = 16 / 0.020
        print(f"  {'submit ' + str(rows) + ' rows, c=16, 20 ms':<34} {wall:7.2f} s  cpu {cpu:6.2f} s  peak {rss:7.1f} MB"
              f"  | {rate:6.0f} rows/s = {rate / bound:4.0%} of {bound:.0f}/s bound (target ≥ 90 %),"
              f" {cpu / rows * 1000:.3f} ms CPU/row (target ≤ 0.2)", flush=True)
        # The floor under that CPU: AsyncHTTPClient alone sending the same body as often, as many at once,
        # to the same sandbox (no database, no state machine).
        floor = os.path.join(ROOT, ".build-release", "release", "http-floor")
        import sqlite3
        con = sqlite3.connect(db)
        sent = con.execute("select sent_payload from rows where sent_payload is not null limit 1").fetchone()
        con.close()
        if os.path.exists(floor) and sent:
            body = os.path.join(tmp, "body.json")
            with open(body, "wb") as f:
                f.write(sent[0] if isinstance(sent[0], bytes) else sent[0].encode())
            # As AsyncHTTPClient comes (two APIs), then configured as allot's clients are.
            # Last, allot's Magna client alone (its request template, answer reading, deadline): what the
            # engine and the database add to the client is submit minus this.
            for api, configuration in (("future", "default"), ("async", "default"), ("future", "allot"),
                                       ("magna", "allot")):
                r = subprocess.run([floor, env["MAGNA_BASE_URL"] + "/allocations/create", body, "--requests", str(rows),
                                    "--concurrency", "16", "--api", api, "--configuration", configuration],
                                   env=env, capture_output=True, text=True)
                label = "allot's Magna client alone" if api == "magna" else "AsyncHTTPClient alone"
                print(f"    floor, {label}: {(r.stdout or r.stderr).strip()}", flush=True)
    finally:
        sandbox.send_signal(signal.SIGINT)
        try:
            sandbox.wait(10)
        except subprocess.TimeoutExpired:
            sandbox.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def bench_reconcile(data, scale):
    rows = int(1_000_000 * scale)
    folder = os.path.join(data, f"reconcile-{rows}")
    ensure(os.path.join(folder, "transactions.csv"),
           lambda: subprocess.run([sys.executable, "scripts/gen_reconcile.py", "--rows", str(rows), "--out", folder],
                                  cwd=ROOT, check=True))
    out = os.path.join(folder, "reports")
    _, wall, cpu, rss = median_of_runs(lambda: run_measured(
        [ALLOT, "reconcile", "--payouts", os.path.join(folder, "payouts.csv"),
         "--transactions", os.path.join(folder, "transactions.csv"), "--as-of", "2026-03-31", "--out", out]),
        before=lambda: shutil.rmtree(out, ignore_errors=True))
    anchor = median_of_runs(lambda: py_time(DUCKDB_RECONCILE, os.path.join(folder, "payouts.csv"),
                                            os.path.join(folder, "transactions.csv"))) if have("duckdb") else None
    report(f"reconcile {rows:,} × {rows:,}", wall, cpu, rss, "duckdb load+join", anchor, "≤ 1.5, < 1 GiB")


def bench_sha256():
    # The SHA-256 kernels alone (reconcile and import hash every input file; import pairs its payloads).
    exe = os.path.join(tempfile.mkdtemp(prefix="allot-sha256-"), "sha256_speed")
    kernels = os.path.join(ROOT, "Sources", "CAllotKernels")
    built = subprocess.run(["clang", "-O2", "-I", os.path.join(kernels, "include"), os.path.join(ROOT, "scripts", "sha256_speed.c"),
                            os.path.join(kernels, "allot_sha256.c"), "-o", exe], capture_output=True, text=True)
    if built.returncode != 0:
        print(f"  sha256: could not compile the harness: {built.stderr.strip()}", flush=True)
        return
    out = subprocess.run([exe], capture_output=True, text=True).stdout.strip()
    print(f"  {out}", flush=True)
    shutil.rmtree(os.path.dirname(exe), ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*", default=[], help="validate-csv validate-xlsx import submit reconcile sha256")
    ap.add_argument("--rows-scale", type=float, default=1.0, help="scale every input size (0.1 for a quick run)")
    ap.add_argument("--data", default=os.path.join(ROOT, "bench-data"))
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time each command (allot's and the anchor's) this many times and report the medians")
    a = ap.parse_args()
    global REPEAT
    REPEAT = max(1, a.repeat)
    os.makedirs(a.data, exist_ok=True)
    if not a.no_build:
        print("building allot (release) …", flush=True)
        for product in ("allot", "http-floor"):
            subprocess.run(["swift", "build", "-c", "release", "--scratch-path", ".build-release", "--product", product],
                           cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    with open("/proc/cpuinfo") as f:
        model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "unknown CPU")
    print(f"machine: {os.cpu_count()} cores, {model}; python anchors: duckdb={'yes' if have('duckdb') else 'no'}, "
          f"python-calamine={'yes' if have('python_calamine') else 'no'}", flush=True)
    want = lambda n: not a.only or n in a.only
    csv_path = None
    if want("validate-csv") or want("import"):
        csv_path = bench_validate_csv(a.data, a.rows_scale) if want("validate-csv") else None
    if want("validate-xlsx"):
        bench_validate_xlsx(a.data, a.rows_scale)
    if want("import"):
        if csv_path is None:
            rows = int(1_000_000 * a.rows_scale)
            csv_path = os.path.join(a.data, f"allocations-{rows}.csv")
            ensure(csv_path, lambda: subprocess.run([sys.executable, "scripts/gen_csv.py", csv_path, str(rows)], cwd=ROOT, check=True))
        bench_import(a.data, csv_path)
    if want("submit"):
        bench_submit(a.data, a.rows_scale)
    if want("reconcile"):
        bench_reconcile(a.data, a.rows_scale)
    if want("sha256"):
        bench_sha256()


if __name__ == "__main__":
    main()
