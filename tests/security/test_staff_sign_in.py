"""Staff sign-in resists guessing: no username guessing by timing, a lockout that parallel attempts
cannot get around (SQLite and PostgreSQL), a limit per IP across usernames, and signing out ends the
session on the server (a copied cookie stops working)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import threading

from portal.staff.auth import operations, passwords
from tests.helpers.staff import PASSWORD, add_staff, sign_in


def test_an_unknown_username_costs_the_same_single_password_check(app, monkeypatch):
    add_staff(app, "ayse", "agent")
    calls = {"hash": 0, "verify": 0}
    real = passwords._hasher()

    class Counting:
        def hash(self, *args, **kwargs):
            calls["hash"] += 1
            return real.hash(*args, **kwargs)

        def verify(self, *args, **kwargs):
            calls["verify"] += 1
            return real.verify(*args, **kwargs)

    counting = Counting()
    monkeypatch.setattr(passwords, "_hasher", lambda: counting)
    monkeypatch.setattr(passwords, "_dummy_hash", None)
    with app.app_context():
        operations.authenticate("ayse", "wrong password")
        known = dict(calls)
        for _ in range(3):
            operations.authenticate("nobody-here", "wrong password")
    assert known["verify"] == 1
    assert calls == {"hash": 1, "verify": 4}      # one check each; the dummy hash is made once, not per try


def test_parallel_wrong_passwords_reach_the_check_at_most_max_times(db_app, monkeypatch):
    add_staff(db_app, "mehmet", "agent")
    checked, lock = [], threading.Lock()
    real = operations.authenticate

    def counting(username, password):
        with lock:
            checked.append(password)
        return real(username, password)

    monkeypatch.setattr(operations, "authenticate", counting)
    outcomes, barrier = [], threading.Barrier(20)

    def attempt(i):
        with db_app.app_context():
            barrier.wait()
            try:
                operations.login_staff("mehmet", f"guess-{i}")
                outcomes.append("refused")
            except operations.LockedOut:
                outcomes.append("locked")

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) == operations.MAX_FAILURES
    assert outcomes.count("locked") == 20 - operations.MAX_FAILURES
    with db_app.app_context():            # locked out now, even with the right password
        try:
            operations.login_staff("mehmet", PASSWORD)
            locked = False
        except operations.LockedOut:
            locked = True
    assert locked


def test_one_ip_cannot_try_many_usernames(make_app):
    from tests.helpers.app import migrate
    app = make_app(RATELIMIT_ENABLED=True, REDIS_URL="")
    migrate(app)
    client = app.test_client()
    statuses = [client.post("/staff/login", data={"username": f"user{i}", "password": "x"}).status_code
                for i in range(21)]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429


def test_the_sign_in_limit_counts_the_last_minute_not_a_fixed_window(make_app):
    """One try, 19 more 59 s later, then two more 1.5 s after that: 21 tries in the last minute, so the
    second of those is refused (a window fixed at the first try would have started counting again)."""
    import time_machine

    from tests.helpers.app import migrate
    app = make_app(RATELIMIT_ENABLED=True, REDIS_URL="")
    migrate(app)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.77"        # counted apart from this process's other tests

    def tries(n: int) -> list[int]:
        return [client.post("/staff/login", data={"username": f"edge{i}", "password": "x"}).status_code
                for i in range(n)]

    start = datetime(2031, 3, 4, 10, 0, 0, tzinfo=timezone.utc)
    with time_machine.travel(start, tick=False) as clock:
        statuses = tries(1)
        clock.move_to(start + timedelta(seconds=59))
        statuses += tries(19)
        clock.move_to(start + timedelta(seconds=60.5))
        statuses += tries(2)
        clock.move_to(start + timedelta(seconds=120))           # the 19 are a minute old now
        statuses += tries(1)
    assert statuses == [401] * 21 + [429, 401]


def test_a_copied_cookie_stops_working_after_sign_out(app):
    add_staff(app, "zeynep", "agent")
    browser = app.test_client()
    assert sign_in(browser, "zeynep").status_code == 303
    cookie = browser.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/staff/suggest").status_code == 200          # the copy works while signed in
    assert browser.post("/staff/logout").status_code == 303
    after = thief.get("/staff/suggest")
    assert after.status_code in (302, 303, 401) and "/staff/login" in after.headers.get("Location", "/staff/login")
    assert thief.get("/api/v1/staff/inbox").status_code == 401


def test_a_password_change_ends_every_console_session_of_the_user(app):
    from portal.staff.auth.operations import change_password
    add_staff(app, "ayse", "agent")
    add_staff(app, "mert", "agent")
    phone, desk, other = app.test_client(), app.test_client(), app.test_client()
    for client, name in ((phone, "ayse"), (desk, "ayse"), (other, "mert")):
        assert sign_in(client, name).status_code == 303
    with app.app_context():
        assert change_password("ayse", "a brand new passphrase") == 2
    for client in (phone, desk):
        assert client.get("/staff/suggest").status_code in (302, 303, 401)
    assert other.get("/staff/suggest").status_code == 200           # other users keep their sessions
    assert sign_in(app.test_client(), "ayse", "a brand new passphrase").status_code == 303


def test_the_cli_changes_a_password_and_refuses_a_short_one(app):
    add_staff(app, "deniz", "agent")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["staff", "password", "deniz", "--password", "short"]).exit_code == 1
    done = runner.invoke(args=["staff", "password", "deniz", "--password", "another long passphrase"])
    assert done.exit_code == 0 and "0 console session(s) ended" in done.output
    assert sign_in(app.test_client(), "deniz", "another long passphrase").status_code == 303


def test_the_cli_revokes_the_users_api_tokens_only_when_asked(app):
    from portal.staff.auth.operations import get_staff_user, issue_token
    add_staff(app, "deniz", "supervisor")
    with app.app_context():
        token = issue_token(get_staff_user("deniz"), "office kiosk")
    client, runner = app.test_client(), app.test_cli_runner()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/staff/inbox", headers=bearer).status_code == 200
    runner.invoke(args=["staff", "password", "deniz", "--password", "another long passphrase"])
    assert client.get("/api/v1/staff/inbox", headers=bearer).status_code == 200
    done = runner.invoke(args=["staff", "password", "deniz", "--password", "a third long passphrase",
                               "--revoke-tokens"])
    assert done.exit_code == 0 and "API tokens revoked" in done.output
    assert client.get("/api/v1/staff/inbox", headers=bearer).status_code == 401


def test_production_hashes_with_the_real_parameters_and_refuses_the_tests_cheap_ones(monkeypatch):
    import pytest
    monkeypatch.setenv("ENV", "production")
    monkeypatch.delenv("STAFF_PASSWORD_HASH")
    passwords._hasher.cache_clear()
    try:
        assert passwords._hasher().memory_cost == 65536 and passwords._hasher().time_cost == 3
        passwords._hasher.cache_clear()
        monkeypatch.setenv("STAFF_PASSWORD_HASH", "fast")
        with pytest.raises(RuntimeError, match="never for production"):
            passwords._hasher()
    finally:
        passwords._hasher.cache_clear()
