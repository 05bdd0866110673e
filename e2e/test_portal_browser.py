"""The subscriber's recharge journey in a real headless Chromium (Debian chromium + chromedriver,
driven by selenium), against a real `baohao serve` with the sandbox provider.

- At phone width (360 px): number → confirmation (masked number, operator, plan, stage) → amount
  grid with the minimum stated → sandbox payment → the order page turns to 到账 by itself → receipt.
  The ledger and the line's balance are checked through the admin API afterwards.
- At desktop width, the same journey by keyboard only, in English.
- Every visible input has a label; no page scrolls sideways at 360 px.
- Forms refuse a POST without the CSRF cookie and token, or from another origin, and write nothing.

Screenshots of the main pages at both widths are saved in artifacts/screenshots/.
"""
import json
import re
import os
import urllib.error
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Server

ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "artifacts", "screenshots")
PLAN = {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}
NUMBER = "13800138000"


ANDROID_PHONE = ("Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/124.0.0.0 Mobile Safari/537.36")


def browser(width, height, user_agent=None):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={width},{height}",
                 "--lang=zh-CN"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    if width < 500:  # a desktop window cannot be narrower than 500 px: emulate the phone's viewport
        emulation = {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0}}
        if user_agent:
            emulation["userAgent"] = user_agent
        options.add_experimental_option("mobileEmulation", emulation)
    elif user_agent:
        options.add_argument(f"--user-agent={user_agent}")
    driver = webdriver.Chrome(service=ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    return driver


def shot(driver, name):
    """Saves the screenshot to look at, after axe-core has checked the page (axe_checks)."""
    axe_checks(driver, name)
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver.save_screenshot(os.path.join(ARTIFACTS, f"{name}.png"))


def page_checks(driver, width=None):
    """Every visible input is labelled; the page does not scroll sideways."""
    if width:
        assert driver.execute_script("return window.innerWidth") == width
    unlabelled = driver.execute_script("""
        return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
          .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name || e.id);""")
    assert unlabelled == [], unlabelled
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


def axe_checks(driver, name):
    """axe-core (4.12, from PyPI axe-playwright-python) finds no WCAG 2 A/AA violation on the page:
    contrast, labels, names, landmarks, language. Violations are listed by rule and element."""
    import importlib.util
    folder = importlib.util.find_spec("axe_playwright_python").submodule_search_locations[0]
    with open(os.path.join(folder, "axe.min.js"), encoding="utf-8") as f:
        driver.execute_script(f.read())
    driver.set_script_timeout(60)
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
          .then(r => done(r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').slice(0, 160))])));""")
    assert result == [], f"{name}: {result}"


def table_checks(driver):
    """Tables read well: no visible cell is narrower than its longest unbreakable token (a receipt
    number, an amount, a time); Chinese text may wrap between characters."""
    cramped = driver.execute_script("""
        const breakable = /[\\s\\u3000-\\u9fff\\uff00-\\uffef]+/;
        return [...document.querySelectorAll('td, th')].filter(c => c.offsetParent !== null).map(c => {
          const tokens = c.innerText.split(breakable).filter(Boolean);
          if (!tokens.length) return null;
          const probe = document.createElement('span');
          probe.style.whiteSpace = 'nowrap'; probe.style.font = getComputedStyle(c).font; probe.style.position = 'absolute';
          document.body.appendChild(probe);
          let widest = 0, token = '';
          for (const t of tokens) { probe.textContent = t; const w = probe.getBoundingClientRect().width; if (w > widest) { widest = w; token = t; } }
          probe.remove();
          const cs = getComputedStyle(c);
          const inner = c.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
          return inner + 1 < widest ? token + ' (' + Math.round(inner) + ' < ' + Math.round(widest) + ' px)' : null;
        }).filter(Boolean);""")
    assert cramped == [], cramped
    return True


@pytest.fixture
def server(tmp_path):
    server = Server(str(tmp_path))
    server.start()
    assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
    status, body = server.admin("POST", "/v1/admin/lines", {"msisdn": NUMBER, "plan": "KEEP5", "holder_name": "张三",
                                                          "opening_balance": {"amount": 300, "currency": "CNY"}})
    assert status == 201, body
    yield server
    server.stop()


def check_receipt_pdf(url):
    """The receipt PDF downloads as an attachment; poppler reads back its Chinese text and renders it."""
    import subprocess
    import tempfile
    with urllib.request.urlopen(url) as resp:
        assert resp.headers["Content-Type"] == "application/pdf"
        assert resp.headers["Content-Disposition"].startswith('attachment; filename="receipt-BH-')
        data = resp.read()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True)
        assert re.search(r"^Pages: +1$", info.stdout, re.M) and "Syntax Error" not in info.stderr, info.stderr
        text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True, check=True).stdout
        for expected in ("充值凭证", "Recharge receipt", "充值成功，已到账", "138****8000", "中国移动", "￥20.00", "不是税务发票"):
            assert expected in text, (expected, text)
        assert NUMBER not in text
        os.makedirs(ARTIFACTS, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "90", "-singlefile", f.name, os.path.join(ARTIFACTS, "receipt-pdf")], check=True)


