"""Recharge cards (充值卡) against a real `baohao serve`, on SQLite and PostgreSQL, and by SMS through
a real Kannel (bearerbox, smsbox and the fake SMSC standing in for the phone):

- `baohao vouchers issue` writes the PIN file once: CSV `serial,pin,face,expires`, mode 0600 with a
  warning when in clear, or encrypted to an OpenPGP recipient (decrypted here by gpg); a second
  run onto the same file is refused;
- an unsold card is refused, activation makes it redeemable, redeeming credits once, a frozen
  range is refused with the same answer, and `baohao verify` passes;
- `CZ <PIN>` from the phone: Kannel asks Baohao, the phone gets the answer (UCS-2, Chinese) with
  the amount and the receipt; Kannel's retry of the same message id redeems nothing again.
"""
import csv
import datetime
import io
import json
import os
import stat
import subprocess
import urllib.parse

from conftest import BEIJING, Server, cli, now_datetime
from kannel import SMS_SECRET, Kannel, port_open, wait_for

PLAN = {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}
NUMBER = "13800138000"


def last_day():
    return (now_datetime(BEIJING) + datetime.timedelta(days=30)).date().isoformat()


def start(tmp_path, database_url=None, env=None):
    data = tmp_path / "data"
    data.mkdir()
    server = Server(str(data), database_url, env=env)
    server.start()
    assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
    assert server.admin("POST", "/v1/admin/lines", {"msisdn": NUMBER, "plan": "KEEP5", "holder_name": "张三",
                                                    "opening_balance": {"amount": 0, "currency": "CNY"}})[0] == 201
    return server


def redeem(server, pin, number=NUMBER):
    return server.request("POST", "/v1/vouchers/redeem", {"msisdn": number, "pin": pin})


def balance(server):
    return json.loads(server.admin("GET", f"/v1/admin/lines/{NUMBER}")[1])["balance"]["amount"]


def test_issue_activate_redeem_freeze_and_verify(tmp_path, database_url):
    server = start(tmp_path, database_url)
    try:
        out = tmp_path / "batch.csv"
        issued = cli(server, "vouchers", "issue", "--face", "50.00", "--count", "200", "--expires", last_day(), "--out", str(out))
        assert issued.returncode == 0, issued.stderr
        assert "in clear" in issued.stderr and stat.S_IMODE(os.stat(out).st_mode) == 0o600
        batch = issued.stdout.split("issued batch ", 1)[1].split(":", 1)[0]
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        assert len(rows) == 200 and list(rows[0]) == ["serial", "pin", "face", "expires"]
        assert len({r["serial"] for r in rows}) == 200 and len({r["pin"] for r in rows}) == 200
        assert all(len(r["serial"]) == 17 and len(r["pin"]) == 18 and r["face"] == "50.00" and r["expires"] == last_day() for r in rows)
        again = cli(server, "vouchers", "issue", "--face", "50.00", "--count", "1", "--expires", last_day(), "--out", str(out))
        assert again.returncode != 0 and "exists" in again.stderr, again.stderr

        # Not sold yet: refused like any bad PIN. Sold: credited once.
        status, unsold = redeem(server, rows[0]["pin"])
        assert status == 422, unsold
        activated = cli(server, "vouchers", "activate", "--batch", batch)
        assert activated.returncode == 0 and "activated 200" in activated.stdout, activated.stdout + activated.stderr
        status, body = redeem(server, rows[0]["pin"].replace("", " ").strip())  # typed with spaces
        assert status == 201, body
        order = json.loads(body)
        assert order["channel"] == "voucher" and order["status"] == "credited" and order["receipt_no"], order
        assert balance(server) == 5000
        status, used = redeem(server, rows[0]["pin"])
        assert status == 422 and used == unsold

        frozen = cli(server, "vouchers", "freeze", "--from", rows[10]["serial"], "--to", rows[19]["serial"], "--reason", "运输途中失窃")
        assert frozen.returncode == 0 and "froze 10" in frozen.stdout, frozen.stdout + frozen.stderr
        status, refused = redeem(server, rows[15]["pin"])
        assert status == 422 and refused == unsold
        listed = cli(server, "vouchers", "list")
        assert "used 1" in listed.stdout and "frozen 10" in listed.stdout and "active 189" in listed.stdout, listed.stdout
        shown = cli(server, "vouchers", "show", rows[0]["serial"])
        assert "state used" in shown.stdout and "138****8000" in shown.stdout, shown.stdout
        verified = cli(server, "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        # The PINs are nowhere in the server's log.
        server.stop()
        log = (tmp_path / "data" / "server.log").read_text(errors="replace")
        assert rows[0]["pin"] not in log and rows[15]["pin"] not in log
    finally:
        server.stop()


def test_the_pin_file_is_encrypted_to_an_openpgp_recipient(tmp_path):
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    env = dict(os.environ, GNUPGHOME=str(home))
    subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Card Printer <printer@example.com>", "default", "default",
                    "never"], check=True, capture_output=True, env=env)
    public = tmp_path / "printer.pub.asc"
    public.write_bytes(subprocess.run(["gpg", "--armor", "--export", "printer@example.com"], check=True, capture_output=True, env=env).stdout)
    server = start(tmp_path)
    try:
        out = tmp_path / "batch.csv.asc"
        issued = subprocess.run(
            [os.environ["BAOHAO_BIN"], "vouchers", "issue", "--face", "30.00", "--count", "5", "--expires", last_day(), "--out", str(out),
             "--recipient", str(public), "--activate", "--data-dir", server.data_dir],
            capture_output=True, text=True, env=env, timeout=60)
        assert issued.returncode == 0, issued.stderr
        assert "in clear" not in issued.stderr and "(encrypted)" in issued.stdout
        sealed = out.read_text()
        assert sealed.startswith("-----BEGIN PGP MESSAGE-----") and "serial" not in sealed
        plain = subprocess.run(["gpg", "--batch", "--decrypt", str(out)], check=True, capture_output=True, env=env).stdout.decode()
        rows = list(csv.DictReader(io.StringIO(plain)))
        assert len(rows) == 5 and rows[0]["face"] == "30.00"
        status, body = redeem(server, rows[0]["pin"])
        assert status == 201, body
    finally:
        server.stop()


