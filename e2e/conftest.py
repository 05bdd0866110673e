"""Shared helpers for the Python tests: the built `baohao` binary, a server process, and the
test clock every process of a test reads instead of the calendar."""
import contextlib
import datetime
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import pytest

BIN = os.environ.get("BAOHAO_BIN", os.path.join(os.path.dirname(__file__), "..", ".build", "debug", "baohao"))
SANDBOX_SECRET = "process-test-sandbox-secret-0123"
ADMIN_TOKEN = "process-test-admin-token"


# --- the test clock ---------------------------------------------------------------------------
# No test may depend on the day it runs. Every `baohao` process a test starts inherits
# BAOHAO_TEST_NOW (an instant) and BAOHAO_TEST_NOW_SET_AT (the real Unix time at which it was that
# instant), so the server, the CLI and this file's helpers share one timeline that starts on a
# chosen day and runs at the real rate. `pin_clock` moves a test to an awkward day.

# A Tuesday afternoon in Beijing, a week before the next fee day and far from a month's end.
DEFAULT_NOW = "2026-11-24T14:00:00+08:00"


def parse_instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def set_clock(instant):
    """Every process started from now on reads `instant` now, and runs on from it."""
    os.environ["BAOHAO_TEST_NOW"] = instant
    os.environ["BAOHAO_TEST_NOW_SET_AT"] = repr(time.time())
    os.environ["BAOHAO_ALLOW_TEST_CLOCK"] = "1"


def now():
    """The current instant on the test clock, as Unix seconds: what `baohao` processes read."""
    return parse_instant(os.environ["BAOHAO_TEST_NOW"]) + time.time() - float(os.environ["BAOHAO_TEST_NOW_SET_AT"])


def now_datetime(zone=datetime.timezone.utc):
    return datetime.datetime.fromtimestamp(now(), zone)


BEIJING = datetime.timezone(datetime.timedelta(hours=8))
set_clock(DEFAULT_NOW)


@pytest.fixture(autouse=True)
def default_clock():
    """Each test starts on DEFAULT_NOW, whatever an earlier test pinned."""
    set_clock(DEFAULT_NOW)
    yield
    set_clock(DEFAULT_NOW)


def first_of_month_after(months, hour=9):
    """9:00 Beijing time on the 1st, `months` months after today on the test clock (RFC 3339)."""
    today = now_datetime(BEIJING)
    month = today.month - 1 + months
    return f"{today.year + month // 12:04d}-{month % 12 + 1:02d}-01T{hour:02d}:00:00+08:00"


def pin_clock(instant):
    """Moves the test clock to `instant` (RFC 3339) for the processes started after this call."""
    set_clock(instant)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real `baohao serve` process on 127.0.0.1."""

    def __init__(self, data_dir, database_url=None, env=None, args=None, preexec=None):
        self.preexec = preexec
        self.data_dir = data_dir
        self.database_url = database_url
        self.extra_env = env or {}
        self.extra_args = args or []
        self.port = free_port()
        self.proc = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        # A test system: the sandbox is asked for by name, also beside the fake real providers.
        env = dict(os.environ, BAOHAO_SANDBOX_SECRET=SANDBOX_SECRET, BAOHAO_SANDBOX_ENABLED="1", BAOHAO_SANDBOX_WITH_REAL_PROVIDERS="1",
                   BAOHAO_ADMIN_TOKEN=ADMIN_TOKEN, LOG_LEVEL="info",
                   # Tests order many times for one number from one address; test_hardening sets the limits.
                   BAOHAO_PENDING_ORDERS_PER_NUMBER="0", BAOHAO_ORDERS_PER_ADDRESS_PER_HOUR="100000000",
                   # Console tests sign administrators in with a password; test_staff_two_factor runs the default.
                   BAOHAO_ADMIN_2FA="optional")
        env.update(self.extra_env)
        args = [BIN, "serve", "--port", str(self.port), "--data-dir", self.data_dir]
        if self.database_url:
            args += ["--database-url", self.database_url]
        args += self.extra_args
        self.log = open(os.path.join(self.data_dir, "server.log"), "ab")
        self.proc = subprocess.Popen(args, env=env, stdout=self.log, stderr=self.log, preexec_fn=self.preexec)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if self.request("GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("server exited at start")
            time.sleep(0.1)
        raise RuntimeError("server did not become ready")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.log.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if not self.log.closed:
            self.log.close()

    def request(self, method, path, body=None, headers=None, timeout=10):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        if data is not None and "Content-Type" not in (headers or {}):
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def admin(self, method, path, body=None):
        return self.request(method, path, body, {"Authorization": f"Bearer {ADMIN_TOKEN}"})


def cli(server, *args, stdin=None):
    """`baohao ARGS` against the server's data directory (and database, on PostgreSQL)."""
    command = [BIN, *args, "--data-dir", server.data_dir]
    if server.database_url:
        command += ["--database-url", server.database_url]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, input=stdin)


def wait_for(condition, seconds=30):
    """Polls `condition` every 0.2 s for up to `seconds` (real time: it waits for processes)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get_status(server, path, cookie=None):
    """GET without following redirects: (status, Location, body)."""
    req = urllib.request.Request(server.base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(req) as resp:
            return resp.status, resp.headers.get("Location"), resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location"), err.read().decode()


def signed_notification(order_id, amount, txn=None, status="succeeded", event_id=None):
    """A sandbox notification signed from the protocol description, not from Baohao's code."""
    body = json.dumps({
        "event_id": event_id or uuid.uuid4().hex,
        "order_id": order_id,
        "provider_txn_id": txn or f"txn-{order_id}",
        "status": status,
        "amount": {"amount": amount, "currency": "CNY"},
        "paid_at": "2026-11-24T12:00:00Z",
    }).encode()
    t = str(int(now()))
    mac = hmac.new(SANDBOX_SECRET.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
    return body, {"Baohao-Signature": f"t={t},v1={mac}", "Content-Type": "application/json"}



@contextlib.contextmanager
def fresh_postgres_database():
    """A new database on the PostgreSQL server the test command started, dropped afterwards."""
    server = os.environ.get("BAOHAO_TEST_POSTGRES_URL")
    assert server, "BAOHAO_TEST_POSTGRES_URL is not set: run scripts/test, which starts PostgreSQL"
    name = "p_" + uuid.uuid4().hex
    psql(server, f"CREATE DATABASE {name}")
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request):
    """None for SQLite; for PostgreSQL the URL of a fresh database."""
    if request.param == "sqlite":
        yield None
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture
def postgres_url():
    with fresh_postgres_database() as url:
        yield url


def psql(url, sql):
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True, capture_output=True)


def navigates(driver, action):
    """Runs `action` (a submit) and waits until the browser has loaded the next page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from selenium.common.exceptions import WebDriverException
    old = driver.find_element(By.TAG_NAME, "html")
    action()

    def gone(_):
        # Stale once the old page is replaced; Chromium sometimes says so with "Node with given id
        # does not belong to the document" instead of a stale-element error: the same thing.
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(driver, 20).until(gone)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
