"""The counter channel against a real `baohao serve`: outlets and clerks made with the CLI, a
clerk's shift over the terminal API, and the receipt printed as ESC/POS bytes that an independent
decoder (escpos_decoder.py) turns back into the receipt's text, within the paper's columns; on
SQLite and PostgreSQL."""
import json
import subprocess
import urllib.request

import pytest

from conftest import ADMIN_TOKEN, BIN, Server, navigates
from escpos_decoder import columns, decode

PW = "clerk password 2026"
ID_KEY = "counter-e2e-id-hash-key-0123456789abcdef"


def run(*args, stdin=None):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=60)


def database_args(server):
    return ["--database-url", server.database_url] if server.database_url else []


@pytest.fixture
def hall(tmp_path, database_url):
    data = str(tmp_path)
    server = Server(data, database_url, env={"BAOHAO_ID_HASH_KEY": ID_KEY})
    server.start()
    try:
        plan = {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}
        assert server.admin("POST", "/v1/admin/plans", plan)[0] == 201
        status, body = server.admin("POST", "/v1/admin/lines", {"msisdn": "13800138000", "plan": "KEEP5", "holder_name": "张三",
                                                                "opening_balance": {"amount": 300, "currency": "CNY"}})
        assert status == 201, body
        added = run("outlets", "add", "--data-dir", data, *database_args(server), "--code", "BJ-XD-01", "--name", "西单营业厅", "--address", "北京市西城区西单北大街 120 号")
        assert added.returncode == 0, added.stderr
        clerk = run("staff", "add", "--data-dir", data, *database_args(server), "--username", "clerk01", "--name", "王小明", "--role", "clerk",
                    "--outlet", "BJ-XD-01", "--password-stdin", stdin=PW + "\n")
        assert clerk.returncode == 0, clerk.stderr
        status, body = server.admin("GET", "/v1/admin/channels")
        counter = next(c for c in json.loads(body) if c["channel"] == "counter")
        for key in ("channel", "version", "updated_at", "updated_by"):
            counter.pop(key, None)
        counter["enabled"] = True
        assert server.admin("PUT", "/v1/admin/channels/counter", counter)[0] == 200
        status, body = server.request("POST", "/v1/staff/tokens", {"username": "clerk01", "password": PW})
        assert status == 201, body
        yield server, {"Authorization": "Bearer " + json.loads(body)["token"]}
    finally:
        server.stop()


def raw(server, path):
    with urllib.request.urlopen(server.base + path, timeout=10) as resp:
        return resp.read(), resp.headers


def test_counter_receipt_prints_as_escpos(hall):
    server, clerk = hall
    status, body = server.request("POST", "/v1/counter/shifts", {"opening_float": {"amount": 20000, "currency": "CNY"}}, clerk)
    assert status == 201, body
    sale = {"msisdn": "13800138000", "amount": {"amount": 5000, "currency": "CNY"}, "tender": "cash",
            "tendered": {"amount": 10000, "currency": "CNY"}, "id_number": "11010519491231002X"}
    status, body = server.request("POST", "/v1/counter/sales", sale, dict(clerk, **{"Idempotency-Key": "e2e-sale-0001"}))
    assert status == 201, body
    number = json.loads(body)["receipt_no"]

    for width, cols in ((58, 32), (80, 48)):
        data, headers = raw(server, f"/receipts/{number}/escpos?width={width}")
        lines, events = decode(data)
        assert events[0] == "init" and events[-1] == "cut"
        texts = [line["text"] for line in lines]
        title = lines[0]
        assert title["text"] == "充值凭证" and title["align"] == 1 and title["double"]
        for line in lines:
            assert columns(line["text"]) * (2 if line["double"] else 1) <= cols, (width, line)
        body_text = "\n".join(texts)
        for expected in ("西单营业厅", "王小明", number, "138****8000", "现金", "￥100.00", "￥50.00", "**************002X",
                         "本凭证不是税务发票"):
            assert expected in body_text, (width, expected, body_text)
        assert "11010519491231002" not in body_text
        # Label and value share a line, the value flush right, when they fit.
        change = next(t for t in texts if t.startswith("找零"))
        assert change.endswith("￥50.00") and columns(change) == cols
        copy = headers["Baohao-Print-Copy"]
        assert ("副本" in body_text) == (copy != "1"), (copy, body_text)
    # The first printing was the original; the second (80 mm) a numbered copy.
    data, headers = raw(server, f"/receipts/{number}/escpos?width=58")
    assert headers["Baohao-Print-Copy"] == "3"
    lines, _ = decode(data)
    assert any(line["text"] == "副本 COPY（第3次打印）" and line["bold"] for line in lines)


