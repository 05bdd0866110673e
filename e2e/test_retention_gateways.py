"""Retention reminders through real peers, and a fee run killed midway.

- Kannel (Debian bearerbox + smsbox) with the fake SMSC (kannel-extras fakesmsc) carries the
  outbound reminder SMS, its delivery report back to Baohao, and the inbound "BAL" query whose
  answer goes back to the phone.
- aiosmtpd (a real SMTP server) receives the email reminder; the Chinese subject is decoded.
- A webhook receiver checks the HMAC signature over timestamp and body.
- `baohao jobs run` is SIGKILLed in the middle of a fee run over 20,000 lines; the rerun charges
  the rest, and no line is charged twice.
"""
import email
import email.header
import hashlib
import hmac
import http.server
import json
import mailbox
import os
import signal
import sqlite3
import subprocess
import threading
import urllib.parse

from conftest import BIN, Server, first_of_month_after, free_port, now
from kannel import SMS_SECRET, Kannel, port_open, wait_for

WEBHOOK_SECRET = "webhook-secret-0123456789abcdef"
PLAN = {"code": "CN5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}


class WebhookReceiver(http.server.BaseHTTPRequestHandler):
    events = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        parts = dict(p.split("=", 1) for p in self.headers["Baohao-Signature"].split(","))
        expected = hmac.new(WEBHOOK_SECRET.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(expected, parts["v1"]) and abs(now() - int(parts["t"])) < 300
        WebhookReceiver.events.append((ok, self.headers["Baohao-Event-Id"], json.loads(body)))
        self.send_response(204 if ok else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_reminders_by_sms_email_and_webhook_and_balance_inquiry(tmp_path):
    maildir = tmp_path / "mail"
    smtp_port = free_port()
    smtp = subprocess.Popen(
        ["python3", "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}", "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hook_port = free_port()
    hook = http.server.HTTPServer(("127.0.0.1", hook_port), WebhookReceiver)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    data = tmp_path / "data"
    data.mkdir()
    kannel_dir = tmp_path / "kannel"
    kannel_dir.mkdir()
    server = Server(str(data), env={})
    kannel = Kannel(str(kannel_dir), server.port)
    server.extra_env = {
        "BAOHAO_KANNEL_URL": f"http://127.0.0.1:{kannel.send}/cgi-bin/sendsms", "BAOHAO_KANNEL_USERNAME": "baohao",
        "BAOHAO_KANNEL_PASSWORD": "kannel-send-pw", "BAOHAO_KANNEL_FROM": "10086", "BAOHAO_SMS_CALLBACK_SECRET": SMS_SECRET,
        "BAOHAO_SMTP_HOST": "127.0.0.1", "BAOHAO_SMTP_PORT": str(smtp_port), "BAOHAO_SMTP_SECURITY": "none",
        "BAOHAO_SMTP_FROM": "reminders@baohao.example", "BAOHAO_WEBHOOK_URL": f"http://127.0.0.1:{hook_port}/hook",
        "BAOHAO_WEBHOOK_SECRET": WEBHOOK_SECRET, "BAOHAO_RETENTION_INTERVAL_SECONDS": "3600",
    }
    try:
        wait_for(lambda: port_open(smtp_port), what="aiosmtpd")
        kannel.start_boxes()
        server.start()
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        # The test clock reads 2026-11-24 (Beijing): ¥3.00 does not cover the ¥5 fee due on 1 December,
        # so the deadline is 7 days away (the 7-day reminder) and the balance is low.
        assert server.admin("POST", "/v1/admin/lines", {"msisdn": "13800138000", "plan": "CN5", "holder_name": "张三",
                                                         "opening_balance": {"amount": 300, "currency": "CNY"}})[0] == 201
        status, body = server.admin("POST", "/v1/admin/lines/13800138000/contact", {
            "channels": ["sms", "email", "webhook"], "email": "owner@example.org", "language": "zh"})
        assert status == 200, body
        # The runner in `serve` runs hourly here; the admin API runs it now, deterministically.
        status, body = server.admin("POST", "/v1/admin/jobs/run")
        assert status == 200, body
        run = json.loads(body)
        assert run["reviews"]["reviewed"] == 1 and run["reminders"]["claimed"] == 6, run
        kannel.start_phone("BAL")

        def view():
            return json.loads(server.admin("GET", "/v1/admin/lines/13800138000/retention")[1])

        # Every reminder reaches its gateway: sent (email, webhook) or delivered (SMS, by report).
        def all_sent():
            reminders = view()["reminders"]
            return reminders if reminders and all(r["status"] in ("sent", "delivered") for r in reminders) else None
        reminders = wait_for(all_sent, what="reminders sent")
        keys = {r["key"] for r in reminders}
        assert keys == {"deadline:7:suspended:2026-12-01", "low_balance:2026-12-01"}, keys
        assert {r["channel"] for r in reminders} == {"sms", "email", "webhook"}
        state = view()
        assert state["stage"] == "active" and state["policy"] == "cn-keep5@1"
        assert state["deadline"] == "2026-12-01"
        assert state["action_zh"] == "请在 2026-12-01 前充值至少 ¥2.00", state["action_zh"]

        # Email: a real SMTP server got it; the RFC 2047 subject decodes to Chinese.
        box = wait_for(lambda: list(mailbox.Maildir(str(maildir), factory=None)) or None, what="mail")
        subjects = []
        for message in box:
            raw = email.message_from_bytes(message.as_bytes())
            subjects.append(str(email.header.make_header(email.header.decode_header(raw["Subject"]))))
            assert raw["To"] == "owner@example.org"
            assert "138****8000" in raw.get_payload(decode=True).decode("utf-8")
        assert any(s.startswith("保号提醒：138****8000 将于 ") for s in subjects), subjects
        assert any(s.startswith("余额提醒：138****8000") for s in subjects), subjects

        # Webhook: signed, one event per reminder id.
        events = wait_for(lambda: WebhookReceiver.events or None, what="webhook")
        assert all(ok for ok, _, _ in events)
        assert len({event_id for _, event_id, _ in events}) == len(events)
        assert {e["msisdn"] for _, _, e in events} == {"+8613800138000"}

        # SMS: fakesmsc received the UCS-2 reminders for the number, each in concatenated parts
        # (UDH 05 00 03 ref total seq); Kannel reported delivery to Baohao.
        def sms_texts():
            parts = {}
            for line in kannel.received():
                if " udh " not in line or "13800138000" not in line:
                    continue
                body = line.split(": <", 1)[1].rstrip().rstrip(">")
                udh_text, data_text = body.split(" udh ", 1)[1].split(" data ", 1)
                decode = lambda text: urllib.parse.unquote_to_bytes(text.replace("+", "%20"))
                udh = decode(udh_text)
                parts.setdefault(udh[3], {})[udh[5]] = (udh[4], decode(data_text))
            texts = []
            for chunks in parts.values():
                total = next(iter(chunks.values()))[0]
                if len(chunks) == total:
                    texts.append(b"".join(chunks[i][1] for i in sorted(chunks)).decode("utf-16-be"))
            return texts if len(texts) >= 2 else None
        texts = wait_for(sms_texts, what="reminder SMS at the fake SMSC")
        assert any(t.startswith("【保号提醒】您的号码 138****8000 将于 ") and "当前余额 ¥3.00" in t for t in texts), texts
        assert any(t.startswith("【余额提醒】您的号码 138****8000 余额 ¥3.00") for t in texts), texts
        db = sqlite3.connect(str(data / "baohao.sqlite"))
        wait_for(lambda: db.execute("SELECT COUNT(*) FROM reminder_attempts WHERE outcome LIKE 'dlr:%'").fetchone()[0] > 0,
                 what="delivery report")

        # Inbound BAL through Kannel's get-url; the answer went back to the phone.
        answer = wait_for(lambda: [l for l in kannel.received() if "Balance ¥3.00" in l] or None, what="BAL answer")
        assert "status Active" in answer[0] and "deadline 2026-12-01" in answer[0], answer[0]

        # The operator's metrics count the reminders by channel and outcome, and the round.
        def metric(text, series):
            return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(series))
        scraped = server.admin("GET", "/metrics")[1].decode()
        assert metric(scraped, "baohao_retention_runs_total") >= 1
        assert metric(scraped, "baohao_retention_lines_reviewed_total") >= 1
        for channel in ("sms", "email", "webhook"):
            assert metric(scraped, f'baohao_reminders_total{{channel="{channel}",outcome="sent"}}') == 2, (channel, scraped)

        # Callbacks without the secret are refused.
        assert server.request("GET", "/v1/sms/inbound?from=13800138000&text=BAL&key=wrong")[0] == 401
        assert server.request("GET", "/v1/sms/dlr?reminder=rm_x&token=00&status=1")[0] == 401

        # Logs hold no secrets and no full numbers.
        server.stop()
        # (The start-up banner's example curl names a demo number; it is not a caller's.)
        log = "\n".join(line for line in open(data / "server.log", encoding="utf-8", errors="replace") if "try: curl" not in line)
        for secret in (SMS_SECRET, WEBHOOK_SECRET, "kannel-send-pw", "13800138000"):
            assert secret not in log
    finally:
        server.stop()
        kannel.stop()
        smtp.terminate()
        hook.shutdown()


def run_cli(*args, env=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=dict(os.environ, **(env or {})), timeout=600)


def test_fee_run_killed_midway_never_charges_twice(tmp_path):
    data = str(tmp_path)
    server = Server(data)
    server.start()
    try:
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
    finally:
        server.stop()
    total = 20_000
    for part in range(4):
        path = tmp_path / f"lines{part}.csv"
        with open(path, "w") as f:
            f.write("msisdn,plan,holder_name,opening_balance\n")
            for i in range(part * 5000, (part + 1) * 5000):
                f.write(f"1390{i:07d},CN5,用户{i},20.00\n")
        result = run_cli("lines", "import", "--data-dir", data, str(path))
        assert result.returncode == 0, result.stderr
    db = sqlite3.connect(os.path.join(data, "baohao.sqlite"))
    fees = lambda: db.execute("SELECT COUNT(*) FROM ledger_transfers WHERE kind = 'monthly_fee'").fetchone()[0]
    # Lines added on 2026-11-24 owe their first fee on 1 December; on 1 January every line owes two.
    at = first_of_month_after(months=2)
    assert at == "2027-01-01T09:00:00+08:00"
    proc = subprocess.Popen([BIN, "jobs", "run", "--data-dir", data, "--at", at, "--batch-size", "200", "--no-send"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for(lambda: fees() > 0, timeout=120, what="first committed batch")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    midway = fees()
    assert 0 < midway < 2 * total, f"the kill came after the run ended ({midway})"
    rerun = run_cli("jobs", "run", "--data-dir", data, "--at", at, "--no-send")
    assert rerun.returncode == 0, rerun.stderr
    again = run_cli("jobs", "run", "--data-dir", data, "--at", at, "--no-send")
    assert "0 charge(s)" in again.stdout, again.stdout
    assert fees() == 2 * total
    per_line = db.execute(
        "SELECT MIN(n), MAX(n) FROM (SELECT COUNT(*) AS n FROM ledger_postings p JOIN ledger_transfers t ON t.id = p.transfer_id "
        "WHERE t.kind = 'monthly_fee' AND p.account LIKE 'line:%' GROUP BY p.account)").fetchone()
    assert per_line == (2, 2)
    assert db.execute("SELECT COUNT(*), MIN(balance), MAX(balance) FROM lines").fetchone() == (total, 1000, 1000)
    verify = run_cli("verify", "--data-dir", data)
    assert verify.returncode == 0, verify.stdout + verify.stderr