def balance(server):
    return json.loads(server.admin("GET", f"/v1/admin/lines/{NUMBER}")[1])["balance"]["amount"]


def orders(server):
    return json.loads(server.admin("GET", f"/v1/admin/lines/{NUMBER}/orders")[1])


def pay_and_wait(driver, wait):
    """On the order page: pay at the sandbox, approve, and wait for 到账 / Credited."""
    wait.until(EC.element_to_be_clickable((By.ID, "pay-link"))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "button[value=approve]"))).click()
    wait.until(EC.presence_of_element_located((By.ID, "receipt-link")))


def test_recharge_journey_on_a_phone(server):
    driver = browser(360, 780)
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(server.base + "/")
        assert driver.find_element(By.TAG_NAME, "h1").text == "手机号码充值"
        page_checks(driver, 360)
        shot(driver, "phone-1-home")
        field = driver.find_element(By.ID, "msisdn")
        field.send_keys(NUMBER)
        field.submit()

        wait.until(EC.presence_of_element_located((By.ID, "confirm")))
        text = driver.find_element(By.TAG_NAME, "main").text
        assert "138****8000" in text and NUMBER not in text
        assert "中国移动" in text and "保号套餐 5元/月" in text and "正常" in text
        assert driver.find_element(By.ID, "home-province").text == "北京"  # 归属地, to catch a mistyped digit
        assert "最低充值 10元，最高 500元" in driver.find_element(By.ID, "amount-note").text
        page_checks(driver)
        driver.find_element(By.CSS_SELECTOR, "label[for=amount-2000]").click()
        shot(driver, "phone-2-confirm")
        driver.find_element(By.ID, "confirm").click()

        wait.until(EC.presence_of_element_located((By.ID, "status")))
        assert driver.find_element(By.ID, "status").text == "待支付"
        assert "¥20.00" in driver.find_element(By.TAG_NAME, "main").text
        shot(driver, "phone-3-order")
        pay_and_wait(driver, wait)
        assert driver.find_element(By.ID, "status").text == "已到账"
        shot(driver, "phone-4-credited")
        driver.find_element(By.ID, "receipt-link").click()
        receipt = wait.until(EC.presence_of_element_located((By.TAG_NAME, "main"))).text
        assert "138****8000" in receipt and "¥20.00" in receipt
        assert not driver.find_elements(By.CSS_SELECTOR, "a[href^='/v1/receipts/']")  # no JSON button for payers
        page_checks(driver)
        shot(driver, "phone-5-receipt")
        # The print button's script runs under the page's script nonce (no inline handlers allowed).
        driver.execute_script("window.print = () => { window.printed = true; }")
        driver.find_element(By.ID, "print").click()
        assert driver.execute_script("return window.printed === true")
        pdf_url = driver.find_element(By.ID, "pdf-link").get_attribute("href")
    finally:
        driver.quit()
    check_receipt_pdf(pdf_url)
    # What the ledger holds: one credited order of ¥20.00, the balance up by exactly that.
    assert balance(server) == 2300
    made = orders(server)
    assert [(o["status"], o["amount"]["amount"]) for o in made] == [("credited", 2000)]
    ledger = json.loads(server.admin("GET", f"/v1/admin/lines/{NUMBER}/ledger")[1])
    assert any(t["kind"] == "recharge" for t in ledger), ledger
    assert json.loads(server.admin("POST", "/v1/admin/verify")[1])["ok"] is True


