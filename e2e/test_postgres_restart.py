"""PostgreSQL restarts under load: the server keeps running, recovers its connections by itself,
and loses nothing; every notification that was not acknowledged is sent again until it is, and
each order ends credited exactly once."""
import json
import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import Server, signed_notification
from test_crash_restart import send

ORDERS = 200


def restart_postgres():
    pgctl = os.environ.get("BAOHAO_TEST_PGCTL")
    assert pgctl, "BAOHAO_TEST_PGCTL is not set: run scripts/test, which starts PostgreSQL"
    subprocess.run(pgctl.split() + ["-m", "fast", "-w", "-t", "60", "restart"], check=True, capture_output=True)
    return time.time()


def test_postgres_restart_under_load(tmp_path, postgres_url):
    server = Server(str(tmp_path), postgres_url)
    server.start()
    try:
        assert server.admin("POST", "/v1/admin/plans", {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}})[0] == 201
        assert server.admin("POST", "/v1/admin/lines", {"msisdn": "13800138000", "plan": "KEEP5", "holder_name": "张三"})[0] == 201
        orders = []
        for i in range(ORDERS):
            body = {"msisdn": "13800138000", "amount": {"amount": 1000 * (1 + i % 3), "currency": "CNY"}, "channel": "online", "payment_method": "sandbox"}
            status, reply = server.request("POST", "/v1/recharges", body, {"Idempotency-Key": f"pg-restart-{i:04d}"})
            assert status == 201
            orders.append((json.loads(reply)["id"], body["amount"]["amount"]))

        failures = []

        acknowledged_at = []

        def deliver(order):
            # Like a provider: re-send until acknowledged, with a bound on attempts and time.
            oid, amount = order
            deadline = time.time() + 90
            attempt = 0
            while time.time() < deadline and attempt < 400:
                attempt += 1
                if send(server, *signed_notification(oid, amount, event_id=f"{oid}-{attempt}")) == 200:
                    acknowledged_at.append(time.time())
                    return attempt
                failures.append(oid)
                time.sleep(0.2)
            raise AssertionError(f"{oid} never acknowledged")

        restart = {}
        restarter = threading.Timer(0.3, lambda: restart.update(done=restart_postgres()))
        restarter.start()
        load_started = time.time()
        with ThreadPoolExecutor(max_workers=8) as pool:
            attempts = list(pool.map(lambda o: (time.sleep(0.05), deliver(o))[1], orders))  # about 1.3 s of load; the restart comes at 0.3 s
        restarter.join()

        assert server.proc.poll() is None, "the server died"
        # Writes failed while PostgreSQL was down, so /readyz says 503 until 10 s after the last one.
        ready_by = time.time() + 20
        while server.request("GET", "/readyz")[0] != 200:
            assert time.time() < ready_by, "not ready again 20 s after the restart"
            time.sleep(0.5)
        listed = json.loads(server.admin("GET", "/v1/admin/lines/13800138000/orders?limit=1000")[1])
        assert len(listed) == ORDERS and all(o["status"] == "credited" for o in listed)
        line = json.loads(server.admin("GET", "/v1/admin/lines/13800138000")[1])
        assert line["balance"]["amount"] == sum(a for _, a in orders)
        assert json.loads(server.admin("POST", "/v1/admin/verify")[1])["ok"] is True
        # The restart really happened under load: credits were acknowledged before it began and
        # after it ended (a request that waited for a new connection is not a failure).
        assert "done" in restart
        assert min(acknowledged_at) < load_started + 0.3 < restart["done"] < max(acknowledged_at), \
            "the load did not span the restart: the test did not exercise it"
        print(f"retried deliveries: {len(failures)}; max attempts for one order: {max(attempts)}")
    finally:
        server.stop()
