"""The partner API (第三方平台) against a real `baohao serve` on SQLite and PostgreSQL, driven by a
partner client written from the published signing scheme (partner_client.py):

- a partner added with `baohao partners add` (key id and secret printed once), funded through the
  admin API, priced at a discount;
- 200 concurrent ¥100 top-ups against a float of exactly ¥15,000 at 0 % discount: 150 credited,
  50 refused with 402, nothing available or held after, `baohao verify` passes;
- one reference sent 20 times at once is one top-up; another body under it is 409;
- refused: a bad signature, a wrong key, stale and future `t`, a body altered after signing; a
  disabled partner is 403;
- callbacks reach a receiver that verifies our signatures, also after it was down for a while;
- the day's statement reconciles with the balance endpoint.
"""
import concurrent.futures
import datetime
import json
import time

from conftest import BEIJING, Server, cli, now, wait_for
from partner_client import CallbackReceiver, PartnerClient

PLAN = {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}
NUMBER = "13800138000"


def add_partner(server, code, callback_url, *extra):
    added = cli(server, "partners", "add", "--code", code, "--name", f"{code} 充值平台", "--callback-url", callback_url,
                *extra)
    assert added.returncode == 0, added.stderr
    fields = dict(line.split(": ", 1) for line in added.stdout.splitlines() if line.startswith(("key_id: ", "secret: ")))
    assert fields["key_id"].startswith("pk_") and fields["secret"].startswith("sk_")
    return fields["key_id"], fields["secret"]


def deposit(server, code, fen, reference):
    status, body = server.admin("POST", f"/v1/admin/partners/{code}/float",
                                {"amount": {"amount": fen, "currency": "CNY"}, "reference": reference})
    assert status in (200, 201), body
    return json.loads(body)


def balance_of_line(server):
    return json.loads(server.admin("GET", f"/v1/admin/lines/{NUMBER}")[1])["balance"]["amount"]