def test_recharge_by_keyboard_in_english_on_a_desktop(server):
    driver = browser(1280, 900)
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(server.base + "/?lang=en")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Top up a phone number"
        shot(driver, "desktop-1-home")
        # The number field has focus on arrival; Enter submits.
        driver.switch_to.active_element.send_keys(NUMBER + Keys.ENTER)
        wait.until(EC.presence_of_element_located((By.ID, "confirm")))
        assert driver.find_element(By.TAG_NAME, "h1").text == "Confirm the number and choose an amount"
        assert "China Mobile" in driver.find_element(By.TAG_NAME, "main").text
        shot(driver, "desktop-2-confirm")
        # Keyboard only: the first amount is chosen; arrow to ¥20, Tab past the other-amount box to the
        # method, Tab to the button, Enter.
        driver.find_element(By.ID, "amount-1000").send_keys(Keys.ARROW_RIGHT)
        assert driver.switch_to.active_element.get_attribute("id") == "amount-2000"
        driver.switch_to.active_element.send_keys(Keys.TAB)
        assert driver.switch_to.active_element.get_attribute("id") == "custom-amount"
        driver.switch_to.active_element.send_keys(Keys.TAB)
        assert driver.switch_to.active_element.get_attribute("id") == "method-sandbox"
        driver.switch_to.active_element.send_keys(Keys.TAB)
        assert driver.switch_to.active_element.get_attribute("id") == "confirm"
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        wait.until(EC.presence_of_element_located((By.ID, "pay-link")))
        assert driver.find_element(By.ID, "status").text == "Awaiting payment"
        pay_and_wait(driver, wait)
        assert driver.find_element(By.ID, "status").text == "Credited"
        shot(driver, "desktop-3-credited")
        driver.find_element(By.ID, "receipt-link").click()
        wait.until(EC.presence_of_element_located((By.TAG_NAME, "main")))
        shot(driver, "desktop-4-receipt")
    finally:
        driver.quit()
    assert balance(server) == 2300
    assert len(orders(server)) == 1


def post_form(server, body, headers):
    request = urllib.request.Request(server.base + "/recharge", data=body.encode(), method="POST",
                                     headers=dict({"Content-Type": "application/x-www-form-urlencoded"}, **headers))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_forms_refuse_requests_without_the_token_or_from_another_site(server):
    with urllib.request.urlopen(server.base + f"/recharge?msisdn={NUMBER}", timeout=10) as response:
        cookie = response.headers["Set-Cookie"]
        page = response.read().decode()
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert f'name="csrf" value="{token}"' in page
    form = f"csrf={token}&key=web-0123456789abcdef&msisdn={NUMBER}&amount=2000&method=sandbox"
    # No cookie; a cookie with another token; the right pair from another origin or marked cross-site.
    assert post_form(server, form, {})[0] == 403
    assert post_form(server, form, {"Cookie": "bh_csrf=" + "x" * 43})[0] == 403
    assert post_form(server, form, {"Cookie": f"bh_csrf={token}", "Origin": "https://evil.example"})[0] == 403
    assert post_form(server, form, {"Cookie": f"bh_csrf={token}", "Sec-Fetch-Site": "cross-site"})[0] == 403
    assert orders(server) == []
    # The same pair from this site makes the order (the 303 leads to its page); sent twice, still one order.
    for _ in range(2):
        status, body = post_form(server, form, {"Cookie": f"bh_csrf={token}"})
        assert status == 200 and "待支付" in body, (status, body[-500:])
    assert [(o["status"], o["amount"]["amount"]) for o in orders(server)] == [("pending_payment", 2000)]


