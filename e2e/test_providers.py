"""Real payment providers against fake provider servers that speak their protocols.

For each of Alipay, WeChat Pay, Stripe and UnionPay: a notification signed by the oracle credits
exactly once; a duplicate is answered as the provider expects and changes nothing; tampered,
stale, wrong-merchant and wrong-amount notifications are refused, recorded, and credit nothing;
a lost notification is recovered by the reconciler; the settlement report finds the differences.
"""
import datetime
import json
import os
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from cryptography.hazmat.primitives import serialization

from conftest import BIN, Server, cli, fresh_postgres_database
from fake_providers import (ALIPAY_APP_ID, UNIONPAY_CERT_ID, UNIONPAY_MER_ID, FakeProviders, Keys, rsa_verify,
                            sorted_string)

MSISDN = "13800138000"
METHODS = {"alipay": "alipay", "wechatpay": "wechat_pay", "stripe": "card", "unionpay": "unionpay"}
SUCCESS_REPLY = {"alipay": (200, b"success"), "wechatpay": (204, b""), "stripe": (200, b'{"received":true}'), "unionpay": (200, b"ok")}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(request):
    directory = tempfile.mkdtemp(prefix="baohao-providers-")
    keys = Keys(directory)
    fake = FakeProviders(keys)
    env = dict(keys.env(fake.base), BAOHAO_RECONCILE_AFTER_SECONDS="0", BAOHAO_RECONCILE_INTERVAL_SECONDS="3600",
               BAOHAO_REFUND_FIRST_RETRY_SECONDS="1",
               BAOHAO_ID_HASH_KEY="providers-e2e-id-hash-key-0123456789abcdef")
    if request.param == "postgres":
        with fresh_postgres_database() as url:
            yield from run_world(directory, keys, fake, env, url)
    else:
        yield from run_world(directory, keys, fake, env, None)
    fake.close()


def run_world(directory, keys, fake, env, url):
    server = Server(directory, url, env=env)
    server.start()
    try:
        assert server.admin("POST", "/v1/admin/plans", {"code": "KEEP5", "name": "保号套餐", "monthly_fee": {"amount": 500, "currency": "CNY"}})[0] == 201
        assert server.admin("POST", "/v1/admin/lines", {"msisdn": MSISDN, "plan": "KEEP5", "holder_name": "张三"})[0] == 201
        yield server, keys, fake
    finally:
        server.stop()


def create_order(server, provider, fen=5000):
    status, body = server.request("POST", "/v1/recharges", {
        "msisdn": MSISDN, "amount": {"amount": fen, "currency": "CNY"}, "channel": "online", "payment_method": METHODS[provider]},
        {"Idempotency-Key": uuid.uuid4().hex, "Content-Type": "application/json"})
    assert status == 201, body
    return json.loads(body)


def order(server, order_id):
    return json.loads(server.request("GET", f"/v1/recharges/{order_id}")[1])


def balance(server):
    return json.loads(server.admin("GET", f"/v1/admin/lines/{MSISDN}")[1])["balance"]["amount"]


def notify(server, provider, body, headers):
    return server.request("POST", f"/v1/payments/{provider}/notify", body, headers)


def notification(fake, provider, order_id, fen, txn, **kwargs):
    name = "wechat" if provider == "wechatpay" else provider
    return getattr(fake.notes, name)(order_id, fen, txn, **kwargs)


def test_the_online_api_offers_exactly_the_enabled_methods(world):
    server, _, _ = world
    rules = json.loads(server.request("GET", "/v1/channels/online")[1])
    assert sorted(rules["payment_methods"]) == sorted(["sandbox", "alipay", "wechat_pay", "unionpay", "card"])


