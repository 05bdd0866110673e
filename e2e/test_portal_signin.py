"""The sign-in journey in a real headless Chromium, with the one-time codes carried by a real
Kannel (bearerbox + smsbox) to the fake SMSC, which stands in for the subscriber's phone.

- At 360 px: /me sends a stranger to sign-in → number → code page; a wrong code is refused with the
  tries left; the code from the SMS signs in → the dashboard shows the line's masked number, stage,
  balance, deadline and keep-alive action. A second number is added with its own code; the
  dashboard lists both, soonest deadline first. Recharge history with the receipt; reminder
  preferences saved and read back through the admin API; the calendar feed holds both deadlines.
- The session cookie is HttpOnly and SameSite=Lax; sign-out ends the session on the server (the old
  cookie no longer opens /me).
- Access: another account's line pages answer 404; a stranger is sent to sign-in.
- No enumeration: an unknown number gets the same answer as a known one, and no SMS.
- CSRF: a POST without the token writes nothing and sends nothing.
Screenshots at 360 px and desktop width go to artifacts/screenshots/.
"""
import json
import os
import re
import sqlite3
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Server, get_status, navigates, signed_notification
from kannel import Kannel, wait_for
from test_portal_browser import browser, page_checks, shot

PLAN = {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}
ALICE, ALICE_SECOND, BOB, STRANGER = "13800138000", "13900139000", "13700137000", "13600136000"