def test_cz_by_sms_through_kannel(tmp_path):
    kannel_dir = tmp_path / "kannel"
    kannel_dir.mkdir()
    data = tmp_path / "data"
    data.mkdir()
    server = Server(str(data), env={"BAOHAO_SMS_CALLBACK_SECRET": SMS_SECRET})
    kannel = Kannel(str(kannel_dir), server.port)
    try:
        kannel.start_boxes()
        server.start()
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        assert server.admin("POST", "/v1/admin/lines", {"msisdn": NUMBER, "plan": "KEEP5", "holder_name": "张三",
                                                        "opening_balance": {"amount": 0, "currency": "CNY"}})[0] == 201
        out = tmp_path / "cards.csv"
        issued = cli(server, "vouchers", "issue", "--face", "50.00", "--count", "2", "--expires", last_day(), "--out", str(out),
                     "--activate")
        assert issued.returncode == 0, issued.stderr
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        kannel.start_phone(f"CZ {rows[0]['pin']}")

        def answers():
            texts = []
            for line in kannel.received():
                if "13800138000" not in line:
                    continue
                body = line.split(": <", 1)[1].rstrip().rstrip(">")
                decode = lambda text: urllib.parse.unquote_to_bytes(text.replace("+", "%20"))
                if " udh " in body:
                    udh_text, data_text = body.split(" udh ", 1)[1].split(" data ", 1)
                    texts.append(decode(data_text).decode("utf-16-be", "replace"))
                elif " ucs-2 " in body:
                    texts.append(decode(body.split(" ucs-2 ", 1)[1]).decode("utf-16-be", "replace"))
                elif " data " in body:
                    texts.append(decode(body.split(" data ", 1)[1]).decode("utf-16-be", "replace"))
                else:
                    texts.append(body)
            joined = "".join(texts)
            return joined if "凭证号" in joined or "充值失败" in joined else None
        reply = wait_for(answers, what="the CZ answer at the phone")
        assert "充值成功" in reply and "¥50.00" in reply and "138****8000" in reply, reply
        assert json.loads(server.admin("GET", f"/v1/admin/lines/{NUMBER}")[1])["balance"]["amount"] == 5000

        # Kannel retries one message (the same %I id): the first answer again, nothing redeemed twice.
        url = (f"/v1/sms/inbound?from=%2B8613800138000&to=10086&text={urllib.parse.quote('CZ ' + rows[1]['pin'])}"
               f"&id=kannel-retry-0001&key={SMS_SECRET}")
        first = server.request("GET", url)
        second = server.request("GET", url)
        assert first[0] == 200 and first == second, (first, second)
        assert "充值成功" in first[1].decode()
        assert json.loads(server.admin("GET", f"/v1/admin/lines/{NUMBER}")[1])["balance"]["amount"] == 10000
        verified = cli(server, "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        server.stop()
        kannel.stop()


def test_a_card_in_the_portal(tmp_path):
    """The confirmation page's 使用充值卡: a wrong PIN is answered on the page, the right one goes
    to the order page, credited; at 360 px and 1280 px."""
    from selenium.webdriver.common.by import By
    from conftest import navigates
    from test_portal_browser import browser, page_checks, shot

    server = start(tmp_path)
    try:
        out = tmp_path / "cards.csv"
        issued = cli(server, "vouchers", "issue", "--face", "50.00", "--count", "2", "--expires", last_day(), "--out", str(out),
                     "--activate")
        assert issued.returncode == 0, issued.stderr
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        for index, (width, height, suffix) in enumerate(((360, 780, "phone"), (1280, 900, "desktop"))):
            driver = browser(width, height)
            try:
                driver.get(server.base + f"/recharge?msisdn={NUMBER}")
                driver.find_element(By.ID, "pin").send_keys("123456789012345678")
                navigates(driver, lambda: driver.find_element(By.ID, "redeem").click())
                error = driver.find_element(By.ID, "voucher-error").text
                assert "充值卡密码无法使用" in error, error
                driver.execute_script("document.getElementById('voucher').scrollIntoView({block: 'start'})")
                shot(driver, f"portal-voucher-{suffix}")
                page_checks(driver, width)
                driver.find_element(By.ID, "pin").send_keys(rows[index]["pin"])
                navigates(driver, lambda: driver.find_element(By.ID, "redeem").click())
                assert "/orders/" in driver.current_url
                body = driver.find_element(By.TAG_NAME, "body").text
                assert "已到账" in body and "¥50.00" in body, body
                shot(driver, f"portal-voucher-credited-{suffix}")
                page_checks(driver, width)
            finally:
                driver.quit()
        assert balance(server) == 10000
    finally:
        server.stop()


def test_cards_in_the_staff_console(tmp_path):
    """An operator sees the batch with its cards per state, looks a serial up, freezes a range
    with a reason (then the PIN is refused) and reads today's redemptions and the audit trail."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from conftest import navigates
    from test_portal_browser import browser, page_checks, shot
    from test_staff_console import sign_in

    server = start(tmp_path)
    try:
        added = cli(server, "staff", "add", "--username", "ops", "--name", "值班员", "--role", "operator", "--password-stdin",
                    stdin="voucher desk password 2026\n")
        assert added.returncode == 0, added.stderr
        out = tmp_path / "cards.csv"
        issued = cli(server, "vouchers", "issue", "--face", "100.00", "--count", "20", "--expires", last_day(), "--out", str(out),
                     "--activate")
        assert issued.returncode == 0, issued.stderr
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        assert redeem(server, rows[0]["pin"])[0] == 201
        for index, (width, height, suffix) in enumerate(((1280, 900, "desktop"), (360, 780, "phone"))):
            driver = browser(width, height)
            wait = WebDriverWait(driver, 20)
            try:
                driver.get(server.base + "/staff/signin")
                sign_in(driver, wait, "ops", "voucher desk password 2026")
                driver.get(server.base + f"/staff/vouchers?serial={rows[0]['serial']}")
                batch = driver.find_element(By.ID, "voucher-batches").text
                assert "¥100.00 × 20" in batch and "已使用 1" in batch, batch
                found = driver.find_element(By.ID, "voucher-found").text
                assert "已使用" in found and "138****8000" in found, found
                assert "1 张，合计 ¥100.00" in driver.find_element(By.ID, "redeemed-summary").text
                if index == 0:
                    driver.find_element(By.ID, "from").send_keys(rows[5]["serial"])
                    driver.find_element(By.ID, "to").send_keys(rows[9]["serial"])
                    driver.find_element(By.ID, "range-reason").send_keys("门店报失")
                    navigates(driver, lambda: driver.find_element(By.ID, "freeze-submit").click())
                    assert "已冻结 5 张" in driver.find_element(By.ID, "notice").text
                    assert "门店报失" in driver.find_element(By.ID, "voucher-events").text
                shot(driver, f"staff-vouchers-{suffix}")
                page_checks(driver, width)
            finally:
                driver.quit()
        status, body = redeem(server, rows[7]["pin"])
        assert status == 422, body
        verified = cli(server, "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        server.stop()
