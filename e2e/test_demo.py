"""`baohao serve --demo` tells the truth: every demo line has a real deadline and action under the
shipped mainland policy (the lines in arrears sit in the stage their arrears imply), and every
page carries the operator's identity, marked as an example, with a privacy policy and a user
agreement. Screenshots: demo-*.png in artifacts/screenshots/."""
import json

from selenium.webdriver.common.by import By

from conftest import Server, wait_for
from test_portal_browser import browser, page_checks, shot


def test_the_demo_shows_real_deadlines_and_an_honest_operator(tmp_path):
    server = Server(str(tmp_path), args=["--demo"])
    server.start()
    try:
        def seeded():
            status, body = server.admin("GET", "/v1/admin/lines")
            return json.loads(body)["lines"] if status == 200 else []
        assert wait_for(lambda: len(seeded()) == 5)
        lines = {line["msisdn"]: line for line in seeded()}
        assert {n: l["status"] for n, l in lines.items()} == {
            "+8613800138000": "active", "+8618612345678": "active", "+8613312345678": "suspended",
            "+8619212345678": "barred", "+447700900123": "active"}
        assert all(l["deadline"] for l in lines.values()), lines
        retention = json.loads(server.admin("GET", "/v1/admin/lines/19212345678/retention")[1])
        assert retention["action_zh"].startswith("充值至少 ¥12.00 即可恢复正常使用；请在 "), retention
        assert retention["action_zh"].endswith("前充值，否则将转为已回收"), retention

        for width, height in ((360, 780), (1280, 900)):
            driver = browser(width, height)
            try:
                driver.get(server.base + "/")
                footer = driver.find_element(By.ID, "site-footer").text
                assert "运营主体：保号演示运营方（示例，非真实企业）" in footer
                assert "客服电话：400-000-0000（演示号码 demo）" in footer and "演示站点，未备案" in footer
                assert driver.find_element(By.ID, "icp").get_attribute("href") == "https://beian.miit.gov.cn/"
                page_checks(driver, width)
                shot(driver, f"demo-home-{width}")
                driver.find_element(By.ID, "privacy-link").click()
                legal = driver.find_element(By.ID, "legal").text
                assert legal.startswith("隐私政策") and "保号演示运营方" in legal and "不出售您的个人信息" in legal
                page_checks(driver, width)
                shot(driver, f"demo-privacy-{width}")
                driver.get(server.base + "/terms?lang=en")
                assert driver.find_element(By.ID, "legal").text.startswith("User agreement")
                shot(driver, f"demo-terms-en-{width}")
                driver.get(server.base + "/recharge?msisdn=13312345678&lang=zh")
                assert "该号码目前单停" in driver.find_element(By.ID, "restore-note").text
                assert driver.find_element(By.ID, "amount-1000").is_selected()  # owes ¥3.00: 10元 restores it
                shot(driver, f"demo-suspended-confirm-{width}")
            finally:
                driver.quit()
    finally:
        server.stop()


def test_every_page_at_both_widths(tmp_path):
    """A tour of the demo's pages at 360 px and 1280 px, anonymous and signed in to the console: each
    one has labelled inputs, no sideways scrolling, readable tables and no axe-core violation
    (shot() checks), and is saved to look at as tour-<page>-<width>.png."""
    import subprocess
    from conftest import BIN
    from test_portal_browser import table_checks
    from test_staff_console import sign_in
    server = Server(str(tmp_path), args=["--demo"])
    server.start()
    try:
        password = "demo tour password 2026"
        made = subprocess.run([BIN, "staff", "add", "--data-dir", str(tmp_path), "--username", "tour", "--name", "巡检", "--role", "admin",
                               "--password-stdin"], input=password + "\n", capture_output=True, text=True, timeout=60)
        assert made.returncode == 0, made.stderr
        # The language is named on every page: a choice is remembered, and the tour switches.
        anonymous = [("home", "/?lang=zh"), ("confirm", "/recharge?msisdn=13800138000&lang=zh"),
                     ("barred-confirm", "/recharge?msisdn=19212345678&lang=zh"), ("signin", "/signin?lang=zh"), ("privacy", "/privacy?lang=zh"),
                     ("terms", "/terms?lang=zh"), ("home-en", "/?lang=en"), ("confirm-en", "/recharge?msisdn=13800138000&lang=en"),
                     ("staff-signin", "/staff/signin?lang=zh")]
        console = [("staff-dashboard", "/staff?lang=zh"), ("staff-line", "/staff/lines?msisdn=19212345678&lang=zh"),
                   ("staff-refunds", "/staff/refunds?lang=zh"), ("staff-vouchers", "/staff/vouchers?lang=zh"),
                   ("staff-partners", "/staff/partners?lang=zh"), ("staff-ivr", "/staff/ivr?lang=zh"),
                   ("staff-accounts", "/staff/accounts?lang=zh"), ("staff-shifts", "/staff/shifts?lang=zh"),
                   ("staff-dashboard-en", "/staff?lang=en"), ("staff-line-en", "/staff/lines?msisdn=19212345678&lang=en")]
        for width, height in ((360, 780), (1280, 900)):
            driver = browser(width, height)
            try:
                for name, path in anonymous:
                    driver.get(server.base + path)
                    assert driver.find_element(By.ID, "site-footer")
                    page_checks(driver, width if width == 360 else None)
                    table_checks(driver)
                    shot(driver, f"tour-{name}-{width}")
                driver.get(server.base + "/staff/signin")
                sign_in(driver, None, "tour", password)
                for name, path in console:
                    driver.get(server.base + path)
                    assert "/staff/signin" not in driver.current_url, path
                    page_checks(driver, width if width == 360 else None)
                    table_checks(driver)
                    shot(driver, f"tour-{name}-{width}")
                # No Chinese plan name or untranslated code left in the English console.
                driver.get(server.base + "/staff/lines?msisdn=19212345678&lang=en")
                text = driver.find_element(By.TAG_NAME, "main").text
                assert "保号套餐" not in text and "opening_balance" not in text, text
            finally:
                driver.quit()
    finally:
        server.stop()