@pytest.fixture
def world(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    kannel_dir = tmp_path / "kannel"
    kannel_dir.mkdir()
    server = Server(str(data))
    kannel = Kannel(str(kannel_dir), server.port)
    server.extra_env = {
        "BAOHAO_KANNEL_URL": f"http://127.0.0.1:{kannel.send}/cgi-bin/sendsms", "BAOHAO_KANNEL_USERNAME": "baohao",
        "BAOHAO_KANNEL_PASSWORD": "kannel-send-pw", "BAOHAO_KANNEL_FROM": "10086",
        "BAOHAO_SMS_CALLBACK_SECRET": "sms-callback-secret-0123456789",
        # As if behind a reverse proxy on this host: its X-Forwarded-For names the client.
        "BAOHAO_TRUSTED_PROXIES": "127.0.0.1",
    }
    try:
        kannel.start_boxes()
        kannel.start_receiver()
        server.start()
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        # Opening balances; Alice's first number is recharged ¥30.00 below.
        for number, balance in ((ALICE, 300), (ALICE_SECOND, 2000), (BOB, 800)):
            status, body = server.admin("POST", "/v1/admin/lines", {"msisdn": number, "plan": "KEEP5", "holder_name": "张三",
                                                                  "opening_balance": {"amount": balance, "currency": "CNY"}})
            assert status == 201, body
        yield server, kannel, data
    finally:
        server.stop()
        kannel.stop()


def code_for(kannel, number, count):
    """The six-digit code in the `count`-th text the phone `number` received."""
    texts = wait_for(lambda: [t for t in kannel.texts_to(number) if "验证码" in t or "code" in t][count - 1:] or None,
                     what=f"code SMS #{count} to {number}")
    return re.search(r"\b(\d{6})\b", texts[0]).group(1)


def sign_in(driver, wait, kannel, number, count):
    driver.find_element(By.ID, "msisdn").send_keys(number)
    driver.find_element(By.ID, "consent").click()
    driver.find_element(By.ID, "send-code").click()
    wait.until(EC.url_contains("/verify?c="))
    driver.find_element(By.ID, "code").send_keys(code_for(kannel, number, count))
    driver.find_element(By.ID, "verify").click()


def test_sign_in_add_a_number_and_see_only_your_own(world):
    server, kannel, data = world
    # One recharge on Alice's first number, paid, so history has a receipt.
    status, reply = server.request("POST", "/v1/recharges", {"msisdn": ALICE, "amount": {"amount": 3000, "currency": "CNY"},
                                                             "channel": "online", "payment_method": "sandbox"},
                                   {"Idempotency-Key": "signin-test-recharge"})
    assert status == 201, reply
    order = json.loads(reply)["id"]
    assert server.request("POST", "/v1/payments/sandbox/notify", *signed_notification(order, 3000))[0] == 200

    driver = browser(360, 780)
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(server.base + "/me")
        wait.until(EC.url_contains("/signin"))
        page_checks(driver, 360)
        shot(driver, "signin-phone")

        driver.find_element(By.ID, "msisdn").send_keys(ALICE)
        # PIPL: without agreeing to the user agreement and the privacy policy no code is sent. The
        # box is required in the page; a request that skips it is refused by the server too.
        assert driver.find_element(By.ID, "consent").get_attribute("required") == "true"
        driver.execute_script("document.getElementById('consent').removeAttribute('required')")
        driver.find_element(By.ID, "send-code").click()
        refused = wait.until(EC.presence_of_element_located((By.ID, "form-error"))).text
        assert refused == "请先阅读并勾选同意《用户协议》和《隐私政策》。"
        assert kannel.texts_to(ALICE) == []
        assert [a.get_attribute("href").rsplit("/", 1)[1] for a in driver.find_elements(By.CSS_SELECTOR, ".consent a")] == [
            "terms", "privacy"]
        shot(driver, "signin-consent-phone")
        driver.find_element(By.ID, "consent").click()
        driver.find_element(By.ID, "send-code").click()
        wait.until(EC.url_contains("/signin/verify?c="))
        # Where the code went (masked), and 重新获取 counts down instead of inviting a refused request.
        assert driver.find_element(By.ID, "sent-to").text == "验证码发送至 138****8000"
        again = driver.find_element(By.ID, "again")
        assert re.fullmatch(r"\d+ 秒后可重新获取", again.text) and again.get_attribute("href") is None
        page_checks(driver, 360)
        shot(driver, "signin-code-phone")
        code = code_for(kannel, ALICE, 1)
        wrong = "000000" if code != "000000" else "111111"
        driver.find_element(By.ID, "code").send_keys(wrong)
        driver.find_element(By.ID, "verify").click()
        assert "验证码不正确，还可以再试 4 次。" in wait.until(EC.presence_of_element_located((By.ID, "form-error"))).text
        driver.find_element(By.ID, "code").clear()
        driver.find_element(By.ID, "code").send_keys(code)
        driver.find_element(By.ID, "verify").click()
        wait.until(EC.url_matches(r"/me$"))

        session = next(c for c in driver.get_cookies() if c["name"] == "bh_session")
        assert session["httpOnly"] and session["sameSite"] == "Lax"
        cards = driver.find_elements(By.CSS_SELECTOR, "section.line")
        assert [c.get_attribute("aria-label") for c in cards] == ["138****8000"]
        text = cards[0].text
        assert "¥33.00" in text and "正常" in text and re.search(r"20\d\d-\d\d-\d\d", text), text
        page_checks(driver, 360)

        # Add the second number with its own code.
        driver.find_element(By.ID, "add-number").click()
        wait.until(EC.url_contains("/me/add"))
        sign_in(driver, wait, kannel, ALICE_SECOND, 1)
        wait.until(EC.url_matches(r"/me$"))
        cards = driver.find_elements(By.CSS_SELECTOR, "section.line")
        deadlines = [c.find_element(By.CSS_SELECTOR, ".deadline").text for c in cards]
        # ¥20.00 lasts four fees, ¥33.00 six: the second number's deadline comes first.
        assert [c.get_attribute("aria-label") for c in cards] == ["139****9000", "138****8000"], deadlines
        assert deadlines == sorted(deadlines) and deadlines[0] < deadlines[1]
        shot(driver, "account-phone")

        # History: the paid recharge with its receipt.
        driver.find_element(By.CSS_SELECTOR, "section.line a[href$='/reminders']")
        first_history = cards[1].find_element(By.XPATH, ".//a[contains(@href, '/me/lines/') and not(contains(@href, 'reminders'))]")
        alice_line_path = first_history.get_attribute("href").split(server.base, 1)[1]
        first_history.click()
        receipt = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "a[href^='/receipts/']")))
        assert "¥30.00" in driver.find_element(By.TAG_NAME, "table").text
        receipt_path = receipt.get_attribute("href").split(server.base, 1)[1]
        page_checks(driver, 360)

        # Reminder preferences, read back through the admin API.
        driver.get(server.base + alice_line_path + "/reminders")
        driver.find_element(By.ID, "email").click() if not driver.find_element(By.ID, "email").is_selected() else None
        driver.find_element(By.ID, "email_address").clear()
        driver.find_element(By.ID, "email_address").send_keys("owner@example.org")
        from selenium.webdriver.support.ui import Select
        Select(driver.find_element(By.ID, "time_zone")).select_by_value("Europe/London")
        page_checks(driver, 360)
        shot(driver, "reminders-phone")
        driver.find_element(By.ID, "save").click()
        wait.until(EC.presence_of_element_located((By.ID, "form-saved")))
        view = json.loads(server.admin("GET", f"/v1/admin/lines/{ALICE}/retention")[1])
        contact = view["contact"]
        assert contact["email"] == "owner@example.org" and "email" in contact["channels"] and contact["time_zone"] == "Europe/London"

        # The calendar feed: one event per number, on its deadline.
        driver.get(server.base + "/me")
        feed_url = driver.find_element(By.ID, "calendar").get_attribute("href")
        with urllib.request.urlopen(feed_url) as resp:
            assert resp.headers["Content-Type"].startswith("text/calendar")
            ics = resp.read().decode()
        assert ics.count("BEGIN:VEVENT") == 2 and "138****8000" in ics and "13800138000" not in ics
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(feed_url[:-4] + "AAAA")
        assert refused.value.code == 404
        # A new link: the old one stops working at once.
        navigates(driver, lambda: driver.find_element(By.ID, "calendar-rotate").click())
        assert driver.find_element(By.ID, "calendar-rotated").text.startswith("日历链接已更换")
        driver.execute_script("arguments[0].scrollIntoView()", driver.find_element(By.ID, "sign-out"))
        shot(driver, "account-calendar-phone")
        rotated_url = driver.find_element(By.ID, "calendar").get_attribute("href")
        assert rotated_url != feed_url
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(feed_url)
        assert refused.value.code == 404
        with urllib.request.urlopen(rotated_url) as resp:
            assert resp.status == 200

        # Desktop width, English, the same session: the dashboard.
        desktop = browser(1280, 900)
        try:
            desktop.get(server.base + "/signin?lang=en")
            desktop.add_cookie({"name": "bh_session", "value": session["value"], "path": "/"})
            desktop.get(server.base + "/me")
            assert "Keep-alive deadline" in desktop.page_source and len(desktop.find_elements(By.CSS_SELECTOR, "section.line")) == 2
            page_checks(desktop)
            shot(desktop, "account-desktop")
        finally:
            desktop.quit()

        # Sign out: the old cookie no longer opens anything.
        old_cookie = session["value"]
        driver.get(server.base + "/me")
        driver.find_element(By.ID, "sign-out-calendar").click()  # and turn the calendar link off
        driver.find_element(By.ID, "sign-out").click()
        wait.until(EC.url_matches(r"/$"))
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(rotated_url)
        assert refused.value.code == 404
        status, location, _ = get_status(server, "/me", f"bh_session={old_cookie}")
        assert status == 303 and location == "/signin"

        # Bob signs in on the same browser and cannot open Alice's pages.
        driver.get(server.base + "/signin")
        sign_in(driver, wait, kannel, BOB, 1)
        wait.until(EC.url_matches(r"/me$"))
        assert [c.get_attribute("aria-label") for c in driver.find_elements(By.CSS_SELECTOR, "section.line")] == ["137****7000"]
        for path in (alice_line_path, alice_line_path + "/reminders"):
            driver.get(server.base + path)
            assert driver.find_element(By.TAG_NAME, "h1").text == "号码不存在"
            assert "138****8000" not in driver.page_source
        status, _ = bob_post(driver, server, alice_line_path + "/reminders", {"opt_out": "on"})
        assert status == 404
        assert json.loads(server.admin("GET", f"/v1/admin/lines/{ALICE}/retention")[1])["contact"]["opted_out"] is False
        # The receipt stays reachable by its unguessable link only (as printed), never listed to Bob.
        assert receipt_path not in driver.page_source

    finally:
        driver.quit()


