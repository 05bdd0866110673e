"""The staff console in a real headless Chromium against a real `baohao serve`.

- Staff accounts are made with the CLI (`baohao staff add --password-stdin`); the stored hash is a
  bcrypt hash that the independent PyPI `bcrypt` package verifies, and the password is nowhere in
  the database file or the log.
- An operator at 360 px: sign-in (a wrong password refused), the dashboard (today's credited
  recharges by channel and payment method, lines by stage, reclaims due, the count of rejected
  notifications but not their details), line lookup (ledger, orders with receipt, stage
  history); the staff list is refused (403).
- An administrator at desktop width sees the rejected notifications' reasons and the staff list.
- The session cookie is HttpOnly, SameSite=Strict and scoped to /staff; sign-out ends it on the
  server; five wrong passwords lock the account; a sign-in POST without the CSRF token is refused.
Screenshots go to artifacts/screenshots/.
"""
import json
import re
import sqlite3
import subprocess
import urllib.request

import bcrypt
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BIN, Server, get_status, navigates, signed_notification
from test_portal_browser import browser, page_checks, shot, table_checks

PLAN = {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}
ADMIN_PW = "admin password 2026"
OPS_PW = "operator password 2026"


def add_staff(data, username, name, role, password):
    return subprocess.run([BIN, "staff", "add", "--data-dir", str(data), "--username", username, "--name", name, "--role", role,
                           "--password-stdin"], input=password + "\n", capture_output=True, text=True, timeout=60)


@pytest.fixture
def world(tmp_path):
    server = Server(str(tmp_path))
    server.start()
    try:
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        for number, balance in (("13800138000", 300), ("13900139000", 0)):
            status, body = server.admin("POST", "/v1/admin/lines", {"msisdn": number, "plan": "KEEP5", "holder_name": "张三",
                                                                  "opening_balance": {"amount": balance, "currency": "CNY"}})
            assert status == 201, body
        status, reply = server.request("POST", "/v1/recharges", {"msisdn": "13800138000", "amount": {"amount": 3000, "currency": "CNY"},
                                                                 "channel": "online", "payment_method": "sandbox"},
                                       {"Idempotency-Key": "staff-test-recharge"})
        assert status == 201, reply
        order = json.loads(reply)["id"]
        assert server.request("POST", "/v1/payments/sandbox/notify", *signed_notification(order, 3000))[0] == 200
        # A forged notification: refused and recorded as rejected.
        body, headers = signed_notification(order, 3000, event_id="forged")
        headers["Baohao-Signature"] = headers["Baohao-Signature"][:-4] + "0000"
        assert server.request("POST", "/v1/payments/sandbox/notify", body, headers)[0] in (400, 401)

        created = add_staff(tmp_path, "admin", "李管理", "admin", ADMIN_PW)
        assert created.returncode == 0 and "added admin admin" in created.stdout, created.stderr
        assert add_staff(tmp_path, "ops", "王操作", "operator", OPS_PW).returncode == 0
        refused = add_staff(tmp_path, "weak", "弱密码", "operator", "short")
        assert refused.returncode != 0 and "at least 12 characters" in refused.stderr
        yield server, tmp_path
    finally:
        server.stop()


def sign_in(driver, wait, username, password):
    driver.find_element(By.ID, "username").clear()
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    navigates(driver, lambda: driver.find_element(By.ID, "staff-sign-in").click())


