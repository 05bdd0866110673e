"""Issue 23's three resource attacks at full scale against a real `baohao serve` (SQLite), each
beside an idle baseline measured in the same run; figures printed and appended to
bench/results/abuse-<date>.txt for BENCHMARKS.md.

- slowloris: 19,000 half-sent requests from one address, while another address calls /healthz;
- sign-in flood: 32 attackers posting staff sign-ins for 10 s, each from a new forwarded address
  (a botnet), each costing a bcrypt at cost 12, while a payer looks a number up;
- live-update flood: 8,000 open order event streams (caps lifted to let them in), then the
  lookup's latency and the server's CPU with them open.

    BAOHAO_BIN=.build/release/baohao python3 bench/abuse.py
"""
import datetime
import json
import os
import resource
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from conftest import Server  # noqa: E402

PLAN = {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}}
LINES = []


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def timed(call, count):
    times = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def ms(values):
    return f"p50 {percentile(values, 0.5) * 1000:.1f} ms, p90 {percentile(values, 0.9) * 1000:.1f} ms"


def report(line):
    print(line, flush=True)
    LINES.append(line)


def healthz_from(server, source):
    with socket.create_connection(("127.0.0.1", server.port), timeout=30, source_address=(source, 0)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: baohao\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := sock.recv(4096):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200"), reply[:60]


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def seed(server):
    assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
    assert server.admin("POST", "/v1/admin/lines", {"msisdn": "13800138000", "plan": "KEEP5", "holder_name": "张三"})[0] == 201


def slowloris(data):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    attempts = min(19_000, hard - 500)
    server = Server(data, env={"LOG_LEVEL": "error"})
    server.start()
    sockets = []
    try:
        idle = timed(lambda: healthz_from(server, "127.0.0.2"), 200)
        stop = threading.Event()
        during = []

        def measure():
            while not stop.is_set():
                started = time.perf_counter()
                healthz_from(server, "127.0.0.3")
                during.append(time.perf_counter() - started)
                time.sleep(0.01)
        probe = threading.Thread(target=measure)
        probe.start()
        started = time.monotonic()
        for _ in range(attempts):
            sock = socket.socket()
            sock.settimeout(5)
            try:
                sock.connect(("127.0.0.1", server.port))
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: baohao\r\nX-Slow: ")
            except OSError:
                pass
            sockets.append(sock)
        opened = time.monotonic() - started
        time.sleep(1)

        def held():
            count = 0
            for sock in sockets:
                if sock.fileno() < 0:
                    continue
                sock.setblocking(False)
                try:
                    if sock.recv(1, socket.MSG_PEEK) != b"":
                        count += 1
                except BlockingIOError:
                    count += 1
                except OSError:
                    pass
            return count
        holding = held()
        while held() and time.monotonic() - started < 60:
            time.sleep(0.5)
        released = time.monotonic() - started
        stop.set()
        probe.join()
        report(f"slowloris: {attempts} half-sent requests from one address in {opened:.1f} s; {holding} held (cap 256), "
               f"all closed {released:.1f} s after the first (header deadline 10 s)")
        report(f"slowloris: /healthz from another address idle {ms(idle)}; during the attack {ms(during)} ({len(during)} calls, none failed)")
    finally:
        for sock in sockets:
            sock.close()
        server.stop()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def sign_in_flood(data):
    server = Server(data, env={"LOG_LEVEL": "error", "BAOHAO_TRUSTED_PROXIES": "127.0.0.1",
                               "BAOHAO_CONFIRM_PER_ADDRESS_PER_MINUTE": "1000000"})
    server.start()
    try:
        seed(server)

        def confirm():
            assert server.request("GET", "/v1/lines/13800138000/confirm", headers={"X-Forwarded-For": "198.51.100.1"})[0] == 200

        idle = timed(confirm, 300)
        stop = threading.Event()
        outcomes = []

        def attacker(n):
            i = 0
            while not stop.is_set():
                i += 1
                body = json.dumps({"username": f"user{i}", "password": "not the password at all"}).encode()
                request = urllib.request.Request(server.base + "/v1/staff/tokens", data=body, method="POST", headers={
                    "Content-Type": "application/json", "X-Forwarded-For": f"10.{n}.{i // 250 % 250}.{i % 250 + 1}"})
                try:
                    urllib.request.urlopen(request, timeout=60)
                    outcomes.append(200)
                except urllib.error.HTTPError as error:
                    outcomes.append(error.code)
        threads = [threading.Thread(target=attacker, args=(n,)) for n in range(32)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        during = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            during += timed(confirm, 1)
        stop.set()
        for thread in threads:
            thread.join()
        report(f"sign-in flood: 32 attackers, {len(outcomes)} sign-ins answered in ~11 s "
               f"({outcomes.count(401)} refused after a bcrypt, {outcomes.count(503)} turned away busy)")
        report(f"sign-in flood: confirm idle {ms(idle)}; under the flood {ms(during)}")
    finally:
        server.stop()


def stream_flood(data):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    server = Server(data, env={"LOG_LEVEL": "error", "BAOHAO_SSE_PER_ORDER": "1000", "BAOHAO_SSE_PER_CLIENT": "100000",
                               "BAOHAO_MAX_CONNECTIONS_PER_ADDRESS": "100000", "BAOHAO_MAX_CONNECTIONS": "12000", "BAOHAO_CONFIRM_PER_ADDRESS_PER_MINUTE": "1000000",
                               "BAOHAO_PENDING_ORDERS_PER_NUMBER": "0"})
    server.start()
    streams = []
    try:
        seed(server)
        orders = []
        for i in range(100):
            body = {"msisdn": "13800138000", "amount": {"amount": 5000, "currency": "CNY"}, "channel": "online", "payment_method": "sandbox"}
            status, reply = server.request("POST", "/v1/recharges", body, {"Idempotency-Key": f"abuse-sse-{i:04d}"})
            assert status == 201, reply
            orders.append(json.loads(reply)["id"])

        def confirm():
            assert server.request("GET", "/v1/lines/13800138000/confirm")[0] == 200

        idle = timed(confirm, 300)
        cpu_idle = cpu_seconds(server.proc.pid)
        time.sleep(5)
        cpu_idle = cpu_seconds(server.proc.pid) - cpu_idle
        for i in range(8000):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
            sock.sendall(f"GET /v1/recharges/{orders[i % 100]}/events HTTP/1.1\r\nHost: baohao\r\n\r\n".encode())
            streams.append(sock)
        for sock in streams:
            head = b""
            while b"\r\n\r\n" not in head:
                head += sock.recv(4096)
            assert head.startswith(b"HTTP/1.1 200"), head[:60]
        cpu_open = cpu_seconds(server.proc.pid)
        time.sleep(5)
        cpu_open = cpu_seconds(server.proc.pid) - cpu_open
        during = timed(confirm, 300)
        report(f"live updates: 8,000 open streams on 100 orders; server CPU {cpu_idle / 5 * 100:.1f} % idle, "
               f"{cpu_open / 5 * 100:.1f} % with the streams open (one reader for all)")
        report(f"live updates: confirm idle {ms(idle)}; with 8,000 streams open {ms(during)}")
    finally:
        for sock in streams:
            sock.close()
        server.stop()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


if __name__ == "__main__":
    report(f"# abuse run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
           f"binary {os.environ.get('BAOHAO_BIN', '?')}")
    for attack in (slowloris, sign_in_flood, stream_flood):
        with tempfile.TemporaryDirectory() as data:
            attack(data)
    results = os.path.join(os.path.dirname(__file__), "results", f"abuse-{datetime.date.today():%Y-%m-%d}.txt")
    with open(results, "a") as out:
        out.write("\n".join(LINES) + "\n\n")
    print(f"written to {results}")