def redirect_request(self, *args, **kwargs):
        return None


def bob_post(driver, server, path, fields):
    """A form POST with the browser's own cookies and CSRF token, as a script on the page would send it."""
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    fields = dict(fields, csrf=cookies["bh_csrf"])
    body = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in fields.items()).encode()
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return server.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                                               "Origin": server.base})


def test_no_enumeration_and_no_code_without_csrf(world):
    server, kannel, data = world
    driver = browser(1280, 900)
    wait = WebDriverWait(driver, 20)
    try:
        answers = []
        for number in (ALICE, STRANGER):
            driver.get(server.base + "/signin")
            driver.find_element(By.ID, "msisdn").send_keys(number)
            driver.find_element(By.ID, "consent").click()
            driver.find_element(By.ID, "send-code").click()
            wait.until(EC.url_contains("/signin/verify?c="))
            answers.append(driver.find_element(By.TAG_NAME, "main").text if driver.find_elements(By.TAG_NAME, "main")
                           else driver.find_element(By.TAG_NAME, "body").text)
        # Alike but for the masked number each was sent to: nothing tells whether a number is ours.
        masked = [n[:3] + "****" + n[-4:] for n in (ALICE, STRANGER)]
        assert answers[0].replace(masked[0], "N") == answers[1].replace(masked[1], "N")
        code_for(kannel, ALICE, 1)
        assert kannel.texts_to(STRANGER) == []
        # Asking again at once: told to wait, nothing sent.
        driver.get(server.base + "/signin")
        driver.find_element(By.ID, "msisdn").send_keys(ALICE)
        driver.find_element(By.ID, "consent").click()
        driver.find_element(By.ID, "send-code").click()
        assert re.search(r"请在 \d+ 秒后再获取验证码", wait.until(EC.presence_of_element_located((By.ID, "form-error"))).text)
    finally:
        driver.quit()

    db = sqlite3.connect(str(data / "baohao.sqlite"))
    before = db.execute("SELECT COUNT(*) FROM code_challenges").fetchone()[0]
    assert before == 2
    body = f"msisdn={BOB}&consent=1".encode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert server.request("POST", "/signin", body, form)[0] == 403
    assert server.request("POST", "/signin", body + b"&csrf=forged", dict(form, Cookie="bh_csrf=other"))[0] == 403
    assert db.execute("SELECT COUNT(*) FROM code_challenges").fetchone()[0] == before
    assert kannel.texts_to(BOB) == []
    # Logs hold neither the codes' numbers in full nor the codes.
    server.stop()
    # (The start-up banner's example curl names a demo number; it is not a caller's.)
    log = "\n".join(line for line in open(data / "server.log", encoding="utf-8", errors="replace") if "try: curl" not in line)
    assert ALICE not in log and STRANGER not in log and "kannel-send-pw" not in log