def test_operator_and_admin_consoles(world):
    server, data = world
    db = sqlite3.connect(str(data / "baohao.sqlite"))
    hashes = dict(db.execute("SELECT username, password_hash FROM staff_accounts").fetchall())
    assert set(hashes) == {"admin", "ops"}
    assert hashes["ops"].startswith("$2b$12$")
    assert bcrypt.checkpw(OPS_PW.encode(), hashes["ops"].encode()) and not bcrypt.checkpw(b"wrong", hashes["ops"].encode())
    assert bcrypt.checkpw(ADMIN_PW.encode(), hashes["admin"].encode())

    # Nothing under /staff without a session.
    for path in ("/staff", "/staff/lines?msisdn=13800138000", "/staff/accounts"):
        status, location, body = get_status(server, path)
        assert status == 303 and location == "/staff/signin" and "13800138000" not in body

    driver = browser(360, 780)
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(server.base + "/staff")
        wait.until(EC.url_contains("/staff/signin"))
        page_checks(driver, 360)
        shot(driver, "staff-signin-phone")
        sign_in(driver, wait, "ops", "not the password")
        assert wait.until(EC.presence_of_element_located((By.ID, "form-error"))).text == "用户名或密码不正确。"
        sign_in(driver, wait, "ops", OPS_PW)
        wait.until(EC.url_matches(r"/staff$"))
        cookie = next(c for c in driver.get_cookies() if c["name"] == "bh_staff")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/staff"

        today = driver.find_element(By.ID, "today").text
        assert "线上" in today and "沙箱支付" in today and "¥30.00" in today, today
        stages = {e.get_attribute("data-stage"): int(e.text) for e in driver.find_elements(By.CSS_SELECTOR, "#stages td[data-stage]")}
        assert sum(stages.values()) == 2 and stages["active"] >= 1, stages
        rejected = driver.find_element(By.ID, "rejected").text
        assert "今日 1 条" in rejected and "仅管理员可见" in rejected and "bad_signature" not in rejected
        assert driver.find_elements(By.CSS_SELECTOR, "a[href='/staff/accounts']") == []
        # The charts: SVG with axes named and the time zone stated, each with its data table.
        for chart in ("chart-credited", "chart-stages", "chart-reclaims"):
            svg = driver.find_element(By.ID, chart)
            assert svg.get_attribute("role") == "img" and svg.find_element(By.TAG_NAME, "title").get_attribute("textContent")
        assert "日期（北京时间）" in driver.find_element(By.ID, "chart-credited").get_attribute("textContent")
        credited = driver.execute_script(
            "return [...document.querySelectorAll('#chart-credited-table tr')].map(r => [...r.cells].map(c => c.textContent))")
        assert credited[0] == ["日期", "线上"] and credited[-1][1] == "30" and len(credited) == 31, credited
        stage_rows = driver.execute_script(
            "return [...document.querySelectorAll('#chart-stages-table tr')].map(r => [...r.cells].map(c => c.textContent))")
        assert stage_rows[0][:2] == ["日期", "正常"] and sum(int(v) for v in stage_rows[-1][1:]) == 2, stage_rows
        table_checks(driver)
        page_checks(driver, 360)
        shot(driver, "staff-dashboard-phone")

        # A status set by hand, and set back, is in the stage history in words.
        for status in ("suspended", "active"):
            changed = subprocess.run([BIN, "lines", "set-status", "--data-dir", str(data), "13800138000", status],
                                     capture_output=True, text=True, timeout=60)
            assert changed.returncode == 0, changed.stderr
        # Line lookup by keyboard: type the number, press Enter.
        driver.find_element(By.CSS_SELECTOR, "#staff-menu a[href='/staff/lines']").click()
        box = wait.until(EC.presence_of_element_located((By.ID, "msisdn")))
        box.send_keys("138 0013 8000", Keys.ENTER)
        summary = wait.until(EC.presence_of_element_located((By.ID, "summary"))).text
        assert "+8613800138000" in summary and "张三" in summary and "¥33.00" in summary, summary
        ledger = driver.find_element(By.ID, "ledger").text
        assert "充值" in ledger and "¥30.00" in ledger and "开户余额" in ledger, ledger
        assert "opening_balance" not in ledger and not re.search(r"\d{4}-\d\d-\d\dT\d\d:", ledger), ledger  # no codes, no UTC
        assert not driver.find_elements(By.ID, "nav-me")  # staff pages carry no subscriber menu
        assert driver.find_elements(By.CSS_SELECTOR, "#orders a[href^='/receipts/']")
        history = driver.find_element(By.ID, "stage-history").text
        assert history.count("人工调整") == 2 and "manual" not in history, history
        table_checks(driver)
        page_checks(driver, 360)
        shot(driver, "staff-line-phone")
        driver.get(server.base + "/staff/lines?msisdn=13700137000")
        assert driver.find_element(By.ID, "form-error").text == "没有这个号码。"

        # The staff list is for administrators only.
        driver.get(server.base + "/staff/accounts")
        assert driver.find_element(By.TAG_NAME, "h1").text == "无权访问" and "王操作" not in driver.page_source
        status, _, _ = get_status(server, "/staff/accounts", f"bh_staff={cookie['value']}")
        assert status == 403

        # Sign out ends the session on the server.
        driver.get(server.base + "/staff")
        driver.find_element(By.ID, "staff-sign-out").click()
        wait.until(EC.url_contains("/staff/signin"))
        assert get_status(server, "/staff", f"bh_staff={cookie['value']}")[0] == 303
    finally:
        driver.quit()

    desktop = browser(1280, 900)
    wait = WebDriverWait(desktop, 20)
    try:
        desktop.get(server.base + "/staff/signin?lang=en")
        sign_in(desktop, wait, "admin", ADMIN_PW)
        wait.until(EC.url_matches(r"/staff$"))
        rejected = desktop.find_element(By.ID, "rejected").text
        assert "1 today" in rejected and "bad_signature" in rejected, rejected
        page_checks(desktop)
        table_checks(desktop)
        shot(desktop, "staff-dashboard-desktop")
        desktop.find_element(By.CSS_SELECTOR, "a[href='/staff/accounts']").click()
        table = wait.until(EC.presence_of_element_located((By.TAG_NAME, "table"))).text
        assert "admin" in table and "ops" in table and "Operator" in table and "$2b$" not in desktop.page_source
    finally:
        desktop.quit()

    # The passwords are nowhere but as hashes.
    server.stop()
    raw = open(data / "baohao.sqlite", "rb").read() + open(data / "server.log", "rb").read()
    assert OPS_PW.encode() not in raw and ADMIN_PW.encode() not in raw