def test_back_from_the_cashier_the_page_waits_instead_of_inviting_a_second_payment(server):
    """The sandbox's notification is 10 s late: back on the order page the payer sees 支付结果确认中,
    no pay button (a way back only if they did not pay), the expiry and a timeline; when the money
    arrives the page turns to 已到账 by itself, the timeline complete."""
    from selenium.webdriver.support.ui import Select
    driver = browser(360, 780)
    wait = WebDriverWait(driver, 30)
    try:
        driver.get(server.base + f"/recharge?msisdn={NUMBER}")
        wait.until(EC.presence_of_element_located((By.ID, "confirm")))
        driver.find_element(By.CSS_SELECTOR, "label[for=amount-5000]").click()
        driver.find_element(By.ID, "confirm").click()
        wait.until(EC.element_to_be_clickable((By.ID, "pay-link"))).click()
        Select(wait.until(EC.presence_of_element_located((By.ID, "delivery")))).select_by_value("late")
        driver.find_element(By.CSS_SELECTOR, "button[value=approve]").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "status"), "支付结果确认中"))
        assert "from=cashier" in driver.current_url
        assert not driver.find_elements(By.ID, "pay-link")
        assert driver.find_element(By.ID, "not-paid").text == "还没有付款？返回支付"
        assert driver.find_element(By.ID, "waiting-note").text.startswith("正在向支付机构确认结果，请勿重复付款")
        steps = driver.find_elements(By.CSS_SELECTOR, "#timeline li")
        assert [s.get_attribute("class") for s in steps] == ["done", "", ""]
        page_checks(driver, 360)
        shot(driver, "phone-order-confirming")
        wait.until(EC.presence_of_element_located((By.ID, "receipt-link")))
        assert driver.find_element(By.ID, "status").text == "已到账"
        assert [s.get_attribute("class") for s in driver.find_elements(By.CSS_SELECTOR, "#timeline li")] == ["done", "done", "done"]
        shot(driver, "phone-order-credited-timeline")
    finally:
        driver.quit()
    assert [(o["status"], o["amount"]["amount"]) for o in orders(server)] == [("credited", 5000)]