def fresh_form(server):
    """A new browser: GET /signin for a CSRF cookie and its token."""
    with urllib.request.urlopen(server.base + "/signin") as resp:
        cookie = resp.headers["Set-Cookie"].split(";", 1)[0]
        token = re.search(r'name="csrf" value="([^"]+)"', resp.read().decode()).group(1)
    return cookie, token


def ask_code(server, number, forwarded_for=None):
    cookie, token = fresh_form(server)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    status, body = server.request("POST", "/signin", f"csrf={token}&msisdn={number}&consent=1".encode(), headers)
    return status, body.decode()


def test_one_client_gets_twenty_codes_an_hour_however_many_browsers(world):
    """SMS pumping: one address asking codes for many numbers, each time from a fresh browser
    (new cookies), is stopped after 20 in the hour; another address behind the same trusted proxy
    is not."""
    server, kannel, data = world
    for i in range(20):
        status, body = ask_code(server, f"1360000{i:04d}", forwarded_for="203.0.113.7")
        assert status == 200 and "输入验证码" in body, i  # (urllib followed the 303 to the code page)
    status, body = ask_code(server, "13600009999", forwarded_for="203.0.113.7")
    assert status == 429 and "验证码请求过于频繁" in body
    # A spoofed hop before the proxy's own does not help: the right-most untrusted address counts.
    assert ask_code(server, "13600009998", forwarded_for="198.51.100.1, 203.0.113.7")[0] == 429
    assert ask_code(server, "13600009997", forwarded_for="198.51.100.2")[0] == 200
    db = sqlite3.connect(str(data / "baohao.sqlite"))
    keys = [k for (k,) in db.execute("SELECT DISTINCT client_key FROM code_challenges")]
    assert len(keys) == 2 and not any("203.0.113.7" in k or "198.51" in k for k in keys)
