"""The IVR hotline against a real `baohao serve --fastagi-port` on SQLite and PostgreSQL.

- A scripted Asterisk (fake_asterisk.py) calls over FastAGI: a recharge of the calling number paid
  with a sandbox test card, a call whose two cards are declined, a hang-up before the charge.
- Twilio's voice webhooks signed with PyPI `twilio`'s RequestValidator; the TwiML is parsed as XML;
  `<Pay>` success posted to its action URL (and retried); a forged signature refused (403).
- PCI: the test cards' numbers are in no log line and no byte of the database (the SQLite files, or
  a pg_dump of the PostgreSQL database); callers are kept masked.
- The AGI reply table the Swift parser is tested with is read the same by PyPI `panoramisk`.
- `baohao ivr prompts` writes 8 kHz 16-bit mono WAV files for every prompt (espeak-ng).
- The operator's call list in the staff console, screenshots at 360 and 1280 px.
"""
import glob
import json
import os
import shutil
import sqlite3
import subprocess
import urllib.parse
import wave
import xml.etree.ElementTree as ET

import panoramisk.utils
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from twilio.request_validator import RequestValidator

import fake_asterisk
from conftest import BIN, Server, free_port
from test_portal_browser import browser, page_checks, shot
from test_staff_console import add_staff, sign_in

PLAN = {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}
TOKEN = "twilio-auth-token-for-the-e2e-0123"
CARDS = ("4242424242424242", "4000000000000002", "4000000000009995")
ROOT = os.path.join(os.path.dirname(__file__), "..")


@pytest.fixture
def hotline(tmp_path, database_url):
    token_file = tmp_path / "twilio-token"
    token_file.write_text(TOKEN + "\n")
    agi = free_port()
    server = Server(str(tmp_path), database_url, env={"BAOHAO_TWILIO_AUTH_TOKEN_FILE": str(token_file)},
                    args=["--fastagi-port", str(agi)])
    server.extra_args += ["--public-url", server.base]
    server.start()
    try:
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        for number, balance in (("13800138000", 2350), ("13900139000", 0)):
            status, body = server.admin("POST", "/v1/admin/lines", {"msisdn": number, "plan": "KEEP5", "holder_name": "张三",
                                                                  "opening_balance": {"amount": balance, "currency": "CNY"}})
            assert status == 201, body
        rules = next(c for c in json.loads(server.admin("GET", "/v1/admin/channels")[1]) if c["channel"] == "ivr")
        assert rules["fee"] == {"kind": "percentage", "basis_points": 100, "minimum": {"amount": 50, "currency": "CNY"}, "rounding": "half_up"}
        for key in ("channel", "version", "updated_at", "updated_by"):
            rules.pop(key, None)
        rules["enabled"] = True
        assert server.admin("PUT", "/v1/admin/channels/ivr", rules)[0] == 200
        yield server, agi, tmp_path
    finally:
        server.stop()


def balance(server, msisdn):
    return json.loads(server.admin("GET", f"/v1/admin/lines/{msisdn}")[1])["balance"]["amount"]


def twilio_post(server, path, fields, signature=None):
    url = server.base + path
    signature = signature or RequestValidator(TOKEN).compute_signature(url, fields)
    body = urllib.parse.urlencode(fields).encode()
    return server.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})


