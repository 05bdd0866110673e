"""Staff two-step sign-in (issue 23 #2), against a real server and PyPI pyotp as the authenticator
app: an administrator is made to enrol before anything else, reads the QR code (decoded from a
screenshot with zxing-cpp) into pyotp, confirms with its code and gets 10 recovery codes once;
then every sign-in needs the app's code (each good once) or a recovery code (each good once);
the token API wants the code in the same call; an operator may choose not to enrol."""
import io
import json
import urllib.parse

import pyotp
import zxingcpp
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Server, cli, navigates, now
from test_portal_browser import browser, page_checks, shot
from test_staff_console import add_staff, sign_in

ADMIN_PW = "admin password long enough"
OPS_PW = "operator password long enough"


def post_token(server, body):
    status, reply = server.request("POST", "/v1/staff/tokens", body)
    return status, json.loads(reply)


def test_administrators_enrol_and_sign_in_with_a_second_factor(tmp_path):
    server = Server(str(tmp_path), env={"BAOHAO_ADMIN_2FA": "required"})
    server.start()
    driver = browser(360, 900)
    wait = WebDriverWait(driver, 20)
    try:
        assert add_staff(tmp_path, "admin", "李管理", "admin", ADMIN_PW).returncode == 0
        assert add_staff(tmp_path, "ops", "王操作", "operator", OPS_PW).returncode == 0
        status, problem = post_token(server, {"username": "admin", "password": ADMIN_PW})
        assert status == 403 and problem["type"].endswith("/second-factor-enrolment-required"), problem

        # The password signs in, and every console page leads to the set-up first.
        driver.get(server.base + "/staff/signin")
        sign_in(driver, wait, "admin", ADMIN_PW)
        wait.until(EC.presence_of_element_located((By.ID, "two-factor-required")))
        assert driver.current_url.endswith("/staff/2fa")
        driver.get(server.base + "/staff/lines")
        assert driver.current_url.endswith("/staff/2fa")
        qr = driver.find_element(By.ID, "totp-qr")
        page_checks(driver, 360)
        shot(driver, "staff-2fa-enrol-phone")
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot_as_png)))
        assert len(decoded) == 1, decoded
        uri = decoded[0].text
        app = pyotp.parse_uri(uri)
        assert isinstance(app, pyotp.TOTP) and app.issuer == "Baohao" and app.name == "admin"
        assert app.secret == driver.find_element(By.ID, "totp-secret").text
        assert app.secret not in (tmp_path / "baohao.sqlite").read_bytes().decode("latin-1")

        # A wrong code is refused; the app's code turns it on and shows 10 recovery codes once.
        wrong = "000000" if app.at(now()) != "000000" else "111111"
        driver.find_element(By.ID, "code").send_keys(wrong)
        navigates(driver, lambda: driver.find_element(By.ID, "two-factor-confirm").click())
        assert driver.find_element(By.ID, "form-error").text.startswith("验证码不正确")
        driver.find_element(By.ID, "code").send_keys(app.at(now()))
        navigates(driver, lambda: driver.find_element(By.ID, "two-factor-confirm").click())
        recovery = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "#recovery-codes li")]
        assert len(recovery) == 10 and len(set(recovery)) == 10, recovery
        shot(driver, "staff-2fa-recovery-phone")
        driver.get(server.base + "/staff")
        assert driver.find_element(By.TAG_NAME, "h1").text != "两步验证"
        driver.get(server.base + "/staff/2fa")
        assert "剩余恢复码 10 个" in driver.find_element(By.ID, "two-factor-enabled").text
        desktop = browser(1280, 900)
        try:
            desktop.get(server.base + "/staff/signin?lang=en")
            cookie = next(c for c in driver.get_cookies() if c["name"] == "bh_staff")
            desktop.add_cookie({"name": "bh_staff", "value": cookie["value"], "path": "/staff"})
            desktop.get(server.base + "/staff/2fa?lang=en")
            assert "10 recovery codes left" in desktop.find_element(By.ID, "two-factor-enabled").text
            page_checks(desktop)
            shot(desktop, "staff-2fa-desktop")
        finally:
            desktop.quit()
        navigates(driver, lambda: driver.find_element(By.ID, "staff-sign-out").click())

        # Password, then the app's next code (the one used to enrol is good only once).
        sign_in(driver, wait, "admin", ADMIN_PW)
        wait.until(EC.presence_of_element_located((By.ID, "code")))
        assert driver.current_url.endswith("/staff/signin/code")
        assert not [c for c in driver.get_cookies() if c["name"] == "bh_staff"]
        page_checks(driver, 360)
        shot(driver, "staff-2fa-code-phone")
        driver.find_element(By.ID, "code").send_keys(app.at(now()))
        navigates(driver, lambda: driver.find_element(By.ID, "staff-code-submit").click())
        assert driver.find_element(By.ID, "form-error").text.startswith("验证码不正确")
        driver.find_element(By.ID, "code").send_keys(app.at(now() + 30))
        navigates(driver, lambda: driver.find_element(By.ID, "staff-code-submit").click())
        assert driver.current_url.endswith("/staff") and [c for c in driver.get_cookies() if c["name"] == "bh_staff"]
        navigates(driver, lambda: driver.find_element(By.ID, "staff-sign-out").click())

        # A recovery code, once.
        for expected in ("/staff", "/staff/signin/code"):
            sign_in(driver, wait, "admin", ADMIN_PW)
            wait.until(EC.presence_of_element_located((By.ID, "code")))
            driver.find_element(By.ID, "code").send_keys(recovery[0])
            navigates(driver, lambda: driver.find_element(By.ID, "staff-code-submit").click())
            assert urllib.parse.urlsplit(driver.current_url).path == expected, driver.current_url
            if expected == "/staff":
                navigates(driver, lambda: driver.find_element(By.ID, "staff-sign-out").click())

        # The token API: a code in the same call (the app's next codes are used up; a recovery code).
        status, problem = post_token(server, {"username": "admin", "password": ADMIN_PW})
        assert status == 401 and problem["type"].endswith("/second-factor-required"), problem
        status, problem = post_token(server, {"username": "admin", "password": ADMIN_PW, "otp": app.at(now() + 30)})
        assert status == 401 and problem["type"].endswith("/invalid-credentials"), problem
        status, issued = post_token(server, {"username": "admin", "password": ADMIN_PW, "otp": recovery[1]})
        assert status == 201 and issued["role"] == "admin", issued

        # An operator need not enrol.
        status, issued = post_token(server, {"username": "ops", "password": OPS_PW})
        assert status == 201 and issued["role"] == "operator", issued

        # Phone and codes lost: an administrator's reset; the next sign-in enrols again.
        reset = cli(server, "staff", "reset-2fa", "admin")
        assert reset.returncode == 0 and "two-step sign-in removed for admin" in reset.stdout, reset.stderr
        driver.get(server.base + "/staff/signin")
        sign_in(driver, wait, "admin", ADMIN_PW)
        wait.until(EC.presence_of_element_located((By.ID, "two-factor-required")))
    finally:
        driver.quit()
        server.stop()
