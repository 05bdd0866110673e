"""Process-level exactly-once: a real `baohao serve`, SIGKILLed while notifications are in flight,
restarted, and sent everything again. Every order must end credited exactly once, and
`baohao verify` must prove the books balance. Runs on SQLite and on PostgreSQL."""
import http.client
import json
import os
import random
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import BIN, Server, signed_notification

DENOMINATIONS = [1000, 2000, 3000, 5000, 10000, 20000]
ORDERS = int(os.environ.get("BAOHAO_KILL_ORDERS", "60"))
KILL_CYCLES = int(os.environ.get("BAOHAO_KILL_CYCLES", "3"))  # bench/robustness runs 20


def send(server, body, headers):
    try:
        return server.request("POST", "/v1/payments/sandbox/notify", body, headers, timeout=5)[0]
    except (OSError, http.client.HTTPException):
        return None  # the server died under us: not acknowledged, so it will be sent again


def test_kill_mid_flight_and_resend(tmp_path, database_url):
    data_dir = str(tmp_path)
    server = Server(data_dir, database_url)
    server.start()
    try:
        assert server.admin("POST", "/v1/admin/plans", {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}})[0] == 201
        assert server.admin("POST", "/v1/admin/lines", {"msisdn": "13800138000", "plan": "KEEP5", "holder_name": "张三"})[0] == 201
        orders = []
        for i in range(ORDERS):
            amount = DENOMINATIONS[i % len(DENOMINATIONS)]
            body = {"msisdn": "13800138000", "amount": {"amount": amount, "currency": "CNY"}, "channel": "online", "payment_method": "sandbox"}
            status, reply = server.request("POST", "/v1/recharges", body, {"Idempotency-Key": f"crash-test-{i:04d}"})
            assert status == 201, reply
            orders.append((json.loads(reply)["id"], amount, body))

        rng = random.Random(20261124)
        notifications = [signed_notification(oid, amount, event_id=f"{oid}-{copy}") for oid, amount, _ in orders for copy in range(2)]
        for cycle in range(KILL_CYCLES):
            rng.shuffle(notifications)
            sent = threading.Semaphore(0)
            killer = threading.Thread(target=lambda: ([sent.acquire() for _ in range(rng.randint(5, 40))], server.kill()))
            killer.start()

            def deliver(item):
                status = send(server, *item)
                sent.release()
                return status

            with ThreadPoolExecutor(max_workers=8) as pool:
                list(pool.map(deliver, notifications))
            killer.join()
            server.start()  # same data folder / database: restart after the crash

        # After the last restart: the client retries order creation (same keys → same orders)...
        for i, (oid, _, body) in enumerate(orders):
            status, reply = server.request("POST", "/v1/recharges", body, {"Idempotency-Key": f"crash-test-{i:04d}"})
            assert status == 200 and json.loads(reply)["id"] == oid
        # ...and the provider re-sends everything that was never acknowledged (here: everything).
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda item: send(server, *item), notifications))
        assert statuses == [200] * len(notifications)

        status, reply = server.admin("GET", "/v1/admin/lines/13800138000/orders?limit=1000")
        listed = json.loads(reply)
        assert len(listed) == ORDERS
        assert all(o["status"] == "credited" for o in listed)
        assert len({o["receipt_no"] for o in listed}) == ORDERS
        line = json.loads(server.admin("GET", "/v1/admin/lines/13800138000")[1])
        assert line["balance"]["amount"] == sum(amount for _, amount, _ in orders)
        ledger = json.loads(server.admin("GET", "/v1/admin/lines/13800138000/ledger?limit=1000")[1])
        assert sorted(t["order_id"] for t in ledger if t["kind"] == "recharge") == sorted(oid for oid, _, _ in orders)
    finally:
        server.stop()

    args = [BIN, "verify", "--data-dir", data_dir] + (["--database-url", database_url] if database_url else [])
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: the books balance" in result.stdout


def test_two_servers_share_one_postgres(tmp_path, postgres_url):
    """Two `baohao serve` processes on one PostgreSQL database: every notification is sent to both,
    concurrently. Each order is credited once; the books balance."""
    database_url = postgres_url
    first = Server(str(tmp_path / "a"), database_url)
    second = Server(str(tmp_path / "b"), database_url)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first.start()
    second.start()
    try:
        assert first.admin("POST", "/v1/admin/plans", {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}})[0] == 201
        assert second.admin("POST", "/v1/admin/lines", {"msisdn": "13800138000", "plan": "KEEP5", "holder_name": "张三"})[0] == 201
        orders = []
        for i in range(40):
            server = first if i % 2 else second
            body = {"msisdn": "13800138000", "amount": {"amount": 1000 * (1 + i % 5), "currency": "CNY"}, "channel": "online", "payment_method": "sandbox"}
            status, reply = server.request("POST", "/v1/recharges", body, {"Idempotency-Key": f"two-servers-{i:04d}"})
            assert status == 201
            # The same key at the other process returns the same order.
            status, again = (second if i % 2 else first).request("POST", "/v1/recharges", body, {"Idempotency-Key": f"two-servers-{i:04d}"})
            assert status == 200 and json.loads(again)["id"] == json.loads(reply)["id"]
            orders.append((json.loads(reply)["id"], body["amount"]["amount"]))
        jobs = [(server, signed_notification(oid, amount, event_id=f"{oid}-{n}")) for oid, amount in orders for n, server in enumerate([first, second, first, second])]
        random.Random(7).shuffle(jobs)
        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(lambda job: send(job[0], *job[1]), jobs))
        assert statuses == [200] * len(jobs)
        line = json.loads(first.admin("GET", "/v1/admin/lines/13800138000")[1])
        assert line["balance"]["amount"] == sum(amount for _, amount in orders)
        report = json.loads(second.admin("POST", "/v1/admin/verify")[1])
        assert report["ok"] is True and report["credited_orders_checked"] == len(orders)
        notifications = json.loads(first.admin("GET", "/v1/admin/notifications?limit=1000")[1])
        assert sum(1 for n in notifications if n["outcome"] == "applied") == len(orders)
        assert sum(1 for n in notifications if n["outcome"] == "duplicate") == 3 * len(orders)
    finally:
        first.stop()
        second.stop()