def test_hotline_calls_credit_once_and_keep_no_card(hotline):
    server, agi, data = hotline
    pay = [("keys", CARDS[0]), ("keys", "1230"), ("keys", "123")]

    # Own number, ¥50: fee ¥0.50 (1 %, at least ¥0.50), total ¥50.50; 到账 and the receipt's end spelt.
    commands = fake_asterisk.call(agi, "1733040000.11", "13800138000", [("keys", "1"), ("keys", "50"), ("keys", "1"), ("keys", "1")] + pay)
    said = fake_asterisk.prompts(commands)
    assert commands[0] == "ANSWER" and commands[-1] == "HANGUP"
    assert "fee_is" in said and "total_is" in said and "recharge_succeeded" in said, said
    assert any(c.startswith("SAY ALPHA ") for c in commands)
    assert balance(server, "13800138000") == 2350 + 5000

    # Another number, two declines: nothing credited, the call ends after the second.
    declined = [("keys", CARDS[2]), ("keys", "1230"), ("keys", "123"), ("keys", "1"), ("keys", CARDS[1]), ("keys", "1230"), ("keys", "123")]
    commands = fake_asterisk.call(agi, "1733040000.12", "13800138000",
                                  [("keys", "2"), ("keys", "13900139000"), ("keys", "1"), ("keys", "30"), ("keys", "1"), ("keys", "1")] + declined)
    said = fake_asterisk.prompts(commands)
    assert "declined_insufficient_funds" in said and said[-1] == "goodbye" and commands[-1] == "HANGUP", said
    assert "SAY DIGITS 13900139000 \"0123456789*#\"" in commands
    assert balance(server, "13900139000") == 0

    # Hang-up in the middle of the card: nothing charged.
    fake_asterisk.call(agi, "1733040000.13", "13800138000", [("keys", "1"), ("keys", "20"), ("keys", "1"), ("keys", "1"), ("keys", CARDS[0]), ("hangup_line",)])
    assert balance(server, "13800138000") == 2350 + 5000

    # Twilio: a signed call pays ¥20 + ¥0.50 through <Pay>; a retried webhook changes nothing.
    sid = "CA" + "7" * 32
    base = {"AccountSid": "AC" + "1" * 32, "CallSid": sid, "From": "+8613800138000", "To": "+8695500", "CallStatus": "in-progress"}
    status, body = twilio_post(server, "/v1/ivr/twilio/voice", base)
    assert status == 200, body
    gather = ET.fromstring(body).find("Gather")
    assert gather.get("input") == "dtmf" and gather.get("numDigits") == "1" and gather.find("Say").get("language") == "cmn-CN"
    assert "欢迎致电保号自助服务热线" in gather.find("Say").text
    for digits in ("1", "20", "1", "1"):
        action = urllib.parse.urlsplit(gather.get("action"))
        status, body = twilio_post(server, action.path + "?" + action.query, dict(base, Digits=digits))
        assert status == 200, body
        gather = ET.fromstring(body).find("Gather")
        if gather is None:
            break
    pay_element = ET.fromstring(body).find("Pay")
    assert pay_element.get("chargeAmount") == "20.50" and pay_element.get("currency") == "cny"
    action = urllib.parse.urlsplit(pay_element.get("action"))
    result = dict(base, Result="success", PaymentConfirmationCode="ch_3PpE2E0001", PaymentCardNumber="xxxxxxxxxxxx4242", PaymentCardType="visa")
    first = twilio_post(server, action.path + "?" + action.query, result)
    again = twilio_post(server, action.path + "?" + action.query, result)
    assert first == again and first[0] == 200
    spoken = ET.fromstring(first[1]).find("Say").text
    assert "充值成功，已到账20元" in spoken and ET.fromstring(first[1]).find("Hangup") is not None
    assert balance(server, "13800138000") == 2350 + 5000 + 2000
    forged = twilio_post(server, "/v1/ivr/twilio/voice", dict(base, CallSid="CA" + "8" * 32), signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    assert forged[0] == 403

    assert server.admin("POST", "/v1/admin/verify")[0] == 200
    assert json.loads(server.admin("POST", "/v1/admin/verify")[1])["ok"] is True

    # PCI: no card number in the log or anywhere in the database.
    server.stop()
    server.proc.wait(timeout=30)
    logs = open(os.path.join(data, "server.log"), "rb").read()
    assert b"IVR call" in logs
    if server.database_url:
        pg_dump = shutil.which("pg_dump") or sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))[-1]
        stored = subprocess.run([pg_dump, server.database_url], capture_output=True, check=True, timeout=120).stdout
    else:
        stored = b"".join(open(f, "rb").read() for f in glob.glob(os.path.join(data, "baohao.sqlite*")))
    assert b"ivr_calls" in stored
    for card in CARDS:
        assert card.encode() not in logs and card.encode() not in stored, card
    assert b"138****8000" in stored
    if not server.database_url:
        db = sqlite3.connect(os.path.join(data, "baohao.sqlite"))
        rows = db.execute("SELECT caller_masked, outcome, card_last4 FROM ivr_calls ORDER BY started_at").fetchall()
        assert [r[1] for r in rows] == ["recharged", "declined", "hung_up", "recharged"], rows
        assert {r[0] for r in rows} == {"138****8000"} and rows[0][2] == "4242"


