#!/usr/bin/env python3
"""Writes pre-signed sandbox notifications, one per line `body<TAB>Baohao-Signature`, for orders
FIRST..LAST-1 of bench/seed.py, signed now with SECRET exactly as the sandbox provider signs
(HMAC-SHA256 over "<t>.<raw body>"). Signatures stay valid for 300 s: sign right before a run.

  sign.py SECRET FIRST LAST OUT"""
import hashlib
import hmac
import json
import sys
import time

DENOMINATIONS = [1000, 2000, 3000, 5000, 10000, 20000, 30000, 50000]

secret, first, last, out = sys.argv[1].encode(), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
t = str(int(time.time())).encode()
with open(out, "w") as f:
    for i in range(first, last):
        body = json.dumps({"event_id": f"bench-{i}", "order_id": f"rc_bench_{i}", "provider_txn_id": f"bench-txn-{i}",
                           "status": "succeeded", "amount": {"amount": DENOMINATIONS[i % 8], "currency": "CNY"},
                           "paid_at": "2026-11-24T12:00:00Z"}, separators=(",", ":"))
        mac = hmac.new(secret, t + b"." + body.encode(), hashlib.sha256).hexdigest()
        f.write(f"{body}\tt={t.decode()},v1={mac}\n")