def test_partner_float_references_callbacks_and_statement(tmp_path, database_url):
    server = Server(str(tmp_path), database_url, env={"BAOHAO_PARTNER_CALLBACK_FIRST_RETRY_SECONDS": "1"})
    server.start()
    receiver = None
    try:
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        status, body = server.admin("POST", "/v1/admin/lines", {"msisdn": NUMBER, "plan": "KEEP5", "holder_name": "张三",
                                                              "opening_balance": {"amount": 0, "currency": "CNY"}})
        assert status == 201, body

        # The receiver is down when the first callbacks are due.
        receiver = CallbackReceiver("placeholder", clock=now)
        key_id, secret = add_partner(server, "ACME", receiver.url)
        receiver.secret = secret
        receiver.down = True
        client = PartnerClient(server.base, key_id, secret, clock=now)
        assert deposit(server, "ACME", 1_500_000, "bank-slip-123")["float"] == {"available": 1_500_000, "held": 0, "currency": "CNY"}
        # The same slip again is the same deposit; another amount under it is refused.
        assert deposit(server, "ACME", 1_500_000, "bank-slip-123")["float"]["available"] == 1_500_000
        assert server.admin("POST", "/v1/admin/partners/ACME/float",
                            {"amount": {"amount": 1, "currency": "CNY"}, "reference": "bank-slip-123"})[0] == 409

        def topup(index):
            return client.topup(f"acme-{index:04d}", NUMBER, 10_000)

        with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
            results = list(pool.map(topup, range(200)))
        statuses = [status for status, _ in results]
        assert statuses.count(201) == 150, statuses
        assert statuses.count(402) == 50
        refused = next(body for status, body in results if status == 402)
        assert refused["type"].endswith("/insufficient_float")
        assert all(body["status"] == "credited" for status, body in results if status == 201)
        assert client.balance() == (200, {"available": 0, "held": 0, "currency": "CNY"})
        assert balance_of_line(server) == 150 * 10_000

        # One reference sent 20 times at once is one top-up (after funding ¥500 more).
        deposit(server, "ACME", 50_000, "bank-slip-124")
        with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
            same = list(pool.map(lambda _: client.topup("acme-same", NUMBER, 5_000), range(20)))
        assert sorted(status for status, _ in same) == [200] * 19 + [201]
        assert len({body["id"] for _, body in same}) == 1
        assert client.topup("acme-same", NUMBER, 10_000)[1]["type"].endswith("/reference_reused")
        assert client.get_topup("acme-same")[1]["status"] == "credited"
        assert balance_of_line(server) == 150 * 10_000 + 5_000

        # Refused without moving anything.
        body = json.dumps({"reference": "x-1", "msisdn": NUMBER, "amount": {"amount": 1000, "currency": "CNY"}}).encode()
        path = "/v1/partner/topups"
        assert client.request("POST", path, raw=body, authorization=client.authorization("POST", path, body, secret="sk_wrong"))[0] == 401
        assert client.request("POST", path, raw=body, authorization=client.authorization("POST", path, body, key_id="pk_nobody"))[0] == 401
        assert client.request("POST", path, raw=body, authorization=client.authorization("POST", path, body, t=int(now()) - 400))[0] == 401
        assert client.request("POST", path, raw=body, authorization=client.authorization("POST", path, body, t=int(now()) + 400))[0] == 401
        assert client.request("POST", path, raw=body, alter_body=lambda b: b.replace(b"1000", b"9000"))[0] == 401
        assert client.get_topup("x-1")[0] == 404

        # The receiver comes back: every callback arrives, signed, once per top-up at least.
        time.sleep(2)
        assert receiver.refused > 0
        receiver.down = False
        assert wait_for(lambda: len(receiver.events) == 151, 60), (len(receiver.events), receiver.refused)
        assert receiver.bad_signatures == 0
        assert {event["type"] for event in receiver.events.values()} == {"topup.credited"}
        assert {event["data"]["reference"] for event in receiver.events.values()} == {f"acme-{i:04d}" for i, (s, _) in enumerate(results) if s == 201} | {"acme-same"}

        # The day's statement: opening + changes = closing = the balance endpoint.
        day = datetime.datetime.fromtimestamp(now(), BEIJING).date().isoformat()
        status, csv = client.statement(day)
        assert status == 200
        rows = [line.split(",") for line in csv.strip().split("\r\n")]
        assert rows[0] == ["time", "type", "reference", "topup_id", "available_change", "held_change", "available", "held", "currency"]
        assert rows[1][1] == "opening" and rows[-1][1] == "closing"
        fen = lambda text: round(float(text) * 100)
        available, held = fen(rows[1][6]), fen(rows[1][7])
        for row in rows[2:-1]:
            available += fen(row[4])
            held += fen(row[5])
            assert (fen(row[6]), fen(row[7])) == (available, held)
        kinds = [row[1] for row in rows[2:-1]]
        assert kinds.count("deposit") == 2 and kinds.count("hold") == 151 and kinds.count("capture") == 151
        _, current = client.balance()
        assert (fen(rows[-1][6]), fen(rows[-1][7])) == (available, held) == (current["available"], current["held"])

        # The console lists the partner; verify passes; disabling turns the key away with 403.
        listed = cli(server, "partners", "list")
        assert listed.returncode == 0 and listed.stdout.startswith("ACME\tactive"), listed.stdout
        verified = cli(server, "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert cli(server, "partners", "disable", "ACME").returncode == 0
        assert client.balance()[0] == 403
    finally:
        server.stop()
        if receiver:
            receiver.close()


def test_rotated_keys_and_rate_limit(tmp_path):
    server = Server(str(tmp_path))
    server.start()
    try:
        # Two a second: a burst of 80 overruns it however slowly the machine sends them.
        key_id, secret = add_partner(server, "RATE", "https://partner.example/cb", "--rate-limit", "2")
        client = PartnerClient(server.base, key_id, secret, clock=now, retry_429=False)
        # The bucket refills while the burst runs (slowly, on a loaded machine), so the 429 checked
        # is one the burst itself drew, not a fresh request that may find a refilled token.
        answers = [client.request("GET", "/v1/partner/balance")[:2] for _ in range(80)]
        statuses = [status for status, _ in answers]
        assert statuses.count(429) > 0 and statuses[0] == 200, statuses
        refused = [headers for status, headers in answers if status == 429]
        assert all(int(headers["Retry-After"]) >= 1 for headers in refused)
        time.sleep(1.1)
        rotated = cli(server, "partners", "rotate-key", "--code", "RATE")
        assert rotated.returncode == 0, rotated.stderr
        fields = dict(line.split(": ", 1) for line in rotated.stdout.splitlines() if ": " in line)
        new = PartnerClient(server.base, fields["key_id"], fields["secret"], clock=now)
        assert new.balance()[0] == 200
        assert client.balance()[0] == 200  # the old key works through its grace period
    finally:
        server.stop()


def test_operator_sees_partner_floats_in_the_console(tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    from test_portal_browser import browser, page_checks, shot
    from test_staff_console import add_staff, sign_in

    server = Server(str(tmp_path))
    server.start()
    try:
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        assert server.admin("POST", "/v1/admin/lines", {"msisdn": NUMBER, "plan": "KEEP5", "holder_name": "张三",
                                                        "opening_balance": {"amount": 0, "currency": "CNY"}})[0] == 201
        key_id, secret = add_partner(server, "ACME", "http://127.0.0.1:9/unreachable")
        add_partner(server, "LONGNAME-PAY", "https://partner.example/cb")
        deposit(server, "ACME", 1_234_500, "bank-slip-1")
        assert server.admin("PUT", "/v1/admin/partners/ACME/pricing", {"discount_bps": 250, "by_amount": {"10000": 300}})[0] == 200
        client = PartnerClient(server.base, key_id, secret, clock=now)
        for index in range(3):
            assert client.topup(f"shot-{index}", NUMBER, 10_000)[0] == 201
        assert wait_for(lambda: json.loads(server.admin("GET", "/v1/admin/partners/ACME")[1])["failing_callbacks"] == 3)
        assert add_staff(tmp_path, "ops", "王操作", "operator", "operator password 2026").returncode == 0
        for width, height, name in ((360, 780, "staff-partners-phone"), (1280, 900, "staff-partners-desktop")):
            driver = browser(width, height)
            wait = WebDriverWait(driver, 20)
            try:
                driver.get(server.base + "/staff/signin")
                sign_in(driver, wait, "ops", "operator password 2026")
                driver.get(server.base + "/staff/partners")
                card = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "li[data-partner='ACME']"))).text
                assert "¥12,054.00" in card or "¥12054.00" in card, card
                assert "3 笔" in card and "¥300.00" in card, card
                assert "2.5%" in card and "3%" in card, card
                shot(driver, name)
                page_checks(driver, width)
            finally:
                driver.quit()
    finally:
        server.stop()