def test_agi_reply_table_reads_the_same_in_panoramisk():
    rows = json.load(open(os.path.join(ROOT, "Tests", "Fixtures", "agi_replies.json")))
    for row in rows:
        parsed = panoramisk.utils.parse_agi_result(row["line"])
        hangup = parsed.get("error") in ("AGIResultHangup", "AGIAppError")
        if row["line"].startswith("511"):
            # panoramisk calls 511 an unknown error; a dead channel is a hang-up to the hotline.
            assert parsed["error"] == "AGIUnknownError" and row["hangup"]
            continue
        assert hangup == row["hangup"], row
        if hangup:
            continue
        assert parsed["status_code"] == row["status"], (row, parsed)
        if row["status"] == 200:
            value, data = parsed["result"]
            # panoramisk's pattern needs a value, so `result= (timeout)` reads as ('', ''): no keys either way.
            assert value == row["result"], (row, parsed)
            assert (data or None) == row["data"] or (row["result"] == "" and data == ""), (row, parsed)
        if row["status"] == 510:
            assert parsed["error"] == "AGIInvalidCommand"
        if row["status"] == 520:
            assert parsed["error"] == "AGIUsageError"


def test_prompts_are_8khz_mono_wav(tmp_path):
    out = tmp_path / "sounds" / "baohao"
    made = subprocess.run([BIN, "ivr", "prompts", "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    for language in ("zh", "en"):
        files = sorted(glob.glob(str(out / language / "*.wav")))
        assert len(files) == 51 and str(out / language / "welcome.wav") in files
        for path in files:
            with wave.open(path) as audio:
                assert (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) == (8000, 1, 2)
                assert audio.getnframes() > 2000, path


def test_operator_reads_the_calls_in_the_console(tmp_path):
    agi = free_port()
    server = Server(str(tmp_path), args=["--fastagi-port", str(agi)])
    server.start()
    try:
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        assert server.admin("POST", "/v1/admin/lines", {"msisdn": "13800138000", "plan": "KEEP5", "holder_name": "张三",
                                                        "opening_balance": {"amount": 2350, "currency": "CNY"}})[0] == 201
        rules = next(c for c in json.loads(server.admin("GET", "/v1/admin/channels")[1]) if c["channel"] == "ivr")
        for key in ("channel", "version", "updated_at", "updated_by"):
            rules.pop(key, None)
        rules["enabled"] = True
        assert server.admin("PUT", "/v1/admin/channels/ivr", rules)[0] == 200
        fake_asterisk.call(agi, "1733040000.21", "13800138000",
                           [("keys", "1"), ("keys", "100"), ("keys", "1"), ("keys", "1"), ("keys", CARDS[0]), ("keys", "1230"), ("keys", "123")])
        fake_asterisk.call(agi, "1733040000.22", "13900139000", [("keys", "3"), ("keys", "9")])
        fake_asterisk.call(agi, "1733040000.23", "13800138000", [("silence",), ("silence",), ("silence",)])
        assert add_staff(tmp_path, "ops", "王操作", "operator", "operator password 2026").returncode == 0
        for width, height, name in ((360, 780, "staff-ivr-phone"), (1280, 900, "staff-ivr-desktop")):
            driver = browser(width, height)
            wait = WebDriverWait(driver, 20)
            try:
                driver.get(server.base + "/staff/signin")
                sign_in(driver, wait, "ops", "operator password 2026")
                driver.get(server.base + "/staff/ivr")
                table = wait.until(EC.presence_of_element_located((By.ID, "ivr-calls"))).text
                assert "充值成功" in table and "无按键超时" in table and "138****8000" in table, table
                assert "13800138000" not in driver.page_source
                paid = driver.find_element(By.CSS_SELECTOR, "li[data-call='agi:1733040000.21']")
                assert paid.find_element(By.TAG_NAME, "a").text.startswith("BH-") and "••••4242" in paid.text, paid.text
                assert "••••" not in driver.find_element(By.CSS_SELECTOR, "li[data-call='agi:1733040000.23']").text
                shot(driver, name)
                page_checks(driver, width)
            finally:
                driver.quit()
    finally:
        server.stop()
