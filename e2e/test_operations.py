"""What an operator runs besides `serve`: the version, JSON logs with request ids, and online
backups of the SQLite database restored into a new data folder."""
import json
import os
import re
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import BIN, Server, cli, signed_notification

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def setup_line(server, number="13800138000"):
    assert server.admin("POST", "/v1/admin/plans", {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}})[0] == 201
    assert server.admin("POST", "/v1/admin/lines", {"msisdn": number, "plan": "KEEP5", "holder_name": "张三"})[0] == 201


def order(server, key, amount=1000, number="13800138000"):
    body = {"msisdn": number, "amount": {"amount": amount, "currency": "CNY"}, "channel": "online", "payment_method": "sandbox"}
    status, reply = server.request("POST", "/v1/recharges", body, {"Idempotency-Key": key})
    assert status == 201, reply
    return json.loads(reply)["id"]


def test_version_names_the_commit_it_was_built_from():
    result = subprocess.run([BIN, "--version"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    described = subprocess.run(["git", "-C", ROOT, "describe", "--tags", "--always", "--abbrev=12"], capture_output=True, text=True).stdout.strip()
    assert re.fullmatch(r"baohao [0-9a-f]{12}(-dirty)?\n", result.stdout), result.stdout
    assert result.stdout.split()[1].removesuffix("-dirty") == described, (result.stdout, described)


def test_json_logs_carry_the_request_id_the_client_got_and_no_number(tmp_path):
    server = Server(str(tmp_path), env={"LOG_FORMAT": "json"})
    server.start()
    try:
        setup_line(server)
        import urllib.request
        with urllib.request.urlopen(server.base + "/v1/lines/13800138000/confirm", timeout=10) as reply:
            request_id = reply.headers["X-Request-Id"]
            assert reply.status == 200
        assert request_id
    finally:
        server.stop()
    lines = open(os.path.join(str(tmp_path), "server.log"), encoding="utf-8").read().splitlines()
    # The test captures standard output (the announcements for the person starting the server) with
    # standard error (the log); every log line is one JSON object. The test clock's warning is
    # the one other line, and only under a test clock.
    others = [line for line in lines if not line.startswith("{")]
    assert all(line.startswith(("Baohao is listening on ", "  try: curl ", "warning: TEST CLOCK in use")) for line in others), others
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert all({"time", "level", "label", "message"} <= set(r) for r in records)
    assert any(r["message"] == "starting" and r.get("version") for r in records)
    mine = [r for r in records if r.get("request_id") == request_id]
    assert len(mine) == 1, mine
    assert mine[0]["message"] == "request" and mine[0]["route"] == "/v1/lines/{msisdn}/confirm" and mine[0]["method"] == "GET"
    assert mine[0]["status"] == 200 and isinstance(mine[0]["duration_ms"], (int, float))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", mine[0]["time"]), mine[0]["time"]
    assert not any("13800138000" in line for line in lines if line.startswith("{"))  # the log; stdout has a demo hint


def test_a_backup_taken_under_load_restores_with_every_acknowledged_credit(tmp_path):
    """Notifications are credited while `baohao backup` runs; the backup is restored into a new data
    folder. Every credit acknowledged before the backup began is in it, the books balance, and
    the restored folder serves. Restoring over a running server's folder is refused."""
    data = str(tmp_path / "live")
    os.makedirs(data)
    server = Server(data)
    server.start()
    try:
        setup_line(server)
        orders = [order(server, f"backup-{i:04d}") for i in range(240)]
        acknowledged_before = []
        started = threading.Event()

        def pay(index):
            body, headers = signed_notification(orders[index], 1000)
            status = server.request("POST", "/v1/payments/sandbox/notify", body, headers, timeout=30)[0]
            assert status == 200
            if not started.is_set():
                acknowledged_before.append(orders[index])

        with ThreadPoolExecutor(max_workers=8) as pool:
            first = list(pool.map(pay, range(80)))  # credited before the backup
            load = [pool.submit(pay, i) for i in range(80, 240)]  # credited while it runs
            started.set()
            backup = subprocess.run([BIN, "backup", "--data-dir", data, "--out", str(tmp_path / "copy.sqlite")],
                                    capture_output=True, text=True, timeout=120)
            for future in load:
                future.result()
        assert len(first) == 80
        assert backup.returncode == 0, backup.stderr
        assert backup.stdout.startswith("backup written: ") and "schema version" in backup.stdout
        # The same file again is refused, not overwritten.
        again = subprocess.run([BIN, "backup", "--data-dir", data, "--out", str(tmp_path / "copy.sqlite")], capture_output=True, text=True)
        assert again.returncode != 0 and "already exists" in again.stderr
        # Restoring over the running server's folder is refused and changes nothing.
        refused = subprocess.run([BIN, "restore", "--data-dir", data, "--from", str(tmp_path / "copy.sqlite"), "--replace"],
                                 capture_output=True, text=True)
        assert refused.returncode != 0 and "is running" in refused.stderr, refused.stderr
        live_balance = json.loads(server.admin("GET", "/v1/admin/lines/13800138000")[1])["balance"]["amount"]
        assert live_balance == 240 * 1000
    finally:
        server.stop()

    fresh = str(tmp_path / "restored")
    restored = subprocess.run([BIN, "restore", "--data-dir", fresh, "--from", str(tmp_path / "copy.sqlite")], capture_output=True, text=True)
    assert restored.returncode == 0, restored.stderr
    verified = subprocess.run([BIN, "verify", "--data-dir", fresh], capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    server = Server(fresh)
    server.start()
    try:
        listed = json.loads(server.admin("GET", "/v1/admin/lines/13800138000/orders?limit=1000")[1])
        credited = {o["id"] for o in listed if o["status"] == "credited"}
        assert set(acknowledged_before[:80]) <= credited and set(orders[:80]) <= credited
        balance = json.loads(server.admin("GET", "/v1/admin/lines/13800138000")[1])["balance"]["amount"]
        assert balance == len(credited) * 1000  # whatever the snapshot caught, whole credits only
        ledger = json.loads(server.admin("GET", "/v1/admin/lines/13800138000/ledger?limit=1000")[1])
        assert sorted(t["order_id"] for t in ledger if t["kind"] == "recharge") == sorted(credited)
    finally:
        server.stop()
    # A second restore over an existing database needs --replace, and keeps the old one aside.
    kept = subprocess.run([BIN, "restore", "--data-dir", fresh, "--from", str(tmp_path / "copy.sqlite")], capture_output=True, text=True)
    assert kept.returncode != 0 and "--replace" in kept.stderr
    replaced = subprocess.run([BIN, "restore", "--data-dir", fresh, "--from", str(tmp_path / "copy.sqlite"), "--replace"],
                              capture_output=True, text=True)
    assert replaced.returncode == 0, replaced.stderr
    assert any(name.startswith("baohao.sqlite.before-restore-") for name in os.listdir(fresh))
    # Not a backup at all: refused, nothing written.
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 100)
    bad = subprocess.run([BIN, "restore", "--data-dir", str(tmp_path / "other"), "--from", str(junk)], capture_output=True, text=True)
    assert bad.returncode != 0 and "not a SQLite database" in bad.stderr, bad.stderr
    assert not os.path.exists(tmp_path / "other" / "baohao.sqlite")


def test_metrics_an_operator_alerts_on(tmp_path):
    """/metrics after credits, a refused notification, a reconciler round and retention rounds:
    refusals by reason, notification-to-credit latency, group-commit batch sizes and write waits,
    reconciler asks, retention rounds, and the process's CPU, memory and descriptors."""
    import time
    import urllib.request
    from conftest import wait_for
    server = Server(str(tmp_path), env={"BAOHAO_RECONCILE_AFTER_SECONDS": "0", "BAOHAO_RECONCILE_INTERVAL_SECONDS": "5",
                                        "BAOHAO_RETENTION_INTERVAL_SECONDS": "1"})
    server.start()

    def scrape():
        status, body = server.admin("GET", "/metrics")
        assert status == 200
        return body.decode()

    def value(text, series):
        found = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(series + " ") or line.startswith(series + "{")]
        return sum(found) if found else None

    try:
        setup_line(server)
        paid = [order(server, f"metrics-{i}") for i in range(2)]
        unpaid = order(server, "metrics-unpaid")
        for order_id in paid:
            body, headers = signed_notification(order_id, 1000)
            assert server.request("POST", "/v1/payments/sandbox/notify", body, headers)[0] == 200
        body, headers = signed_notification(unpaid, 1000)
        headers["Baohao-Signature"] = headers["Baohao-Signature"].split(",v1=")[0] + ",v1=" + "0" * 64
        assert server.request("POST", "/v1/payments/sandbox/notify", body, headers)[0] == 401
        assert wait_for(lambda: (value(scrape(), "baohao_reconciler_asks_total") or 0) >= 1, 30), "the reconciler never asked"
        text = scrape()
        refusals = [line for line in text.splitlines() if line.startswith("baohao_payment_refusals_total{")]
        assert len(refusals) == 1 and 'provider="sandbox"' in refusals[0] and refusals[0].endswith(" 1"), refusals
        assert value(text, 'baohao_notification_to_credit_seconds_count{provider="sandbox"}') == 2
        assert value(text, "baohao_group_commit_batch_size_count") >= 2
        assert value(text, "baohao_db_write_wait_seconds_count") >= 2
        assert value(text, "baohao_db_batches_in_flight") is not None
        assert value(text, "baohao_reconciler_outcomes_total") >= 1
        assert value(text, "baohao_retention_runs_total") >= 1
        assert value(text, "baohao_retention_run_seconds_count") >= 1
        assert value(text, "process_resident_memory_bytes") > 1_000_000
        assert value(text, "process_open_fds") > 3 and value(text, "process_max_fds") >= value(text, "process_open_fds")
        assert value(text, "process_cpu_seconds_total") > 0
        assert abs(value(text, "process_start_time_seconds") - time.time()) < 600  # the machine's clock, not the test clock
        # Without the token: refused.
        try:
            urllib.request.urlopen(server.base + "/metrics", timeout=10)
            raise AssertionError("metrics served without a token")
        except urllib.error.HTTPError as refused:
            assert refused.code == 401
    finally:
        server.stop()


def test_long_commands_show_progress_and_import_has_no_row_cap(tmp_path):
    """`lines import` streams a file past the old 10,000-row cap, all rows or none, with progress
    and a summary on standard error; `verify` and `jobs run` report progress too, as a bar redrawn
    in place on a terminal and as plain lines otherwise."""
    import pty
    data = str(tmp_path / "data")
    assert subprocess.run([BIN, "plans", "add", "--data-dir", data, "--code", "KEEP5", "--name", "保号套餐 5元/月", "--monthly-fee", "5.00",
                           "--policy", "cn-keep5"], capture_output=True, text=True).returncode == 0
    rows = 15_000
    good = tmp_path / "lines.csv"
    good.write_text("msisdn,plan,holder_name,opening_balance\n" + "".join(f"1380{i:07d},KEEP5,用户{i},{'3.00' if i % 2 else ''}\n" for i in range(rows)),
                    encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("msisdn,plan,holder_name,opening_balance\n" + "".join(f"1390{i:07d},KEEP5,用户{i},\n" for i in range(rows))
                   + "13999999999,NOPE,坏行,\n12345,KEEP5,坏号,\n", encoding="utf-8")

    refused = subprocess.run([BIN, "lines", "import", "--data-dir", data, str(bad)], capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0
    assert f"line {rows + 2}: plan: unknown plan NOPE" in refused.stderr and f"line {rows + 3}: msisdn: invalid number" in refused.stderr, refused.stderr
    assert "lines import: nothing imported in " in refused.stderr

    imported = subprocess.run([BIN, "lines", "import", "--data-dir", data, str(good)], capture_output=True, text=True, timeout=300)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == f"imported {rows} line(s)\n"
    assert re.search(r"^lines import: 15,000 line\(s\) imported in [0-9.]+ s$", imported.stderr, re.M), imported.stderr

    verified = subprocess.run([BIN, "verify", "--data-dir", data], capture_output=True, text=True, timeout=300)
    assert verified.returncode == 0 and "OK: the books balance" in verified.stdout
    assert re.search(r"^verify: [0-9,]+ transfers, 15,000 lines checked in [0-9.]+ s$", verified.stderr, re.M), verified.stderr
    assert "\r" not in verified.stderr  # not a terminal: plain lines

    # On a terminal: the bar, redrawn in place.
    leader, follower = pty.openpty()
    run = subprocess.run([BIN, "jobs", "run", "--data-dir", data, "--at", "2026-12-01T09:00:00+08:00", "--no-send"],
                         stdout=subprocess.PIPE, stderr=follower, timeout=300)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert run.returncode == 0
    text = shown.decode()
    assert "\r\x1b[2Kjobs run: [" in text and "/15,000 lines" in text, text
    assert re.search(r"jobs run: 15,000 line\(s\) reviewed in [0-9.]+ s", text), text
    assert run.stdout.decode().startswith("reviewed 15000 line(s)")
    statement = tmp_path / "statement.csv"
    statement.write_text("provider_txn_id,order_id,amount,currency,paid_at\n", encoding="utf-8")
    settled = subprocess.run([BIN, "payments", "settle", "--data-dir", data, "--provider", "sandbox", "--day", "2026-11-24", str(statement)],
                             capture_output=True, text=True, timeout=120)
    assert settled.returncode == 0, settled.stderr
    assert settled.stdout.startswith("sandbox 2026-11-24: matched 0")
    assert re.search(r"^payments settle: 0 statement line\(s\) compared, 0 matched in [0-9.]+ s$", settled.stderr, re.M), settled.stderr


def test_secrets_can_come_from_files(tmp_path):
    """BAOHAO_ADMIN_TOKEN_FILE (and the other secrets' _FILE forms) instead of the value in the
    environment; both at once is refused at start, naming the variable and not the value."""
    import time
    import urllib.request
    from conftest import free_port
    token_file = tmp_path / "admin-token"
    token_file.write_text("file-admin-token-0123456789\n")
    env = {k: v for k, v in os.environ.items() if k != "BAOHAO_ADMIN_TOKEN"}
    env["BAOHAO_ADMIN_TOKEN_FILE"] = str(token_file)
    port = free_port()
    server = subprocess.Popen([BIN, "serve", "--data-dir", str(tmp_path / "data"), "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/admin/plans",
                                                 headers={"Authorization": "Bearer file-admin-token-0123456789"})
                with urllib.request.urlopen(request, timeout=5) as reply:
                    assert reply.status == 200
                break
            except OSError:
                assert time.time() < deadline and server.poll() is None
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    both = subprocess.run([BIN, "serve", "--data-dir", str(tmp_path / "data"), "--port", str(free_port())],
                          env=dict(env, BAOHAO_ADMIN_TOKEN="direct-secret-value-0123"), capture_output=True, text=True, timeout=30)
    assert both.returncode == 78
    assert "set BAOHAO_ADMIN_TOKEN or BAOHAO_ADMIN_TOKEN_FILE, not both" in both.stderr and "direct-secret-value" not in both.stderr
    missing = subprocess.run([BIN, "verify", "--data-dir", str(tmp_path / "data")],
                             env=dict(env, BAOHAO_ADMIN_TOKEN_FILE=str(tmp_path / "nope")), capture_output=True, text=True, timeout=30)
    assert missing.returncode == 78 and "BAOHAO_ADMIN_TOKEN_FILE: cannot read" in missing.stderr


def test_one_configuration_source_flags_over_environment_over_a_yaml_file(tmp_path):
    """`--config FILE` (YAML or JSON) holds the same settings as the environment, under the same
    names; a flag beats the environment, which beats the file; `baohao config check` says where
    each value came from and never prints a secret; a typo in the file stops the start, named."""
    import urllib.error
    import urllib.request
    secret_file = tmp_path / "metrics-token"
    secret_file.write_text("metrics-token-from-a-file-0123\n")
    config = tmp_path / "baohao.yaml"
    config.write_text(
        "confirm:\n  per_address_per_minute: 2\n"
        "support_line: 400-000-0000\n"
        "merchant_name: 文件里的商户\n"
        f"metrics:\n  token_file: {secret_file}\n")
    server = Server(str(tmp_path), env={"BAOHAO_SUPPORT_LINE": "400-111-2222"},
                    args=["--config", str(config), "--confirm-per-address-per-minute", "3"])
    server.start()
    try:
        setup_line(server)
        statuses = [server.request("GET", "/v1/lines/13800138000/confirm")[0] for _ in range(4)]
        assert statuses == [200, 200, 200, 429], statuses  # the flag's 3, not the file's 2
        status, page = server.request("GET", "/")
        page = page.decode()
        assert status == 200 and "400-111-2222" in page and "400-000-0000" not in page  # environment over file
        request = urllib.request.Request(server.base + "/metrics", headers={"Authorization": "Bearer metrics-token-from-a-file-0123"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            assert reply.status == 200  # the secret's _file form, given in the file
    finally:
        server.stop()

    checked = subprocess.run([BIN, "config", "check", "--config", str(config), "--confirm-per-address-per-minute=3"],
                             env=dict(os.environ, BAOHAO_SUPPORT_LINE="400-111-2222"), capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    lines = checked.stdout.splitlines()
    assert "confirm.per_address_per_minute = 3    (flag)" in lines
    assert "support_line = 400-111-2222    (environment)" in lines
    assert f"merchant_name = 文件里的商户    (file {config})" in lines
    assert f"metrics.token = <redacted>    (file: {secret_file})" in lines
    assert "metrics-token-from-a-file" not in checked.stdout + checked.stderr

    typo = tmp_path / "typo.json"
    typo.write_text('{"confirm": {"per_adress_per_minute": 2}, "smtp": {"port": "many"}}')
    refused = subprocess.run([BIN, "serve", "--data-dir", str(tmp_path / "other"), "--config", str(typo)],
                             capture_output=True, text=True, timeout=30)
    assert refused.returncode == 78
    assert f"Error: confirm.per_adress_per_minute in {typo}: no such setting" in refused.stderr
    assert f"Error: smtp.port in {typo}: must be a whole number" in refused.stderr
    assert not os.path.exists(tmp_path / "other")


def test_the_shipped_example_configuration_file_is_valid(tmp_path):
    """deploy/baohao.example.yaml uses only real settings, in their right forms."""
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    text = open(os.path.join(ROOT, "deploy", "baohao.example.yaml"), encoding="utf-8").read()
    for name in re.findall(r"/run/credentials/baohao\.service/([a-z-]+)", text):
        (credentials / name).write_text("a-secret-of-more-than-thirty-two-characters\n")
    config = tmp_path / "baohao.yaml"
    config.write_text(text.replace("/run/credentials/baohao.service", str(credentials)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOHAO_") and not k.startswith("LOG_")}
    checked = subprocess.run([BIN, "config", "check", "--config", str(config)], env=env, capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert "smtp.port = 587" in checked.stdout and "kannel.password = <redacted>" in checked.stdout
    listed = subprocess.run([BIN, "config", "list"], capture_output=True, text=True, timeout=30).stdout
    assert "smtp.ca_file  BAOHAO_SMTP_CA_FILE  --smtp-ca-file" in listed


def test_one_trace_runs_from_a_payment_notification_to_its_durable_commit(tmp_path):
    """With `tracing.endpoint` set, spans go over OTLP/HTTP (here JSON) to a collector: the
    notification's server span continues the caller's `traceparent`, and under it the signature
    check, the application and the group commit that made the credit durable. No phone number,
    path or query reaches the collector. Unset, nothing is exported."""
    import base64
    import http.server
    received = []

    class Collector(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, self.headers["Content-Type"], body))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    collector = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=collector.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{collector.server_address[1]}/v1/traces"
    server = Server(str(tmp_path), env={"BAOHAO_TRACING_ENDPOINT": endpoint, "BAOHAO_TRACING_PROTOCOL": "http/json",
                                        "OTEL_BSP_SCHEDULE_DELAY": "200"})
    server.start()
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    try:
        setup_line(server)
        order_id = order(server, "traced-1")
        body, headers = signed_notification(order_id, 1000)
        headers["traceparent"] = f"00-{trace_id}-00f067aa0ba902b7-01"
        assert server.request("POST", "/v1/payments/sandbox/notify", body, headers)[0] == 200
    finally:
        server.stop()  # the exporter flushes at shutdown
        collector.shutdown()
    assert received and all(path == "/v1/traces" and kind.startswith("application/json") for path, kind, _ in received)
    assert not any(b"13800138000" in payload for _, _, payload in received)

    def hex_id(value):  # OTLP/JSON ids are hex; protobuf's JSON mapping would give base64
        return value.lower() if re.fullmatch(r"[0-9a-fA-F]+", value) else base64.b64decode(value).hex()

    spans = [span for _, _, payload in received for resource in json.loads(payload)["resourceSpans"]
             for scope in resource["scopeSpans"] for span in scope["spans"]]
    ours = [s for s in spans if hex_id(s["traceId"]) == trace_id]
    by_name = {s["name"]: s for s in ours}
    assert set(by_name) == {"POST /v1/payments/{provider}/notify", "payment.verify", "payment.apply", "db.group_commit"}, sorted(by_name)
    notify = by_name["POST /v1/payments/{provider}/notify"]
    assert hex_id(notify["parentSpanId"]) == "00f067aa0ba902b7"
    assert hex_id(by_name["payment.verify"]["parentSpanId"]) == hex_id(notify["spanId"])
    assert hex_id(by_name["payment.apply"]["parentSpanId"]) == hex_id(notify["spanId"])
    assert hex_id(by_name["db.group_commit"]["parentSpanId"]) == hex_id(by_name["payment.apply"]["spanId"])
    attributes = {a["key"]: a["value"] for a in by_name["payment.apply"]["attributes"]}
    assert attributes["baohao.outcome"] == {"stringValue": "credited"}
    commit = {a["key"]: a["value"] for a in by_name["db.group_commit"]["attributes"]}
    assert commit["db.system"] == {"stringValue": "sqlite"} and int(commit["baohao.db.batch_size"]["intValue"]) >= 1
    server_attributes = {a["key"] for a in notify["attributes"]}
    assert not server_attributes & {"url.path", "url.query", "net.sock.peer.addr"}, server_attributes
