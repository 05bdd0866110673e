#!/usr/bin/env python3
"""Seeds a migrated Baohao database for the benchmark: the KEEP5 plan, N lines (default 1,000,000)
and M unpaid online orders (sandbox), set-based, outside Baohao (like the anchor's schema.sql).

  seed.py sqlite PATH LINES ORDERS
  seed.py postgres URL LINES ORDERS

Order i is `rc_bench_<i>` for line 1 + (i*7919 mod LINES), total DENOMINATIONS[i % 8]."""
import subprocess
import sys
import time

DENOMINATIONS = [1000, 2000, 3000, 5000, 10000, 20000, 30000, 50000]


def sqlite(path, lines, orders):
    import sqlite3
    now = int(time.time() * 1000)
    far = now + 30 * 24 * 3600 * 1000
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    with db:
        db.execute("INSERT INTO plans (code, name, monthly_fee, currency, created_at) VALUES ('KEEP5', '保号套餐 5元/月', 500, 'CNY', ?)", (now,))
        db.execute(f"""WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {lines})
            INSERT INTO lines (id, msisdn, operator, plan_code, holder_name, status, balance, currency, created_at, updated_at)
            SELECT 'line_' || i, '+2547' || printf('%08d', i), 'unknown', 'KEEP5', 'bench', 'active', 0, 'CNY', {now}, {now} FROM g""")
        db.execute(f"""WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < {orders - 1})
            INSERT INTO recharge_orders (id, line_id, msisdn, channel, payment_method, amount, fee, total, currency, status,
              created_at, expires_at, late_payment, updated_at)
            SELECT 'rc_bench_' || i, 'line_' || (1 + (i * 7919) % {lines}), '+2547' || printf('%08d', 1 + (i * 7919) % {lines}),
              'online', 'sandbox', a, 0, a, 'CNY', 'pending_payment', {now}, {far}, 0, {now}
            FROM (SELECT i, CASE i % 8 {' '.join(f'WHEN {k} THEN {v}' for k, v in enumerate(DENOMINATIONS))} END AS a FROM g)""")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def postgres(url, lines, orders):
    now = int(time.time() * 1000)
    far = now + 30 * 24 * 3600 * 1000
    cases = " ".join(f"WHEN {k} THEN {v}" for k, v in enumerate(DENOMINATIONS))
    sql = f"""
    INSERT INTO plans (code, name, monthly_fee, currency, created_at) VALUES ('KEEP5', '保号套餐 5元/月', 500, 'CNY', {now});
    INSERT INTO lines (id, msisdn, operator, plan_code, holder_name, status, balance, currency, created_at, updated_at)
      SELECT 'line_' || g, '+2547' || lpad(g::text, 8, '0'), 'unknown', 'KEEP5', 'bench', 'active', 0, 'CNY', {now}, {now}
      FROM generate_series(1, {lines}) g;
    INSERT INTO recharge_orders (id, line_id, msisdn, channel, payment_method, amount, fee, total, currency, status,
        created_at, expires_at, late_payment, updated_at)
      SELECT 'rc_bench_' || i, 'line_' || (1 + (i::bigint * 7919) % {lines}), '+2547' || lpad((1 + (i::bigint * 7919) % {lines})::text, 8, '0'),
        'online', 'sandbox', a, 0, a, 'CNY', 'pending_payment', {now}, {far}, 0, {now}
      FROM (SELECT i, CASE i % 8 {cases} END AS a FROM generate_series(0, {orders - 1}) i) s;
    VACUUM ANALYZE; CHECKPOINT;
    """
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q"], input=sql, text=True, check=True)


if __name__ == "__main__":
    kind, target, lines, orders = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    (sqlite if kind == "sqlite" else postgres)(target, lines, orders)
