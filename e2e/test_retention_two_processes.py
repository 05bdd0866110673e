"""Two `baohao jobs run` processes on one PostgreSQL database at the same moment share the fee run
and the reminders without a double charge or a duplicate reminder.

6,000 lines (half opened at ¥20.00, half at ¥3.00) owe two months of fees. The same lines on a
second database are first reviewed by one process: the reference. Then two processes review the
first database at once, in batches of 50 (claimed with FOR UPDATE SKIP LOCKED), each sending its
due reminders to one signed webhook receiver. A duplicate would show as a difference from the
reference (an extra fee posting, a wrong balance, a reminder sent twice) or as a
`Baohao-Event-Id` received twice."""
import collections
import hashlib
import hmac
import http.server
import json
import os
import subprocess
import threading

from conftest import BIN, first_of_month_after, fresh_postgres_database

SECRET = "webhook-secret-two-processes-0123"
LINES = 6_000


class Receiver(http.server.BaseHTTPRequestHandler):
    events = []
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        parts = dict(p.split("=", 1) for p in self.headers["Baohao-Signature"].split(","))
        expected = hmac.new(SECRET.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(expected, parts["v1"])
        with Receiver.lock:
            Receiver.events.append((ok, self.headers["Baohao-Event-Id"], json.loads(body)["line_id"]))
        self.send_response(204 if ok else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


def query(url, sql):
    out = subprocess.run(["psql", url, "-tAc", sql], capture_output=True, text=True, check=True).stdout.strip()
    return [row.split("|") for row in out.splitlines()]


def prepare(url, directory):
    """Plan CN5 and the same LINES lines, imported as an operator would."""
    result = subprocess.run([BIN, "plans", "add", "--database-url", url, "--code", "CN5", "--name", "保号套餐 5元/月",
                             "--monthly-fee", "5.00", "--policy", "cn-keep5"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for part in range(LINES // 3000):
        path = directory / f"lines{part}.csv"
        with open(path, "w") as f:
            f.write("msisdn,plan,holder_name,opening_balance\n")
            for i in range(part * 3000, (part + 1) * 3000):
                f.write(f"1390{i:07d},CN5,用户{i},{'20.00' if i % 2 == 0 else '3.00'}\n")
        result = subprocess.run([BIN, "lines", "import", "--database-url", url, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def books(url):
    """Per number: balance, stage, fee transfers, reminders sent: what the runs decided."""
    rows = query(url, """
        SELECT l.msisdn, l.balance, l.status,
          (SELECT COUNT(*) FROM ledger_postings p JOIN ledger_transfers t ON t.id = p.transfer_id
            WHERE t.kind = 'monthly_fee' AND p.account = 'line:' || l.id),
          (SELECT string_agg(r.dedupe_key, ',' ORDER BY r.dedupe_key) FROM reminders r WHERE r.line_id = l.id AND r.status = 'sent')
        FROM lines l ORDER BY l.msisdn""")
    return {row[0]: tuple(row[1:]) for row in rows}


def test_two_runner_processes_share_the_work_without_duplicates(tmp_path, postgres_url):
    (tmp_path / "two").mkdir()
    (tmp_path / "one").mkdir()
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    env = dict(os.environ, BAOHAO_REMINDER_CHANNELS="webhook", BAOHAO_WEBHOOK_SECRET=SECRET,
               BAOHAO_WEBHOOK_URL=f"http://127.0.0.1:{receiver.server_address[1]}/hook")
    # Lines added on the test clock's 2026-11-24 owe their first fee on 1 December; on 1 January, two.
    at = first_of_month_after(months=2)
    with fresh_postgres_database() as reference_url:
        # The reference: the same lines, reviewed by one process.
        prepare(reference_url, tmp_path / "one")
        alone = subprocess.run([BIN, "jobs", "run", "--database-url", reference_url, "--at", at, "--batch-size", "50"], env=env,
                               capture_output=True, text=True, timeout=600)
        assert alone.returncode == 0, alone.stdout + alone.stderr
        reference = books(reference_url)
        reference_events = len(Receiver.events)
        Receiver.events.clear()

        prepare(postgres_url, tmp_path / "two")
        command = [BIN, "jobs", "run", "--database-url", postgres_url, "--at", at, "--batch-size", "50"]
        try:
            runners = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
            outputs = [runner.communicate(timeout=600) for runner in runners]
        finally:
            receiver.shutdown()
    for runner, (out, err) in zip(runners, outputs):
        assert runner.returncode == 0, out + err
    reviewed = [int(out.split("reviewed ")[1].split(" ")[0]) for out, _ in outputs]
    sent = [int(out.split("; sent ")[1].split(",")[0]) for out, _ in outputs]
    # Both processes did part of the work, and together every line exactly once.
    assert all(n > 0 for n in reviewed) and sum(reviewed) == LINES, outputs

    # Two processes decided exactly what one decided: the same balances, stages, fees and reminders.
    shared = books(postgres_url)
    assert len(shared) == LINES
    assert shared == reference
    fees = collections.Counter(row[2] for row in shared.values())
    assert set(fees) <= {"1", "2"} and fees["2"] >= LINES // 2, fees

    # Every reminder went out once: as many events as reminders sent, no event id twice.
    ids = [event_id for _, event_id, _ in Receiver.events]
    assert all(ok for ok, _, _ in Receiver.events)
    assert [i for i, n in collections.Counter(ids).items() if n > 1] == []
    assert len(ids) == sum(sent) == reference_events > 0, (len(ids), sent, reference_events)
    assert set(ids) == {row[0] for row in query(postgres_url, "SELECT id FROM reminders WHERE status = 'sent'")}
    # The ¥3.00 half fell into arrears: each of those lines was warned.
    warned = {line for _, _, line in Receiver.events}
    assert {row[0] for row in query(postgres_url, "SELECT id FROM lines WHERE balance < 0")} <= warned

    verify = subprocess.run([BIN, "verify", "--database-url", postgres_url], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