def sign_in(driver, server, username, password):
    from selenium.webdriver.common.by import By
    driver.get(server.base + "/staff/signin")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    navigates(driver, lambda: driver.find_element(By.ID, "staff-sign-in").click())


def test_a_clerks_day_in_chromium(hall, tmp_path):
    """Open with a float, sell cash, card and an Alipay code (keyboard first), void the card sale,
    print, close with a count by denomination that is ¥0.50 short; an operator reads the Z report
    with the shortfall highlighted."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from test_portal_browser import browser, page_checks, shot

    server, _ = hall
    ops = run("staff", "add", "--data-dir", server.data_dir, *database_args(server), "--username", "ops01", "--name", "值班经理", "--role", "operator",
              "--password-stdin", stdin=PW + "\n")
    assert ops.returncode == 0, ops.stderr
    driver = browser(1280, 900)
    try:
        sign_in(driver, server, "clerk01", PW)
        assert driver.current_url.endswith("/staff/counter")
        float_input = driver.find_element(By.ID, "opening_float")
        float_input.clear()
        navigates(driver, lambda: float_input.send_keys("200", Keys.ENTER))
        assert driver.find_elements(By.ID, "sell"), driver.find_element(By.TAG_NAME, "main").text

        def sell(amount, tender, extra):
            box = driver.find_element(By.ID, "lookup-msisdn")
            box.clear()
            navigates(driver, lambda: box.send_keys("13800138000", Keys.ENTER))  # look the number up first, as at the counter
            rows = driver.find_element(By.ID, "lookup-result").text
            assert "138****8000" in rows and "*三" in rows and "张三" not in rows
            driver.find_element(By.CSS_SELECTOR, f"label[for=amount-{amount}]").click()
            driver.find_element(By.CSS_SELECTOR, f"label[for=tender-{tender}]").click()
            for field, value in extra.items():
                driver.find_element(By.ID, field).send_keys(value)
            navigates(driver, lambda: driver.find_element(By.ID, "id_number").send_keys("11010519491231002X", Keys.ENTER))
            notice = driver.find_element(By.ID, "notice").text
            assert "收款成功" in notice, driver.find_element(By.TAG_NAME, "main").text
            return notice

        assert "找零 ¥50.00" in sell(5000, "cash", {"tendered": "100"})
        sell(3000, "card", {"card_terminal_ref": "POS-7781-000123"})
        sell(2000, "alipay_code", {"payment_code": "281234567890123450"})
        page_checks(driver, 1280)
        shot(driver, "counter-sales-desktop")
        receipt_link = driver.find_element(By.ID, "print-escpos").get_attribute("href")
        data, headers = raw(server, receipt_link.replace(server.base, ""))
        lines, events = decode(data)
        assert events[-1] == "cut" and any("支付宝付款码" in line["text"] for line in lines)

        # Void the card sale (the second row from the top is the card sale: newest first).
        card_row = driver.find_elements(By.CSS_SELECTOR, "#sales tr[id^=sale-]")[1]
        assert "银行卡" in card_row.text
        navigates(driver, lambda: card_row.find_element(By.NAME, "reason").send_keys("顾客要求改用现金", Keys.ENTER))
        assert "已撤销" in driver.find_element(By.ID, "notice").text
        x = driver.find_element(By.ID, "x-report").text
        assert "¥250.00" in x, x  # expected cash: ¥200 float + ¥50 cash

        for denomination, count in (("10000", 2), ("2000", 2), ("100", 9), ("50", 1)):  # ¥249.50
            box = driver.find_element(By.ID, f"count-{denomination}")
            box.clear()
            box.send_keys(str(count))
        navigates(driver, lambda: driver.find_element(By.ID, "note").send_keys("少五角", Keys.ENTER))
        assert "/staff/shifts/" in driver.current_url
        report = driver.find_element(By.ID, "report").text
        assert "Z 报表 第 1 号" in driver.find_element(By.TAG_NAME, "h1").text
        assert "-¥0.50" in report and "¥249.50" in report, report
        shot(driver, "counter-z-report-desktop")
    finally:
        driver.quit()

    phone = browser(360, 780)
    try:
        sign_in(phone, server, "ops01", PW)
        phone.get(server.base + "/staff/counter")
        assert "仅营业员" in phone.find_element(By.TAG_NAME, "main").text  # operators never sell
        phone.get(server.base + "/staff/shifts")
        cell = phone.find_element(By.CSS_SELECTOR, "[data-over-short='-50']")
        assert "bad" in cell.get_attribute("class") and cell.text == "-¥0.50"
        page_checks(phone, 360)
        shot(phone, "counter-shifts-phone")
        navigates(phone, lambda: phone.find_element(By.PARTIAL_LINK_TEXT, "2026").click())
        assert "Z 报表 第 1 号" in phone.find_element(By.TAG_NAME, "h1").text
        shot(phone, "counter-z-report-phone")
    finally:
        phone.quit()


def test_a_cash_refund_after_the_shift_closed_is_paid_back_at_the_counter(hall):
    """A cash sale, its shift closed; an operator asks to refund ¥20 of it and an administrator
    approves (the line's balance drops at once); the clerk, in a new shift, sees it waiting in the
    counter console and pays it out: the X report shows 退款支出 and less expected cash, the order is
    partly refunded and `baohao verify` passes."""
    from selenium.webdriver.common.by import By
    from test_portal_browser import browser, page_checks, shot

    server, clerk = hall

    def call(method, path, body=None, headers=None):
        status, raw_body = server.request(method, path, body, headers)
        return status, json.loads(raw_body) if raw_body else None

    status, shift = call("POST", "/v1/counter/shifts", {"opening_float": {"amount": 10000, "currency": "CNY"}}, clerk)
    assert status == 201, shift
    sale_body = {"msisdn": "13800138000", "amount": {"amount": 5000, "currency": "CNY"}, "tender": "cash",
                 "tendered": {"amount": 5000, "currency": "CNY"}, "id_number": "11010519491231002X"}
    status, sale = call("POST", "/v1/counter/sales", sale_body, dict(clerk, **{"Idempotency-Key": "counter-refund-e2e-1"}))
    assert status == 201, sale
    status, closed = call("POST", f"/v1/counter/shifts/{shift['id']}/close", {"counted_cash": {"amount": 15000, "currency": "CNY"}}, clerk)
    assert status == 200, closed
    tokens = {}
    for username, role in (("ops02", "operator"), ("boss02", "admin")):
        added = run("staff", "add", "--data-dir", server.data_dir, *database_args(server), "--username", username, "--name", username,
                    "--role", role, "--password-stdin", stdin=PW + "\n")
        assert added.returncode == 0, added.stderr
        status, issued = call("POST", "/v1/staff/tokens", {"username": username, "password": PW})
        assert status == 201, issued
        tokens[username] = {"Authorization": "Bearer " + issued["token"]}
    status, refund = call("POST", "/v1/admin/refunds", {"order_id": sale["order_id"], "amount": {"amount": 2000, "currency": "CNY"},
                                                      "reason": "顾客多充，退 20 元"}, tokens["ops02"])
    assert status == 201, refund
    status, approved = call("POST", f"/v1/admin/refunds/{refund['id']}/approve", {"reason": "已核实"}, tokens["boss02"])
    assert status == 200 and approved["status"] == "processing" and approved["provider"] == "counter", approved
    status, refused = call("POST", f"/v1/counter/refunds/{refund['id']}/payout", None, clerk)
    assert status == 409 and refused["type"].endswith("no-open-shift"), refused
    status, reopened = call("POST", "/v1/counter/shifts", {"opening_float": {"amount": 10000, "currency": "CNY"}}, clerk)
    assert status == 201, reopened

    for width, height, suffix in ((1280, 900, "desktop"), (360, 780, "phone")):
        driver = browser(width, height)
        try:
            sign_in(driver, server, "clerk01", PW)
            waiting = driver.find_elements(By.CSS_SELECTOR, f"#payouts li[data-refund='{refund['id']}']")
            if suffix == "desktop":
                assert waiting and "¥20.00" in waiting[0].text and "138****8000" in waiting[0].text, driver.find_element(By.TAG_NAME, "main").text
                driver.execute_script("document.getElementById('payouts').scrollIntoView({block: 'start'})")
                shot(driver, "counter-refund-payout-desktop")
                page_checks(driver, width)
                navigates(driver, lambda: waiting[0].find_element(By.TAG_NAME, "button").click())
                assert "已付出" in driver.find_element(By.ID, "notice").text
            else:
                assert not waiting  # paid: nothing waits any more
            x = driver.find_element(By.ID, "x-report").text
            assert "退款支出" in x and "1 · ¥20.00" in x and "¥80.00" in x, x
            driver.execute_script("document.getElementById('x-report').scrollIntoView({block: 'start'})")
            shot(driver, f"counter-refund-x-report-{suffix}")
            page_checks(driver, width)
        finally:
            driver.quit()
    status, order = call("GET", f"/v1/recharges/{sale['order_id']}")
    assert order["status"] == "partially_refunded", order
    verified = run("verify", "--data-dir", server.data_dir, *database_args(server))
    assert verified.returncode == 0, verified.stdout + verified.stderr