def test_a_barred_line_paid_into_with_too_little_stays_barred_and_the_page_says_so(server):
    """双停 under cn-keep5, owing ¥12.00 for 45 days. The confirmation says the number is barred and
    that only a recharge that clears the arrears restores it, preselects 20元 (the smallest face
    value that does; the exact debt is not shown to an anonymous payer) and marks every amount
    that restores it. Paying 10元 is credited but the order page says the line is still barred;
    paying the preselected 20元 then restores it, and the page says it is in service."""
    import datetime
    from conftest import now
    barred = "19212345678"
    today = datetime.datetime.fromtimestamp(now(), datetime.timezone(datetime.timedelta(hours=8))).date()
    status, body = server.admin("POST", "/v1/admin/lines", {
        "msisdn": barred, "plan": "KEEP5", "holder_name": "赵六", "opening_balance": {"amount": -1200, "currency": "CNY"},
        "arrears_since": (today - datetime.timedelta(days=45)).isoformat()})
    assert status == 201, body
    assert server.admin("POST", "/v1/admin/jobs/run")[0] == 200
    line = json.loads(server.admin("GET", f"/v1/admin/lines/{barred}")[1])
    assert line["status"] == "barred" and line["deadline"] == (today - datetime.timedelta(days=45)).isoformat()

    def confirm(driver, wait):
        driver.get(server.base + f"/recharge?msisdn={barred}")
        wait.until(EC.presence_of_element_located((By.ID, "confirm")))

    driver = browser(360, 780)
    wait = WebDriverWait(driver, 20)
    try:
        confirm(driver, wait)
        note = driver.find_element(By.ID, "restore-note").text
        assert "该号码目前双停" in note and "只有充值金额足以结清欠费，号码才会恢复使用" in note
        assert "已为您选择可恢复使用的最小面额 20元" in note
        assert "12" not in note  # the debt itself is not told to whoever typed the number
        assert driver.find_element(By.ID, "amount-2000").is_selected()
        marked = [e.get_attribute("for") for e in driver.find_elements(By.XPATH, "//label[span[contains(@class,'restores')]]")]
        assert "amount-1000" not in marked and "amount-2000" in marked
        assert driver.find_element(By.CSS_SELECTOR, "label[for=amount-1000]").text.startswith("10元")
        page_checks(driver, 360)
        shot(driver, "phone-barred-confirm")

        # Too little: 10元 arrives, the line stays 双停, and the page says so.
        driver.find_element(By.CSS_SELECTOR, "label[for=amount-1000]").click()
        driver.find_element(By.ID, "confirm").click()
        pay_and_wait(driver, wait)
        assert driver.find_element(By.ID, "status").text == "已到账"
        state = driver.find_element(By.ID, "line-state").text
        assert state.startswith("号码状态：仍为双停") and "尚未结清欠费" in state
        assert driver.find_element(By.ID, "restore-again").text == "再次充值以恢复使用"
        shot(driver, "phone-barred-credited-still-barred")
        line = json.loads(server.admin("GET", f"/v1/admin/lines/{barred}")[1])
        assert (line["status"], line["balance"]["amount"]) == ("barred", -200)

        # Enough: back to the form from the order page; now 10元 is the smallest that restores it.
        driver.find_element(By.ID, "restore-again").click()
        wait.until(EC.presence_of_element_located((By.ID, "confirm")))
        assert driver.find_element(By.ID, "amount-1000").is_selected()
        driver.find_element(By.ID, "confirm").click()
        pay_and_wait(driver, wait)
        assert driver.find_element(By.ID, "line-state").text == "号码状态：正常，可正常使用。"
        assert not driver.find_elements(By.ID, "restore-again")
        shot(driver, "phone-barred-credited-restored")
    finally:
        driver.quit()
    line = json.loads(server.admin("GET", f"/v1/admin/lines/{barred}")[1])
    assert (line["status"], line["balance"]["amount"]) == ("active", 800)
    assert json.loads(server.admin("POST", "/v1/admin/verify")[1])["ok"] is True


def test_a_custom_whole_amount_can_be_typed(server):
    """其他金额: the online channel takes any whole amount between its bounds; a bad one is refused
    in words, with the typed value kept, and nothing is written."""
    driver = browser(1280, 900)
    wait = WebDriverWait(driver, 20)
    try:
        # A mistyped number is refused with the reason, not just 号码无效.
        driver.get(server.base + "/recharge?msisdn=1380013800")
        assert driver.find_element(By.CSS_SELECTOR, "[role=alert]").text == "号码无效：这不是手机号码（大陆手机号为 1 开头的 11 位数字）。"
        driver.get(server.base + f"/recharge?msisdn={NUMBER}")
        wait.until(EC.presence_of_element_located((By.ID, "confirm")))
        driver.find_element(By.CSS_SELECTOR, "label[for=amount-other]").click()
        driver.find_element(By.ID, "custom-amount").send_keys("3.5")
        driver.find_element(By.ID, "confirm").click()
        error = wait.until(EC.presence_of_element_located((By.ID, "form-error"))).text
        assert error == "请输入整数金额（元），如 35。"
        assert driver.find_element(By.ID, "custom-amount").get_attribute("value") == "3.5"
        assert orders(server) == []
        field = driver.find_element(By.ID, "custom-amount")
        field.clear()
        field.send_keys("35")
        driver.find_element(By.ID, "confirm").click()
        wait.until(EC.presence_of_element_located((By.ID, "pay-link")))
        assert "35元" in driver.find_element(By.TAG_NAME, "main").text
        page_checks(driver, 1280)
        shot(driver, "desktop-order-custom-amount")
    finally:
        driver.quit()
    assert [(o["status"], o["amount"]["amount"]) for o in orders(server)] == [("pending_payment", 3500)]
