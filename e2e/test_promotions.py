"""Promotions (优惠活动) against real `baohao serve` processes, on SQLite and PostgreSQL:

- an administrator creates 充50送20 with a budget of exactly 50 bonuses; 200 eligible payments on
  ten numbers are notified at once, from 32 threads (on PostgreSQL, to two server processes on one
  database): exactly 50 receipts show the bonus, the promotion says 50 used, the ledger's
  promotion account holds minus 50 bonuses, and `baohao verify` passes;
- in Chromium at 360 px and 1280 px: the portal's amount grid shows the bonus per denomination, the
  time left and 剩余名额; the receipt shows 赠送; the staff dashboard shows spend against budget.
"""
import datetime
import json
from concurrent.futures import ThreadPoolExecutor

from conftest import BEIJING, Server, cli, now_datetime, signed_notification, wait_for

PLAN = {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}
NUMBERS = [f"1380013810{i}" for i in range(10)]
PASSWORD = "promotion desk password 2026"


def promotion(code="NEWYEAR", count=50):
    starts = (now_datetime(BEIJING) - datetime.timedelta(days=1)).replace(microsecond=0)
    ends = (now_datetime(BEIJING) + datetime.timedelta(days=6)).replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "code": code, "name": {"zh": "新年充值送", "en": "New year bonus"},
        "starts_at": starts.isoformat(), "ends_at": ends.isoformat(), "channels": ["online", "counter"],
        "payment_methods": None, "face_values": [{"amount": 5000, "currency": "CNY"}], "minimum": None,
        "bonus": {"fixed": {"amount": 2000, "currency": "CNY"}}, "first_recharge_only": False, "per_number_limit": None,
        "budget": {"count": count}, "funded_by": "operator",
    }


def order(server, number, key):
    status, body = server.request("POST", "/v1/recharges", {
        "msisdn": number, "amount": {"amount": 5000, "currency": "CNY"}, "channel": "online", "payment_method": "sandbox"},
        {"Idempotency-Key": key})
    assert status == 201, body
    return json.loads(body)


def test_a_budget_of_50_pays_exactly_50_of_200_concurrent_credits(tmp_path, database_url):
    first = Server(str(tmp_path / "a"), database_url)
    (tmp_path / "a").mkdir()
    first.start()
    servers = [first]
    try:
        if database_url:  # a second process on the same database
            (tmp_path / "b").mkdir()
            second = Server(str(tmp_path / "b"), database_url)
            second.start()
            servers.append(second)
        assert first.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        for number in NUMBERS:
            assert first.admin("POST", "/v1/admin/lines", {"msisdn": number, "plan": "KEEP5", "holder_name": "张三",
                                                          "opening_balance": {"amount": 0, "currency": "CNY"}})[0] == 201
        status, body = first.admin("POST", "/v1/admin/promotions", promotion())
        assert status == 201, body
        # Before paying, the quote names the bonus.
        confirm = json.loads(first.request("GET", f"/v1/lines/{NUMBERS[0]}/confirm")[1])
        assert [(o["face_value"]["amount"], o["bonus"]["amount"], o["remaining"]) for o in confirm["offers"]] == [(5000, 2000, 50)], confirm
        orders = [order(servers[i % len(servers)], NUMBERS[i % len(NUMBERS)], f"promo-e2e-{i:04d}") for i in range(200)]
        assert all(o["bonus"]["amount"] == 2000 and o["promotion_code"] == "NEWYEAR" for o in orders)

        def notify(index):
            notice, headers = signed_notification(orders[index]["id"], 5000)
            return servers[index % len(servers)].request("POST", "/v1/payments/sandbox/notify", notice, headers, timeout=60)[0]
        with ThreadPoolExecutor(32) as pool:
            assert set(pool.map(notify, range(200))) == {200}

        shown = json.loads(first.admin("GET", "/v1/admin/promotions/NEWYEAR")[1])
        assert shown["used"]["count"] == 50 and shown["used"]["amount"]["amount"] == 100000, shown
        assert shown["remaining"] == {"count": 0, "amount": None}, shown
        bonuses = []
        for o in orders:
            got = json.loads(first.request("GET", f"/v1/recharges/{o['id']}")[1])
            assert got["status"] == "credited", got
            receipt = json.loads(first.request("GET", f"/v1/receipts/{got['receipt_no']}")[1])
            assert receipt["bonus"] == got["bonus"], (receipt, got)
            bonuses.append(got["bonus"]["amount"])
        assert sorted(set(bonuses)) == [0, 2000] and bonuses.count(2000) == 50
        total = sum(json.loads(first.admin("GET", f"/v1/admin/lines/{n}")[1])["balance"]["amount"] for n in NUMBERS)
        assert total == 200 * 5000 + 50 * 2000
        # The budget is spent: the quote no longer offers the bonus.
        assert json.loads(first.request("GET", f"/v1/lines/{NUMBERS[0]}/confirm")[1])["offers"] == []
        verified = cli(first, "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        for server in servers:
            server.stop()


def test_promotions_in_the_portal_receipt_and_dashboard(tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    from test_portal_browser import browser, page_checks, shot
    from test_staff_console import sign_in

    server = Server(str(tmp_path))
    server.start()
    try:
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        assert server.admin("POST", "/v1/admin/lines", {"msisdn": NUMBERS[0], "plan": "KEEP5", "holder_name": "张三",
                                                        "opening_balance": {"amount": 300, "currency": "CNY"}})[0] == 201
        assert server.admin("POST", "/v1/admin/promotions", promotion(count=1000))[0] == 201
        added = cli(server, "staff", "add", "--username", "boss", "--name", "老板", "--role", "admin", "--password-stdin",
                    stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        paid = order(server, NUMBERS[0], "promo-browser-1")
        notice, headers = signed_notification(paid["id"], 5000)
        assert server.request("POST", "/v1/payments/sandbox/notify", notice, headers)[0] == 200
        receipt_no = json.loads(server.request("GET", f"/v1/recharges/{paid['id']}")[1])["receipt_no"]
        for width, height, suffix in ((360, 780, "phone"), (1280, 900, "desktop")):
            driver = browser(width, height)
            wait = WebDriverWait(driver, 20)
            try:
                driver.get(server.base + f"/recharge?msisdn={NUMBERS[0]}")
                grid = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "label[for=amount-5000]"))).text
                assert "送¥20.00" in grid, grid
                box = driver.find_element(By.ID, "promotions").text
                assert "新年充值送" in box and "充50送20" in box and "剩余名额 999" in box and "剩" in box, box
                driver.execute_script("document.getElementById('promotions').scrollIntoView({block: 'center'})")
                shot(driver, f"portal-promotions-{suffix}")
                page_checks(driver, width)
                driver.get(server.base + f"/receipts/{receipt_no}")
                body = driver.find_element(By.TAG_NAME, "body").text
                assert "赠送" in body and "¥20.00" in body, body
                shot(driver, f"receipt-bonus-{suffix}")
                page_checks(driver, width)
                driver.get(server.base + "/staff/signin")
                sign_in(driver, wait, "boss", PASSWORD)
                driver.get(server.base + "/staff")
                row = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "li[data-promotion=NEWYEAR]"))).text
                assert "进行中" in row and "1 笔 · ¥20.00" in row and "1,000 笔" in row and "0.1%" in row, row
                driver.execute_script("document.getElementById('promotions').scrollIntoView({block: 'start'})")
                shot(driver, f"staff-dashboard-promotions-{suffix}")
                page_checks(driver, width)
            finally:
                driver.quit()
    finally:
        server.stop()
