#!/usr/bin/env python3
"""Writes pre-signed partner top-ups, one per line `path<TAB>Authorization<TAB>body`, for references
FIRST..LAST-1: ¥100 to line 1 + (i*7919 mod LINES) of bench/seed.py, signed now with the partner's
key exactly as the README describes (valid for 300 s: sign right before a run).

  sign_partner.py KEY_ID SECRET FIRST LAST LINES OUT"""
import hashlib
import hmac
import json
import sys
import time

key_id, secret, first, last, lines, out = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
t = str(int(time.time()))
path = "/v1/partner/topups"
with open(out, "w") as f:
    for i in range(first, last):
        msisdn = "+2547%08d" % (1 + (i * 7919) % lines)
        body = json.dumps({"reference": f"bench-{i}", "msisdn": msisdn, "amount": {"amount": 10000, "currency": "CNY"}},
                          separators=(",", ":"))
        text = f"{t}\nPOST\n{path}\n{hashlib.sha256(body.encode()).hexdigest()}"
        sig = hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()
        f.write(f"{path}\tBaohao-HMAC key={key_id},t={t},sig={sig}\t{body}\n")
