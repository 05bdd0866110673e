#!/usr/bin/env python3
"""Turns every unpaid bench order of a database seeded by seed.py into a credited one, as the
credit path would have left it: order credited, its payment, one recharge transfer (clearing ->
line), one receipt, and the line's balance. Set-based, outside Baohao, so that `baohao verify` can
be timed on books of 1,000,000 lines and 1,000,000 credits without crediting them one by one.

  seed_credits.py sqlite PATH
  seed_credits.py postgres URL

seed.py gives order i to line 1 + (i*7919 mod LINES); with ORDERS = LINES every line gets exactly
one order (7919 is prime and does not divide 10^k), so a line's balance is its order's amount."""
import subprocess
import sys
import time

STATEMENTS = """
UPDATE recharge_orders SET status = 'credited', paid_at = {now}, credited_at = {now}, updated_at = {now},
  provider_txn_id = 'bench-txn-' || substr(id, 10), receipt_no = 'BH-BENCH-' || substr(id, 10)
  WHERE status = 'pending_payment';
INSERT INTO payments (provider, provider_txn_id, order_id, amount, currency, paid_at, recorded_at)
  SELECT 'sandbox', provider_txn_id, id, total, currency, {now}, {now} FROM recharge_orders WHERE status = 'credited';
INSERT INTO ledger_transfers (id, kind, order_id, created_at)
  SELECT 'tr_' || id, 'recharge', id, {now} FROM recharge_orders WHERE status = 'credited';
INSERT INTO ledger_postings (transfer_id, seq, account, amount, currency, created_at)
  SELECT 'tr_' || id, 0, 'clearing:sandbox', -amount, currency, {now} FROM recharge_orders WHERE status = 'credited';
INSERT INTO ledger_postings (transfer_id, seq, account, amount, currency, created_at)
  SELECT 'tr_' || id, 1, 'line:' || line_id, amount, currency, {now} FROM recharge_orders WHERE status = 'credited';
INSERT INTO receipts (receipt_no, order_id, line_id, msisdn, operator, channel, payment_method, provider, provider_txn_id,
    face_value, amount_paid, fee, bonus, balance_after, currency, paid_at, credited_at)
  SELECT receipt_no, id, line_id, msisdn, 'unknown', channel, payment_method, 'sandbox', provider_txn_id,
    amount, total, fee, 0, amount, currency, {now}, {now} FROM recharge_orders WHERE status = 'credited';
UPDATE lines SET balance = (SELECT COALESCE(SUM(CASE WHEN o.status = 'credited' THEN o.amount ELSE 0 END), 0) FROM recharge_orders o
  WHERE o.line_id = lines.id);
"""


def sqlite(path):
    import sqlite3
    db = sqlite3.connect(path)
    # One large transaction: a page cache that holds it, and no WAL to search page by page.
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-2000000")
    with db:
        for statement in STATEMENTS.format(now=int(time.time() * 1000)).split(";"):
            if statement.strip():
                db.execute(statement)
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


def postgres(url):
    sql = "BEGIN;" + STATEMENTS.format(now=int(time.time() * 1000)) + "COMMIT; VACUUM ANALYZE; CHECKPOINT;"
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q"], input=sql, text=True, check=True)


if __name__ == "__main__":
    (sqlite if sys.argv[1] == "sqlite" else postgres)(sys.argv[2])
