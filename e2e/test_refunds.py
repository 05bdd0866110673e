"""Refunds (退费) against a real `baohao serve`, on SQLite and PostgreSQL:

- a payer pays twice for one order: the second payment is refunded automatically by the server's
  own refund job, once, though its notification arrives three times; the order stays credited
  once and shows the refund;
- maker-checker with staff tokens: an operator asks, the operator and the asker cannot approve,
  another administrator does; the line's balance drops at approval and the order is
  `partially_refunded`; `baohao verify` passes after everything.

And in the staff console (Chromium, 360 px and 1280 px): an operator requests a refund with the
form, an administrator approves it; the payer's order page shows it.
"""
import json
import time

from conftest import Server, cli, signed_notification, wait_for

PLAN = {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}
NUMBER = "13800138000"
PASSWORD = "refund desk password 2026"


def add_staff(server, username, role):
    added = cli(server, "staff", "add", "--username", username, "--name", username, "--role", role, "--password-stdin",
                stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr


def token(server, username):
    status, body = server.request("POST", "/v1/staff/tokens", {"username": username, "password": PASSWORD})
    assert status == 201, body
    return {"Authorization": "Bearer " + json.loads(body)["token"]}


def balance(server):
    return json.loads(server.admin("GET", f"/v1/admin/lines/{NUMBER}")[1])["balance"]["amount"]


def credited_order(server, key):
    status, body = server.request("POST", "/v1/recharges", {
        "msisdn": NUMBER, "amount": {"amount": 5000, "currency": "CNY"}, "channel": "online", "payment_method": "sandbox"},
        {"Idempotency-Key": key})
    assert status == 201, body
    order = json.loads(body)["id"]
    notice, headers = signed_notification(order, 5000)
    assert server.request("POST", "/v1/payments/sandbox/notify", notice, headers)[0] == 200
    return order


def start(tmp_path, database_url=None):
    server = Server(str(tmp_path), database_url)
    server.start()
    assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
    assert server.admin("POST", "/v1/admin/lines", {"msisdn": NUMBER, "plan": "KEEP5", "holder_name": "张三",
                                                    "opening_balance": {"amount": 0, "currency": "CNY"}})[0] == 201
    return server


def test_double_payment_refunded_automatically_and_maker_checker(tmp_path, database_url):
    server = start(tmp_path, database_url)
    try:
        order = credited_order(server, "refund-e2e-0001")
        # The same second payment, notified three times (the provider retries).
        notice, headers = signed_notification(order, 5000, txn="second-payment-txn")
        for _ in range(3):
            assert server.request("POST", "/v1/payments/sandbox/notify", notice, headers)[0] == 200
        assert balance(server) == 5000

        def refunded():
            listed = json.loads(server.admin("GET", "/v1/admin/refunds?status=succeeded")[1])
            return listed if listed else None
        assert wait_for(refunded), server.admin("GET", "/v1/admin/refunds")[1]
        time.sleep(6)  # another round of the refund job: still one refund
        listed = json.loads(server.admin("GET", "/v1/admin/refunds")[1])
        assert len(listed) == 1 and listed[0]["automatic"] is True and listed[0]["amount"]["amount"] == 5000, listed
        shown = json.loads(server.request("GET", f"/v1/recharges/{order}")[1])
        assert shown["status"] == "credited" and [r["status"] for r in shown["refunds"]] == ["succeeded"], shown
        assert balance(server) == 5000

        add_staff(server, "ops1", "operator")
        add_staff(server, "boss1", "admin")
        add_staff(server, "boss2", "admin")
        ops, boss1, boss2 = token(server, "ops1"), token(server, "boss1"), token(server, "boss2")
        status, body = server.request("POST", "/v1/admin/refunds", {
            "order_id": order, "amount": {"amount": 2000, "currency": "CNY"}, "reason": "用户投诉"}, ops)
        assert status == 201, body
        asked = json.loads(body)
        assert asked["status"] == "requested" and asked["requested_by"] == "ops1"
        assert server.request("POST", f"/v1/admin/refunds/{asked['id']}/approve", b"", ops)[0] == 403
        assert server.admin("POST", f"/v1/admin/refunds/{asked['id']}/approve", b"")[0] == 403
        status, body = server.request("POST", "/v1/admin/refunds", {
            "order_id": order, "amount": {"amount": 9000, "currency": "CNY"}, "reason": "too much"}, boss1)
        assert status == 422 and json.loads(body)["refundable"]["amount"] == 3000, body
        assert balance(server) == 5000
        status, body = server.request("POST", f"/v1/admin/refunds/{asked['id']}/approve", {"reason": "核实"}, boss2)
        assert status == 200 and json.loads(body)["status"] == "succeeded", body
        assert balance(server) == 3000
        assert json.loads(server.request("GET", f"/v1/recharges/{order}")[1])["status"] == "partially_refunded"
        verified = cli(server, "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        server.stop()


def test_refunds_in_the_staff_console(tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    from conftest import navigates
    from test_portal_browser import browser, page_checks, shot
    from test_staff_console import sign_in

    server = start(tmp_path)
    try:
        order = credited_order(server, "refund-console-1")
        notice, headers = signed_notification(order, 5000, txn="second-payment-console")
        assert server.request("POST", "/v1/payments/sandbox/notify", notice, headers)[0] == 200
        add_staff(server, "ops", "operator")
        add_staff(server, "boss", "admin")
        for index, (width, height, suffix) in enumerate(((360, 780, "phone"), (1280, 900, "desktop"))):
            driver = browser(width, height)
            wait = WebDriverWait(driver, 20)
            try:
                driver.get(server.base + "/staff/signin")
                sign_in(driver, wait, "ops", PASSWORD)
                driver.get(server.base + "/staff/refunds")
                driver.find_element(By.ID, "order_id").send_keys(order)
                driver.find_element(By.ID, "amount").send_keys("10")
                driver.find_element(By.ID, "reason").send_keys("用户来电投诉，退 10 元")
                navigates(driver, lambda: driver.find_element(By.ID, "refund-submit").click())
                card = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "li[data-refund]"))).text
                assert "待审批" in card and "¥10.00" in card, card
                assert not driver.find_elements(By.CSS_SELECTOR, "form.decision"), "the asker may not decide"
                driver.delete_all_cookies()
                driver.get(server.base + "/staff/signin")
                sign_in(driver, wait, "boss", PASSWORD)
                driver.get(server.base + "/staff/refunds?status=requested")
                wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.decision input[name=reason]"))).send_keys("已核实")
                shot(driver, f"staff-refunds-{suffix}")
                page_checks(driver, width)
                navigates(driver, lambda: driver.find_element(By.CSS_SELECTOR, "form.decision button[value=approve]").click())
                assert wait_for(lambda: "已退款" in driver.find_element(By.ID, "refunds").text, 10)
                assert balance(server) == 5000 - 1000 * (index + 1)
                driver.get(server.base + f"/orders/{order}")
                table = wait.until(EC.presence_of_element_located((By.ID, "refunds"))).text
                assert "¥10.00" in table and "已退款" in table, table
                if index == 1:
                    assert wait_for(lambda: "重复付款自动退款" in driver.find_element(By.ID, "refunds").text
                                    or (driver.refresh() or False), 15)
                shot(driver, f"order-refunds-{suffix}")
                page_checks(driver, width)
                navigates(driver, lambda: driver.find_element(By.CSS_SELECTOR, "#refunds a").click())
                slip = wait.until(EC.presence_of_element_located((By.ID, "status"))).find_element(By.XPATH, "..").text
                assert "退款凭证" in driver.page_source and "原充值凭证号" in slip, slip
                shot(driver, f"refund-receipt-{suffix}")
                page_checks(driver, width)
            finally:
                driver.quit()
        verified = cli(server, "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        server.stop()