def test_lockout_and_csrf(world):
    server, data = world
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert server.request("POST", "/staff/signin", f"username=ops&password={OPS_PW}".encode(), form)[0] == 403

    driver = browser(1280, 900)
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(server.base + "/staff/signin")
        for attempt in range(5):
            sign_in(driver, wait, "ops", f"wrong password {attempt}")
            message = wait.until(EC.presence_of_element_located((By.ID, "form-error"))).text
        assert message.startswith("用户名或密码不正确"), message
        # Five wrong in a row: this browser's address waits, even with the right password...
        sign_in(driver, wait, "ops", OPS_PW)
        message = wait.until(EC.presence_of_element_located((By.ID, "form-error"))).text
        assert message.startswith("尝试次数过多，请 1 分钟后再试"), message
        assert not [c for c in driver.get_cookies() if c["name"] == "bh_staff"]
    finally:
        driver.quit()
    # ... while the owner at another address signs in: the account itself is never locked.
    assert sign_in_from(server, "127.0.0.2", "ops", OPS_PW) == (303, "/staff")
    listed = subprocess.run([BIN, "staff", "list", "--data-dir", str(data)], capture_output=True, text=True, timeout=60)
    assert "ops\toperator\tactive" in listed.stdout and "$2b$" not in listed.stdout
    # An administrator's new password ends the old one.
    reset = subprocess.run([BIN, "staff", "password", "ops", "--data-dir", str(data), "--password-stdin"],
                           input="a brand new password\n", capture_output=True, text=True, timeout=60)
    assert reset.returncode == 0, reset.stderr
    assert sign_in_from(server, "127.0.0.3", "ops", OPS_PW)[0] == 401
    assert sign_in_from(server, "127.0.0.3", "ops", "a brand new password") == (303, "/staff")


def sign_in_from(server, source, username, password):
    """(status, Location) of a console sign-in sent from the local address `source`."""
    import http.client
    import re
    import urllib.parse
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20, source_address=(source, 0))
    try:
        connection.request("GET", "/staff/signin")
        page = connection.getresponse()
        html = page.read().decode()
        cookie = "; ".join(header.split(";", 1)[0] for name, header in page.getheaders() if name.lower() == "set-cookie")
        token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
        form = urllib.parse.urlencode({"csrf": token, "username": username, "password": password})
        connection.request("POST", "/staff/signin", form, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        answer = connection.getresponse()
        answer.read()
        return answer.status, answer.getheader("Location")
    finally:
        connection.close()
