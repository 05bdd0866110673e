#!/usr/bin/env python3
"""Seeds a migrated Baohao database for the retention benchmark, set-based and outside Baohao, with
what `baohao lines import` would have written: plan CN5 on policy cn-keep5, N lines added on
2026-10-15 10:00 (Asia/Shanghai) with their retention state (first fee due 2026-11-01, review due
now) and opening-balance transfers, so `baohao verify` holds before and after the runs.

  seed_retention.py sqlite PATH LINES
  seed_retention.py postgres URL LINES

Line i is `line_<i>`, +86139<i:08d>; opening balance by i % 10: 0–6 ¥20.00 (four fees),
7–8 ¥5.00 (one fee), 9 ¥0.00 (arrears from the first fee)."""
import datetime
import subprocess
import sys

CREATED_MS = int(datetime.datetime(2026, 10, 15, 2, 0, tzinfo=datetime.timezone.utc).timestamp() * 1000)
FIRST_FEE_DAY = (datetime.date(2026, 11, 1) - datetime.date(1970, 1, 1)).days
BALANCE = "CASE WHEN i % 10 < 7 THEN 2000 WHEN i % 10 < 9 THEN 500 ELSE 0 END"


def statements(series, pad):
    """The seed as SQL; `series` yields column i = 1..N, `pad(expr)` zero-pads to 8 digits."""
    return [
        f"INSERT INTO plans (code, name, monthly_fee, currency, created_at, policy_code) "
        f"VALUES ('CN5', '保号套餐 5元/月', 500, 'CNY', {CREATED_MS}, 'cn-keep5')",
        f"""INSERT INTO lines (id, msisdn, operator, plan_code, holder_name, status, balance, currency, created_at, updated_at,
              policy_code, stage_since, arrears_since, last_activity_at, valid_until, next_charge_at, review_at, quarantine_until)
            SELECT 'line_' || i, '+86139' || {pad('i')}, 'china_mobile', 'CN5', 'bench', 'active', {BALANCE}, 'CNY',
              {CREATED_MS}, {CREATED_MS}, 'cn-keep5', {CREATED_MS}, NULL, {CREATED_MS}, NULL, {FIRST_FEE_DAY}, {CREATED_MS}, NULL
            FROM {series}""",
        f"""INSERT INTO ledger_transfers (id, kind, order_id, created_at)
            SELECT 'tr_open_' || i, 'opening_balance', NULL, {CREATED_MS} FROM {series} WHERE i % 10 < 9""",
        f"""INSERT INTO ledger_postings (transfer_id, seq, account, amount, currency, created_at)
            SELECT 'tr_open_' || i, 0, 'equity:opening_balances', -({BALANCE}), 'CNY', {CREATED_MS} FROM {series} WHERE i % 10 < 9""",
        f"""INSERT INTO ledger_postings (transfer_id, seq, account, amount, currency, created_at)
            SELECT 'tr_open_' || i, 1, 'line:line_' || i, {BALANCE}, 'CNY', {CREATED_MS} FROM {series} WHERE i % 10 < 9""",
    ]


def sqlite(path, lines):
    import sqlite3
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    series = f"(WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {lines}) SELECT i FROM g)"
    with db:
        for sql in statements(series, lambda e: f"printf('%08d', {e})"):
            db.execute(sql)
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def postgres(url, lines):
    series = f"generate_series(1, {lines}) AS g(i)"
    sql = ";\n".join(["BEGIN"] + statements(series, lambda e: f"lpad({e}::text, 8, '0')") + ["COMMIT", "VACUUM ANALYZE", "CHECKPOINT"])
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q"], input=sql + ";\n", text=True, check=True)


if __name__ == "__main__":
    kind, target, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    (sqlite if kind == "sqlite" else postgres)(target, count)
