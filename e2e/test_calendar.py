"""Deadlines, reminders and the monthly fee on the awkward days of the calendar.

Each case pins the test clock to one instant and asks a real server what a subscriber with ¥3.00
on a ¥5/month mainland plan (fee on the 1st, Beijing time) must do. The expected answers are
worked out here from the plan's rule, not from Baohao's code: the deadline is the first 1st after
today in Beijing, the deadline reminder due is the nearest of 30, 7 and 1 days before it that has
come, and the fee is taken at Beijing midnight, not UTC midnight.
"""
import datetime
import json
import subprocess

import pytest

from conftest import BEIJING, BIN, Server, parse_instant, pin_clock

PLAN = {"code": "CN5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}

INSTANTS = [
    ("2026-11-24T14:00:00+08:00", "an ordinary Tuesday, a week before the fee"),
    ("2026-12-01T00:30:00+08:00", "the 1st of a 31-day month, Beijing (UTC is still 30 November)"),
    ("2026-12-02T09:00:00+08:00", "exactly 30 days before the next 1st"),
    ("2026-11-30T23:30:00+08:00", "the last day of a 30-day month, half an hour before Beijing midnight"),
    ("2027-01-31T12:00:00+08:00", "the last day of a 31-day month"),
    ("2026-12-31T15:59:59Z", "one second before Beijing midnight on New Year's Eve"),
    ("2026-12-31T16:00:00Z", "Beijing midnight, New Year's Day (UTC is still 31 December)"),
    ("2027-01-01T00:00:00Z", "UTC midnight, New Year's Day (08:00 in Beijing)"),
    ("2027-02-28T12:00:00+08:00", "28 February of a common year"),
    ("2028-02-28T12:00:00+08:00", "28 February of a leap year"),
    ("2028-02-29T12:00:00+08:00", "29 February"),
]


def expected(instant):
    today = datetime.datetime.fromtimestamp(parse_instant(instant), BEIJING).date()
    deadline = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    days = (deadline - today).days
    lead = next((lead for lead in (1, 7, 30) if days <= lead), None)
    return today, deadline, lead


def run_cli(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("instant,why", INSTANTS, ids=[i for i, _ in INSTANTS])
def test_deadline_reminders_and_fee_day_follow_beijing_calendar(tmp_path, instant, why):
    today, deadline, lead = expected(instant)
    pin_clock(instant)
    data = str(tmp_path)
    server = Server(data)
    server.start()
    try:
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        assert server.admin("POST", "/v1/admin/lines", {"msisdn": "13800138000", "plan": "CN5", "holder_name": "张三",
                                                         "opening_balance": {"amount": 300, "currency": "CNY"}})[0] == 201
        status, body = server.admin("POST", "/v1/admin/jobs/run")
        assert status == 200, body
        status, body = server.admin("GET", "/v1/admin/lines/13800138000/retention")
        assert status == 200, body
        view = json.loads(body)
        assert view["stage"] == "active", (why, view)
        assert view["deadline"] == deadline.isoformat(), (why, today, view["deadline"])
        assert view["action_zh"] == f"请在 {deadline.isoformat()} 前充值至少 ¥2.00", (why, view["action_zh"])
        keys = {r["key"] for r in view["reminders"]}
        wanted = {f"low_balance:{deadline.isoformat()}"}
        if lead:
            wanted.add(f"deadline:{lead}:suspended:{deadline.isoformat()}")
        assert keys == wanted, (why, keys)
    finally:
        server.stop()

    # The fee falls due at Beijing midnight on the deadline: not a minute before, and once.
    eve = (datetime.datetime.combine(deadline, datetime.time(0, 0), BEIJING) - datetime.timedelta(minutes=1)).isoformat()
    before = run_cli("jobs", "run", "--data-dir", data, "--at", eve, "--no-send")
    assert before.returncode == 0 and "0 charge(s)" in before.stdout, (why, before.stdout, before.stderr)
    midnight = datetime.datetime.combine(deadline, datetime.time(0, 0, 30), BEIJING).isoformat()
    for _ in range(2):
        on = run_cli("jobs", "run", "--data-dir", data, "--at", midnight, "--no-send")
        assert on.returncode == 0, on.stderr
    assert "0 charge(s)" in on.stdout, on.stdout
    shown = run_cli("lines", "show", "--data-dir", data, "13800138000")
    assert shown.returncode == 0, shown.stderr
    assert "¥-2.00" in shown.stdout or "-¥2.00" in shown.stdout, shown.stdout
    verify = run_cli("verify", "--data-dir", data)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_the_test_clock_is_refused_without_its_test_only_flag(tmp_path, monkeypatch):
    monkeypatch.delenv("BAOHAO_ALLOW_TEST_CLOCK")
    result = run_cli("jobs", "list", "--data-dir", str(tmp_path))
    assert result.returncode != 0
    assert "BAOHAO_TEST_NOW is set but BAOHAO_ALLOW_TEST_CLOCK=1 is not" in result.stderr, result.stderr
    monkeypatch.setenv("BAOHAO_ALLOW_TEST_CLOCK", "1")
    monkeypatch.setenv("BAOHAO_TEST_NOW", "1 December")
    result = run_cli("jobs", "list", "--data-dir", str(tmp_path))
    assert result.returncode != 0 and "BAOHAO_TEST_NOW must be an RFC 3339 time" in result.stderr, result.stderr
