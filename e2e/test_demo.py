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
