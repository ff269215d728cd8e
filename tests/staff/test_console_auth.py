"""Console sign-in: session, idle timeout, lockout, CSRF, roles on every route."""
from __future__ import annotations

import time

import pytest

from portal.staff.auth.access import SEEN_KEY
from portal.staff.auth.operations import MAX_FAILURES
from tests.helpers.staff import PASSWORD, add_staff, csrf_from, sign_in

ROUTES = [("get", "/staff/"), ("get", "/staff/suggest"), ("get", "/api/v1/staff/suggest?q=x"),
          ("post", "/staff/feedback"), ("post", "/staff/logout")]


def test_login_page_renders_in_turkish_by_default_and_in_the_cookie_language(client):
    page = client.get("/staff/login")
    assert page.status_code == 200 and '<html lang="tr"' in page.get_data(as_text=True)
    assert 'name="password"' in page.get_data(as_text=True)
    client.set_cookie("lang", "ar")
    assert '<html lang="ar" dir="rtl"' in client.get("/staff/login").get_data(as_text=True)
    assert '<html lang="de"' in client.get("/staff/login?lang=de").get_data(as_text=True)


@pytest.mark.parametrize("method,url", ROUTES)
def test_anonymous_users_are_refused_everywhere(client, method, url):
    resp = getattr(client, method)(url, headers={"Accept": "application/json"} if "/api/" in url else {})
    if "/api/" in url:
        assert resp.status_code == 401 and resp.get_json()["error"] == "unauthorized"
    else:
        assert resp.status_code == 303 and "/staff/login" in resp.headers["Location"]


def test_inactive_or_unknown_role_users_are_refused(app):
    add_staff(app, "gone", "agent")
    from portal import db
    from portal.staff.auth.models import StaffUser
    client = app.test_client()
    assert sign_in(client, "gone").status_code == 303
    with app.app_context():
        sess = db.begin_write()
        sess.query(StaffUser).filter_by(username="gone").update({"active": False})
        sess.commit()
    assert client.get("/staff/suggest").status_code == 303
    assert client.get("/api/v1/staff/suggest?q=x", headers={"Accept": "application/json"}).status_code == 401


def test_sign_in_redirects_to_the_console_and_signs_out(app):
    add_staff(app, "agent1", "agent")
    client = app.test_client()
    bad = sign_in(client, "agent1", "wrong password here")
    assert bad.status_code == 401 and "<title>Hata:" in bad.get_data(as_text=True)
    ok = sign_in(client, "AGENT1")
    assert ok.status_code == 303 and ok.headers["Location"].endswith("/staff/suggest")
    page = client.get("/staff/suggest")
    assert page.status_code == 200 and 'id="q"' in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert client.post("/staff/logout").status_code == 303
    assert client.get("/staff/suggest").status_code == 303


def test_chosen_console_language_is_kept_from_sign_in_through_the_pages(app):
    add_staff(app, "agent-fa", "agent")
    client = app.test_client()
    assert '<html lang="fa" dir="rtl"' in client.get("/staff/login?lang=fa").get_data(as_text=True)
    assert sign_in(client, "agent-fa").status_code == 303
    page = client.get("/staff/suggest?q=ikamet").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl"' in page                       # remembered across sign-in
    assert 'href="/staff/suggest?q=ikamet&amp;lang=de"' in page       # the switcher stays in the console
    assert '<html lang="de"' in client.get("/staff/suggest?lang=de").get_data(as_text=True)
    assert '<html lang="de"' in client.get("/staff/suggest").get_data(as_text=True)


def test_next_parameter_only_goes_to_staff_pages(app):
    add_staff(app, "agent1", "agent")
    client = app.test_client()
    resp = client.post("/staff/login?next=https://evil.example/x", data={"username": "agent1", "password": PASSWORD})
    assert resp.headers["Location"].endswith("/staff/suggest")
    client = app.test_client()
    resp = client.post("/staff/login?next=/staff/suggest?q=izin", data={"username": "agent1", "password": PASSWORD})
    assert resp.headers["Location"].endswith("/staff/suggest?q=izin")


def test_idle_session_expires(app):
    add_staff(app, "agent1", "agent")
    client = app.test_client()
    sign_in(client, "agent1")
    with client.session_transaction() as sess:
        sess[SEEN_KEY] = int(time.time()) - app.config["STAFF_SESSION_MINUTES"] * 60 - 5
    assert client.get("/staff/suggest").status_code == 303


def test_lockout_after_repeated_failures(app):
    add_staff(app, "agent1", "agent")
    client = app.test_client()
    for _ in range(MAX_FAILURES):
        assert sign_in(client, "agent1", "not the password").status_code == 401
    locked = sign_in(client, "agent1")          # even the right password is refused now
    assert locked.status_code == 429 and "15" in locked.get_data(as_text=True)
    assert client.get("/staff/suggest").status_code == 303
    add_staff(app, "agent2", "agent")           # other users are not affected
    assert sign_in(app.test_client(), "agent2").status_code == 303


def test_success_clears_earlier_failures(app):
    add_staff(app, "agent1", "agent")
    client = app.test_client()
    for _ in range(MAX_FAILURES - 1):
        sign_in(client, "agent1", "not the password")
    assert sign_in(client, "agent1").status_code == 303
    for _ in range(MAX_FAILURES - 1):
        assert sign_in(app.test_client(), "agent1", "not the password").status_code == 401
    assert sign_in(app.test_client(), "agent1").status_code == 303


def test_csrf_is_required_for_console_forms(make_app):
    from tests.helpers.app import migrate
    app = make_app(WTF_CSRF_ENABLED=True)
    migrate(app)
    add_staff(app, "agent1", "agent")
    client = app.test_client()
    assert client.post("/staff/login", data={"username": "agent1", "password": PASSWORD}).status_code == 400
    assert sign_in(client, "agent1", csrf=True).status_code == 303
    assert client.post("/staff/feedback", data={"q": "x", "verdict": "helped"}).status_code == 400
    assert client.post("/staff/logout").status_code == 400
    token = csrf_from(client.get("/staff/suggest").get_data(as_text=True))
    assert client.post("/staff/logout", data={"csrf_token": token}).status_code == 303


def test_api_tokens_do_not_need_a_session_but_still_a_role(app):
    from portal.staff.auth.operations import issue_token
    with app.app_context():
        from portal.staff.auth.operations import create_staff_user
        token = issue_token(create_staff_user("bot1", "x", "agent", PASSWORD), "t")
    resp = app.test_client().get("/api/v1/staff/suggest?q=", headers={"Authorization": f"Bearer {token}",
                                                                   "Accept": "application/json"})
    assert resp.status_code == 422 and resp.get_json()["fields"]["q"]