def test_payment_requests_are_signed_as_each_provider_requires(world):
    server, keys, fake = world
    # Alipay: a GET link to the gateway whose sign verifies with our app key, by the oracle.
    created = create_order(server, "alipay")
    url = urllib.parse.urlparse(created["payment"]["pay_url"])
    assert url.path == "/gateway.do"
    fields = dict(urllib.parse.parse_qsl(url.query))
    sign = fields.pop("sign")
    assert fields["method"] == "alipay.trade.wap.pay" and fields["app_id"] == ALIPAY_APP_ID
    assert json.loads(fields["biz_content"])["total_amount"] == "50.00"
    assert rsa_verify(keys.alipay_app.public_key(), sign, sorted_string(fields, skip=("sign",)).encode())
    # The same order shown again is the same payment, not a second one.
    assert order(server, created["id"])["payment"]["pay_url"] == created["payment"]["pay_url"]

    # WeChat Pay: the fake verified our Authorization header before answering with a code_url.
    created = create_order(server, "wechatpay")
    assert created["payment"]["qr_code"].startswith("weixin://wxpay/bizpayurl")
    # The order page draws that code_url as a QR code to scan with WeChat (it has no pay_url).
    wechat_order_page(server, created)
    # Stripe: a Checkout Session.
    created = create_order(server, "stripe")
    assert created["payment"]["pay_url"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    # UnionPay: our page holds a signed front-end form for frontTransReq.do.
    created = create_order(server, "unionpay")
    import html as htmllib, re
    with urllib.request.urlopen(server.base + urllib.parse.urlparse(created["payment"]["pay_url"]).path) as resp:
        assert resp.status == 200
        csp = resp.headers["Content-Security-Policy"]
        html = resp.read().decode()
    assert f'action="{fake.base}/gateway/api/frontTransReq.do"' in html
    # The browser may post this form to UnionPay, and may run the page's own auto-submit script only.
    assert f"form-action 'self' {fake.base};" in csp and "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
    nonce = re.search(r"script-src 'nonce-([A-Za-z0-9+/=]+)'", csp).group(1)
    assert html.count("<script") == 1 and f'<script nonce="{nonce}">' in html
    form = {m.group(1): htmllib.unescape(m.group(2)) for m in re.finditer(r'name="([^"]+)" value="([^"]*)"', html)}
    signature = form.pop("signature")
    digest = __import__("hashlib").sha256(sorted_string(form, skip=()).encode()).hexdigest()
    assert rsa_verify(keys.unionpay_merchant.public_key(), signature, digest.encode())
    assert form["merId"] == UNIONPAY_MER_ID and form["certId"] == UNIONPAY_CERT_ID and form["txnAmt"] == "5000"
    assert form["orderId"] == created["id"].replace("_", "")
    assert fake.bad_requests == []


@pytest.mark.parametrize("provider", ["alipay", "wechatpay", "stripe", "unionpay"])
def test_a_signed_notification_credits_exactly_once(world, provider):
    server, _, fake = world
    created = create_order(server, provider)
    before = balance(server)
    body, headers = notification(fake, provider, created["id"], 5000, f"{provider}-txn-{uuid.uuid4().hex[:12]}")
    assert notify(server, provider, body, headers) == SUCCESS_REPLY[provider]
    credited = order(server, created["id"])
    assert credited["status"] == "credited" and credited["receipt_no"]
    assert balance(server) == before + 5000
    # The provider retries: answered the same, nothing changes.
    for _ in range(2):
        assert notify(server, provider, body, headers) == SUCCESS_REPLY[provider]
    assert balance(server) == before + 5000
    assert order(server, created["id"])["receipt_no"] == credited["receipt_no"]
    ledger = json.loads(server.admin("GET", f"/v1/admin/lines/{MSISDN}/ledger?limit=1000")[1])
    assert sum(1 for t in ledger if t.get("order_id") == created["id"]) == 1
    report = json.loads(server.admin("POST", "/v1/admin/verify")[1])
    assert report["ok"] is True


def bad_notifications(fake, provider, order_id):
    """(name, body, headers, expected status) — every one is signed correctly except where the name says."""
    txn = f"{provider}-bad-{uuid.uuid4().hex[:10]}"
    old = 1_700_000_000
    if provider == "alipay":
        def tamper(fields):
            fields["total_amount"] = "0.01"
        return [
            ("tampered", *fake.notes.alipay(order_id, 5000, txn, mutate=tamper), 401),
            ("wrong_amount", *fake.notes.alipay(order_id, 4999, txn), 422),
            ("wrong_merchant", *fake.notes.alipay(order_id, 5000, txn, app_id="2021000000009999"), 400),
            ("unsigned", *fake.notes.alipay(order_id, 5000, txn, mutate=lambda f: f.pop("sign")), 401),
        ]
    if provider == "wechatpay":
        return [
            ("tampered", *fake.notes.wechat(order_id, 5000, txn, mutate=lambda b: b.replace(b"TRANSACTION.SUCCESS", b"TRANSACTION.SUCCESS ")), 401),
            ("stale", *fake.notes.wechat(order_id, 5000, txn, timestamp=old), 401),
            ("wrong_key", *fake.notes.wechat(order_id, 5000, txn, key=fake.keys.wechat_merchant), 401),
            ("wrong_amount", *fake.notes.wechat(order_id, 4999, txn), 422),
            ("wrong_merchant", *fake.notes.wechat(order_id, 5000, txn, mchid="1900009999"), 400),
        ]
    if provider == "stripe":
        return [
            ("tampered", *fake.notes.stripe(order_id, 5000, txn, mutate=lambda b: b.replace(b"5000", b"9000")), 401),
            ("stale", *fake.notes.stripe(order_id, 5000, txn, timestamp=old), 401),
            ("wrong_secret", *fake.notes.stripe(order_id, 5000, txn, secret="whsec_not_ours_0000000000"), 401),
            ("wrong_amount", *fake.notes.stripe(order_id, 4999, txn), 422),
            ("wrong_currency", *fake.notes.stripe(order_id, 5000, txn, currency="usd"), 422),
        ]
    def tamper_amount(fields):
        fields["txnAmt"] = "1"
    return [
        ("tampered", *fake.notes.unionpay(order_id, 5000, txn, mutate=tamper_amount), 401),
        ("untrusted_certificate", *fake.notes.unionpay(order_id, 5000, txn, rogue=True), 401),
        ("wrong_amount", *fake.notes.unionpay(order_id, 4999, txn), 422),
        ("wrong_merchant", *fake.notes.unionpay(order_id, 5000, txn, mer_id="777290058119999"), 400),
    ]


@pytest.mark.parametrize("provider", ["alipay", "wechatpay", "stripe", "unionpay"])
def test_bad_notifications_are_refused_recorded_and_credit_nothing(world, provider):
    server, _, fake = world
    created = create_order(server, provider)
    before = balance(server)
    cases = bad_notifications(fake, provider, created["id"])
    for name, body, headers, expected in cases:
        status, reply = notify(server, provider, body, headers)
        assert status == expected, (name, status, reply)
        assert (status, reply) != SUCCESS_REPLY[provider], name
        if provider == "wechatpay":
            assert json.loads(reply)["code"] == "FAIL"
        if provider == "alipay":
            assert reply == b"fail"
    assert order(server, created["id"])["status"] == "pending_payment"
    assert balance(server) == before
    rejected = json.loads(server.admin("GET", "/v1/admin/notifications?outcome=rejected&limit=500")[1])
    reasons = {n["reason"] for n in rejected if n["provider"] == provider}
    assert {"amount_mismatch", "wrong_merchant"} <= reasons | ({"wrong_merchant"} if provider == "stripe" else set())
    assert any("signature" in r or r == "untrusted_certificate" for r in reasons)


@pytest.mark.parametrize("provider", ["alipay", "wechatpay", "stripe", "unionpay"])
def test_a_lost_notification_is_recovered_by_the_reconciler(world, provider):
    server, _, fake = world
    created = create_order(server, provider, fen=3000)
    before = balance(server)
    txn = f"{provider}-lost-{uuid.uuid4().hex[:10]}"
    fake.paid[created["id"]] = (3000, txn)  # paid at the provider; the notification never comes
    status, run = server.admin("POST", "/v1/admin/reconciliation/run")
    assert status == 200, run
    assert json.loads(run)["credited"] >= 1
    assert order(server, created["id"])["status"] == "credited"
    assert balance(server) == before + 3000
    # The notification arrives after all: a harmless duplicate.
    body, headers = notification(fake, provider, created["id"], 3000, txn)
    if provider == "stripe":
        body, headers = fake.notes.stripe(created["id"], 3000, txn, event_type="payment_intent.succeeded")
    assert notify(server, provider, body, headers) == SUCCESS_REPLY[provider]
    assert balance(server) == before + 3000
    # Asking again changes nothing either.
    assert server.admin("POST", "/v1/admin/reconciliation/run")[0] == 200
    assert balance(server) == before + 3000
    assert fake.bad_requests == []


def test_ignored_event_types_are_acknowledged_and_recorded(world):
    server, _, fake = world
    created = create_order(server, "stripe")
    body, headers = fake.notes.stripe(created["id"], 5000, "pi_x", event_type="customer.created")
    assert notify(server, "stripe", body, headers) == SUCCESS_REPLY["stripe"]
    ignored = json.loads(server.admin("GET", "/v1/admin/notifications?outcome=ignored&limit=500")[1])
    assert any(n["reason"] == "event_type_ignored" for n in ignored)
    assert order(server, created["id"])["status"] == "pending_payment"


def test_settlement_reports_matches_and_every_kind_of_difference(world):
    server, _, fake = world
    paid = []
    for fen in (1000, 2000):
        created = create_order(server, "alipay", fen=fen)
        txn = f"2026112422001{uuid.uuid4().hex[:12]}"
        body, headers = fake.notes.alipay(created["id"], fen, txn)
        assert notify(server, "alipay", body, headers) == SUCCESS_REPLY["alipay"]
        paid.append((txn, created["id"], fen))
    # gmt_payment in the fake notifications is 2026-11-24 12:00:00 Beijing time.
    statement = "provider_txn_id,order_id,amount,currency,paid_at\n"
    statement += f"{paid[0][0]},{paid[0][1]},{paid[0][2]},CNY,2026-11-24T04:00:00Z\n"
    statement += f"{paid[1][0]},{paid[1][1]},{paid[1][2] + 1},CNY,2026-11-24T04:00:00Z\n"
    statement += "2026112422009999,rc_UNKNOWN,500,CNY,2026-11-24T05:00:00Z\n"
    status, body = server.request("POST", "/v1/admin/settlements/alipay?day=2026-11-24", statement.encode(),
                                  {"Content-Type": "text/csv", "Authorization": "Bearer process-test-admin-token"})
    assert status == 200, body
    report = json.loads(body)
    assert report["matched"] >= 1 and report["clean"] is False
    assert [m["provider_txn_id"] for m in report["amount_mismatches"]] == [paid[1][0]]
    assert [m["provider_txn_id"] for m in report["missing_ours"]] == ["2026112422009999"]
    # Every other Alipay payment recorded that day is missing from this statement.
    assert paid[0][0] not in {m["provider_txn_id"] for m in report["missing_theirs"]}
    # A broken statement is refused with its line number, and nothing is compared.
    status, body = server.request("POST", "/v1/admin/settlements/alipay?day=2026-11-24", b"provider_txn_id,order_id,amount,currency,paid_at\nx,y,-5,CNY,\n",
                                  {"Content-Type": "text/csv", "Authorization": "Bearer process-test-admin-token"})
    assert status == 422 and b"line 2" in body


def test_a_misconfigured_provider_stops_the_server_naming_the_setting(tmp_path):
    keys = Keys(str(tmp_path))
    env = dict(os.environ, **keys.env("http://127.0.0.1:9"))
    env["BAOHAO_WECHATPAY_APIV3_KEY_FILE"] = keys.write("short.key", "too-short")
    result = subprocess.run([BIN, "serve", "--port", "0", "--data-dir", str(tmp_path)], env=env, capture_output=True, timeout=60)
    assert result.returncode != 0
    output = (result.stdout + result.stderr).decode()
    assert "BAOHAO_WECHATPAY_APIV3_KEY_FILE" in output
    assert "too-short" not in output
    del env["BAOHAO_ALIPAY_APP_ID"]
    env["BAOHAO_WECHATPAY_APIV3_KEY_FILE"] = keys.env("http://127.0.0.1:9")["BAOHAO_WECHATPAY_APIV3_KEY_FILE"]
    result = subprocess.run([BIN, "serve", "--port", "0", "--data-dir", str(tmp_path)], env=env, capture_output=True, timeout=60)
    assert result.returncode != 0 and "BAOHAO_ALIPAY_APP_ID" in (result.stdout + result.stderr).decode()


def test_logs_hold_no_secrets_signatures_or_numbers(world):
    server, keys, fake = world
    created = create_order(server, "stripe")
    body, headers = fake.notes.stripe(created["id"], 5000, "pi_log", mutate=lambda b: b.replace(b"5000", b"9000"))
    assert notify(server, "stripe", body, headers)[0] == 401
    with open(os.path.join(server.data_dir, "server.log"), "rb") as f:
        # The start-up banner's example curl line is printed by the server itself, not a caller's number.
        log = "\n".join(line for line in f.read().decode(errors="replace").splitlines() if "try: curl" not in line)
    assert "payment notification rejected" in log  # the earlier tests did write to it
    for secret in (keys.stripe_secret, keys.stripe_webhook, keys.wechat_apiv3, "BEGIN PRIVATE KEY", "BEGIN CERTIFICATE", "v1=", MSISDN):
        assert secret not in log


def counter_clerk(server):
    """An outlet, a clerk on shift and the counter channel on; the clerk's bearer header."""
    if server.admin("GET", "/v1/admin/outlets")[1].find(b"SH-PD-01") < 0:
        status, body = server.admin("POST", "/v1/admin/outlets", {"code": "SH-PD-01", "name": "浦东营业厅", "address": "上海市浦东新区"})
        assert status == 201, body
        args = [BIN, "staff", "add", "--data-dir", server.data_dir, "--username", "clerk-codes", "--name", "李柜员", "--role", "clerk",
                "--outlet", "SH-PD-01", "--password-stdin"]
        if server.database_url:
            args += ["--database-url", server.database_url]
        added = subprocess.run(args, input="clerk password 2026\n", capture_output=True, text=True, timeout=60)
        assert added.returncode == 0, added.stderr
        counter = next(c for c in json.loads(server.admin("GET", "/v1/admin/channels")[1]) if c["channel"] == "counter")
        for key in ("channel", "version", "updated_at", "updated_by"):
            counter.pop(key, None)
        counter["enabled"] = True
        assert server.admin("PUT", "/v1/admin/channels/counter", counter)[0] == 200
    status, body = server.request("POST", "/v1/staff/tokens", {"username": "clerk-codes", "password": "clerk password 2026"})
    assert status == 201, body
    bearer = {"Authorization": "Bearer " + json.loads(body)["token"]}
    status, body = server.request("POST", "/v1/counter/shifts", {"opening_float": {"amount": 0, "currency": "CNY"}}, bearer)
    assert status in (201, 409), body
    return bearer


@pytest.mark.parametrize("tender,prefix,provider", [("alipay_code", "28", "alipay"), ("wechat_code", "13", "wechatpay")])
def test_payment_codes_through_the_real_adapters(world, tender, prefix, provider):
    """A code paid at once, one the payer confirms (answered after the first query), and one
    declined: each charged with the provider's own request, credited once, or not at all."""
    server, _, fake = world
    clerk = counter_clerk(server)
    before = balance(server)

    def sell(code, fen):
        body = {"msisdn": MSISDN, "amount": {"amount": fen, "currency": "CNY"}, "tender": tender, "payment_code": code,
                "id_number": "11010519491231002X"}
        return server.request("POST", "/v1/counter/sales", body, dict(clerk, **{"Idempotency-Key": uuid.uuid4().hex}), timeout=30)

    status, body = sell(prefix + "1234567890123450", 2000)
    assert status == 201 and json.loads(body)["status"] == "credited", body
    status, body = sell(prefix + "1234567890123457", 3000)
    assert status == 201 and json.loads(body)["status"] == "credited", body
    status, body = sell(prefix + "1234567890123459", 5000)
    assert status == 402 and json.loads(body)["type"].endswith("/payment-declined"), body
    assert balance(server) == before + 5000
    charged = [c for c in fake.code_charges if c[0] == provider]
    assert [c[2][-1] for c in charged[-3:]] == ["0", "7", "9"]
    assert not [b for b in fake.bad_requests if b[0] == provider]
    # The code never reaches the server's log.
    with open(os.path.join(server.data_dir, "server.log"), "rb") as log:
        assert (prefix + "1234567890123457").encode() not in log.read()
    assert json.loads(server.admin("POST", "/v1/admin/verify")[1])["ok"] is True


def refund_desk(server):
    """An operator and an administrator with staff tokens: the two people a refund needs."""
    headers = []
    for username, role in (("refund-ops", "operator"), ("refund-boss", "admin")):
        added = cli(server, "staff", "add", "--username", username, "--name", username, "--role", role, "--password-stdin",
                    stdin="refund password 2026\n")
        assert added.returncode == 0 or "already taken" in added.stderr, added.stderr
        status, body = server.request("POST", "/v1/staff/tokens", {"username": username, "password": "refund password 2026"})
        assert status == 201, body
        headers.append({"Authorization": "Bearer " + json.loads(body)["token"]})
    return headers


@pytest.mark.parametrize("provider", ["alipay", "wechatpay", "stripe", "unionpay"])
def test_a_refund_goes_back_through_the_provider_it_came_by(world, provider):
    """Each adapter's own refund request (Alipay alipay.trade.refund, WeChat Pay v3 refunds,
    Stripe /v1/refunds with an Idempotency-Key, UnionPay backTransReq txnType 04), keyed by our
    refund id; a refund the provider answers "processing" is queried (WeChat Pay's refund query,
    Stripe's GET /v1/refunds/{id}, UnionPay's queryTrans) until it is paid back."""
    server, _, fake = world
    ops, boss = refund_desk(server)
    created = create_order(server, provider)
    txn = f"{provider}-refund-{uuid.uuid4().hex[:12]}"
    body, headers = notification(fake, provider, created["id"], 5000, txn)
    assert notify(server, provider, body, headers) == SUCCESS_REPLY[provider]
    paid_txn = order(server, created["id"])
    assert paid_txn["status"] == "credited"
    before = balance(server)
    status, answer = server.request("POST", "/v1/admin/refunds", {
        "order_id": created["id"], "amount": {"amount": 2000, "currency": "CNY"}, "reason": "用户投诉"}, ops)
    assert status == 201, answer
    refund_id = json.loads(answer)["id"]
    asked = len(fake.refunds)
    status, answer = server.request("POST", f"/v1/admin/refunds/{refund_id}/approve", {"reason": "核实"}, boss)
    assert status == 200, answer
    assert balance(server) == before - 2000
    kind, sent = fake.refunds[asked]
    assert kind == provider
    if provider == "alipay":
        assert sent["out_request_no"] == refund_id and sent["refund_amount"] == "20.00" and sent["trade_no"] == txn
    elif provider == "wechatpay":
        assert sent["out_refund_no"] == refund_id and sent["transaction_id"] == txn
        assert sent["amount"] == {"refund": 2000, "total": 5000, "currency": "CNY"}
    elif provider == "stripe":
        assert sent["idempotency_key"] == f"baohao-rf-{refund_id}" and sent["amount"] == "2000" and sent["payment_intent"] == txn
    else:
        assert sent["txnType"] == "04" and sent["txnAmt"] == "2000" and sent["origQryId"] == txn

    def settled():
        return json.loads(server.admin("GET", f"/v1/admin/refunds/{refund_id}")[1])
    deadline = time.time() + 30
    while settled()["status"] == "processing" and time.time() < deadline:
        time.sleep(0.3)
    final = settled()
    assert final["status"] == "succeeded" and final["provider_refund_id"], final
    # Asked once to refund; every later ask was a query, never a second refund request.
    assert [kind for kind, _ in fake.refunds[asked:]] == [provider]
    assert order(server, created["id"])["status"] == "partially_refunded"
    report = json.loads(server.admin("POST", "/v1/admin/verify")[1])
    assert report["ok"] is True, report


@pytest.mark.parametrize("provider", ["wechatpay", "stripe"])
def test_a_refund_notification_settles_the_refund(world, provider):
    """WeChat Pay's REFUND.SUCCESS (signed, its resource encrypted) and Stripe's
    charge.refund.updated settle a refund the provider still answers "processing" to every query:
    only the notification can have done it. Its repeat changes nothing; a notification about a
    refund that is not ours is acknowledged and recorded as ignored."""
    server, _, fake = world
    ops, boss = refund_desk(server)
    created = create_order(server, provider)
    txn = f"{provider}-notice-{uuid.uuid4().hex[:12]}"
    body, headers = notification(fake, provider, created["id"], 5000, txn)
    assert notify(server, provider, body, headers) == SUCCESS_REPLY[provider]
    status, answer = server.request("POST", "/v1/admin/refunds", {
        "order_id": created["id"], "amount": {"amount": 2000, "currency": "CNY"}, "reason": "用户投诉"}, ops)
    assert status == 201, answer
    refund_id = json.loads(answer)["id"]
    fake.refunds_pending = True
    try:
        before = balance(server)
        status, answer = server.request("POST", f"/v1/admin/refunds/{refund_id}/approve", {"reason": "核实"}, boss)
        assert status == 200, answer
        approved = json.loads(answer)
        assert approved["status"] == "processing" and approved["provider_refund_id"], approved
        time.sleep(2.5)  # queries (the first retry is 1 s) keep answering "processing"
        assert json.loads(server.admin("GET", f"/v1/admin/refunds/{refund_id}")[1])["status"] == "processing"
        if provider == "wechatpay":
            notice, notice_headers = fake.notes.wechat_refund(refund_id, approved["provider_refund_id"], fen=2000,
                                                              out_trade_no=created["id"])
        else:
            notice, notice_headers = fake.notes.stripe_refund(refund_id, approved["provider_refund_id"])
        for _ in range(2):  # the provider repeats its notification: one payout
            assert notify(server, provider, notice, notice_headers) == SUCCESS_REPLY[provider]
        final = json.loads(server.admin("GET", f"/v1/admin/refunds/{refund_id}")[1])
        assert final["status"] == "succeeded" and final["provider_refund_id"] == approved["provider_refund_id"], final
        assert balance(server) == before - 2000
        if provider == "wechatpay":
            stranger, stranger_headers = fake.notes.wechat_refund("rf_not_ours_0001", "50000000deadbeef")
        else:
            stranger, stranger_headers = fake.notes.stripe_refund("rf_not_ours_0001", "re_" + "0" * 24)
        assert notify(server, provider, stranger, stranger_headers) == SUCCESS_REPLY[provider]
        kept = json.loads(server.admin("GET", "/v1/admin/notifications?outcome=ignored")[1])
        assert any(n.get("reason") == "unknown_refund" for n in kept), kept
        report = json.loads(server.admin("POST", "/v1/admin/verify")[1])
        assert report["ok"] is True, report
    finally:
        fake.refunds_pending = False


def test_a_phone_browser_pays_by_wechat_h5_and_falls_back_to_the_qr_code(world):
    """From a phone's browser the portal asks WeChat for H5 payment with the payer's IP; the order
    page's button opens WeChat's page, which returns to the order. A merchant not granted H5
    (NO_AUTH) still gets a QR code, not an error."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    from test_portal_browser import ANDROID_PHONE, browser, page_checks, shot
    server, _, fake = world

    def order_from_the_portal(driver):
        driver.get(server.base + f"/recharge?msisdn={MSISDN}")
        driver.find_element(By.CSS_SELECTOR, "label[for=amount-5000]").click()
        driver.find_element(By.CSS_SELECTOR, "label[for=method-wechat_pay]").click()
        driver.find_element(By.ID, "confirm").click()
        WebDriverWait(driver, 20).until(EC.presence_of_element_located((By.ID, "status")))
        return driver.current_url.rsplit("/", 1)[1]

    driver = browser(360, 780, user_agent=ANDROID_PHONE)
    try:
        before = len(fake.h5_requests)
        order_id = order_from_the_portal(driver)
        sent = fake.h5_requests[before:]
        assert len(sent) == 1 and sent[0]["out_trade_no"] == order_id, sent
        assert sent[0]["scene_info"] == {"payer_client_ip": "127.0.0.1", "h5_info": {"type": "Wap"}}
        assert sent[0]["amount"] == {"total": 5000, "currency": "CNY"}
        link = driver.find_element(By.ID, "pay-link")
        assert link.text == "打开微信支付 ¥50.00"
        target = urllib.parse.urlparse(link.get_attribute("href"))
        assert (target.scheme, target.netloc, target.path) == ("https", "wx.tenpay.com", "/cgi-bin/mmpayweb-bin/checkmweb")
        query = dict(urllib.parse.parse_qsl(target.query))
        assert query["redirect_url"] == f"{server.base}/orders/{order_id}?from=cashier" and query["prepay_id"].startswith("wx")
        assert not driver.find_elements(By.ID, "pay-qr-figure")
        assert order(server, order_id)["payment"]["pay_url"] == link.get_attribute("href")
        page_checks(driver, 360)
        shot(driver, "order-wechat-h5-phone")

        fake.h5_granted = False
        before = len(fake.h5_requests)
        order_id = order_from_the_portal(driver)
        assert len(fake.h5_requests) == before + 1
        assert driver.find_element(By.CSS_SELECTOR, "#pay-qr-figure figcaption").text == "请使用微信扫一扫，支付 ¥50.00"
        assert not driver.find_elements(By.ID, "pay-link")
        assert order(server, order_id)["payment"]["qr_code"].startswith("weixin://wxpay/bizpayurl")
    finally:
        fake.h5_granted = True
        driver.quit()
    assert fake.bad_requests == []


def wechat_order_page(server, created):
    """The WeChat order page at 360 and 1280 px: the QR code decodes back to the code_url; the
    prompt names WeChat and the amount; there is no pay button, and the expiry and cancel are shown."""
    import io
    import zxingcpp
    from PIL import Image
    from selenium.webdriver.common.by import By
    from test_portal_browser import browser, page_checks, shot
    for width in (360, 1280):
        driver = browser(width, 900)
        try:
            driver.get(server.base + f"/orders/{created['id']}")
            figure = driver.find_element(By.ID, "pay-qr-figure")
            assert figure.find_element(By.TAG_NAME, "figcaption").text == "请使用微信扫一扫，支付 ¥50.00"
            decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(driver.find_element(By.ID, "pay-qr").screenshot_as_png)))
            assert [code.text for code in decoded] == [created["payment"]["qr_code"]]
            assert not driver.find_elements(By.ID, "pay-link")
            assert driver.find_element(By.ID, "expiry").text.startswith("请在 ")
            assert driver.find_element(By.ID, "cancel-order").text == "取消订单"
            page_checks(driver, width if width == 360 else None)
            shot(driver, f"order-wechat-{'phone' if width == 360 else 'desktop'}")
        finally:
            driver.quit()
