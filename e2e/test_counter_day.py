"""The counter channel against a real `baohao serve`: outlets and clerks made with the CLI, a
clerk's shift over the terminal API, and the receipt printed as ESC/POS bytes that an independent
decoder (escpos_decoder.py) turns back into the receipt's text, within the paper's columns."""
import json
import subprocess
import urllib.request

import pytest

from conftest import ADMIN_TOKEN, BIN, Server
from escpos_decoder import columns, decode

PW = "clerk password 2026"
ID_KEY = "counter-e2e-id-hash-key-0123456789abcdef"


def run(*args, stdin=None):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=60)


@pytest.fixture
def hall(tmp_path):
    data = str(tmp_path)
    server = Server(data, env={"BAOHAO_ID_HASH_KEY": ID_KEY})
    server.start()
    try:
        plan = {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}
        assert server.admin("POST", "/v1/admin/plans", plan)[0] == 201
        status, body = server.admin("POST", "/v1/admin/lines", {"msisdn": "13800138000", "plan": "KEEP5", "holder_name": "张三",
                                                                "opening_balance": {"amount": 300, "currency": "CNY"}})
        assert status == 201, body
        added = run("outlets", "add", "--data-dir", data, "--code", "BJ-XD-01", "--name", "西单营业厅", "--address", "北京市西城区西单北大街 120 号")
        assert added.returncode == 0, added.stderr
        clerk = run("staff", "add", "--data-dir", data, "--username", "clerk01", "--name", "王小明", "--role", "clerk",
                    "--outlet", "BJ-XD-01", "--password-stdin", stdin=PW + "\n")
        assert clerk.returncode == 0, clerk.stderr
        status, body = server.admin("GET", "/v1/admin/channels")
        counter = next(c for c in json.loads(body) if c["channel"] == "counter")
        for key in ("channel", "version", "updated_at", "updated_by"):
            counter.pop(key, None)
        counter["enabled"] = True
        assert server.admin("PUT", "/v1/admin/channels/counter", counter)[0] == 200
        status, body = server.request("POST", "/v1/staff/tokens", {"username": "clerk01", "password": PW})
        assert status == 201, body
        yield server, {"Authorization": "Bearer " + json.loads(body)["token"]}
    finally:
        server.stop()


def raw(server, path):
    with urllib.request.urlopen(server.base + path, timeout=10) as resp:
        return resp.read(), resp.headers


def test_counter_receipt_prints_as_escpos(hall):
    server, clerk = hall
    status, body = server.request("POST", "/v1/counter/shifts", {"opening_float": {"amount": 20000, "currency": "CNY"}}, clerk)
    assert status == 201, body
    sale = {"msisdn": "13800138000", "amount": {"amount": 5000, "currency": "CNY"}, "tender": "cash",
            "tendered": {"amount": 10000, "currency": "CNY"}, "id_number": "11010519491231002X"}
    status, body = server.request("POST", "/v1/counter/sales", sale, dict(clerk, **{"Idempotency-Key": "e2e-sale-0001"}))
    assert status == 201, body
    number = json.loads(body)["receipt_no"]

    for width, cols in ((58, 32), (80, 48)):
        data, headers = raw(server, f"/receipts/{number}/escpos?width={width}")
        lines, events = decode(data)
        assert events[0] == "init" and events[-1] == "cut"
        texts = [line["text"] for line in lines]
        title = lines[0]
        assert title["text"] == "充值凭证" and title["align"] == 1 and title["double"]
        for line in lines:
            assert columns(line["text"]) * (2 if line["double"] else 1) <= cols, (width, line)
        body_text = "\n".join(texts)
        for expected in ("西单营业厅", "王小明", number, "138****8000", "现金", "￥100.00", "￥50.00", "**************002X",
                         "本凭证不是税务发票"):
            assert expected in body_text, (width, expected, body_text)
        assert "11010519491231002" not in body_text
        # Label and value share a line, the value flush right, when they fit.
        change = next(t for t in texts if t.startswith("找零"))
        assert change.endswith("￥50.00") and columns(change) == cols
        copy = headers["Baohao-Print-Copy"]
        assert ("副本" in body_text) == (copy != "1"), (copy, body_text)
    # The first printing was the original; the second (80 mm) a numbered copy.
    data, headers = raw(server, f"/receipts/{number}/escpos?width=58")
    assert headers["Baohao-Print-Copy"] == "3"
    lines, _ = decode(data)
    assert any(line["text"] == "副本 COPY（第3次打印）" and line["bold"] for line in lines)
