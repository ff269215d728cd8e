"""The audit log page and CSV export: supervisors and admins only, filters, paging, safe CSV, audited."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from portal import db
from portal.audit import AuditEvent
from portal.staff.auth.models import StaffUser
from portal.staff.auth.operations import create_staff_user
from tests.helpers.staff import PASSWORD, add_staff, sign_in

DANGEROUS = ("=HYPERLINK(\"http://x\")", "+90 555", "-2+3", "@SUM(A1)")


def _staff_id(app, username: str) -> int:
    with app.app_context():
        return db.session().scalar(select(StaffUser.id).where(StaffUser.username == username))


def _seed(app, rows: list[tuple]) -> None:
    """rows: (at, actor, action, object_type, object_ref, outcome), written in this order."""
    with app.app_context():
        sess = db.begin_write()
        sess.add_all([AuditEvent(at=at, actor=actor, action=action, object_type=otype, object_ref=ref,
                                 outcome=outcome, client="") for at, actor, action, otype, ref, outcome in rows])
        sess.commit()


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session().scalars(select(AuditEvent).where(AuditEvent.action == action)
                                         .order_by(AuditEvent.id)))


@pytest.fixture()
def audit_app(db_app):
    """Users of each role (the supervisor with a Turkish name) and a small log."""
    with db_app.app_context():
        create_staff_user("sup", "Çağrı Öztürk", "supervisor", PASSWORD)
    add_staff(db_app, "admin1", "admin")
    add_staff(db_app, "agent1", "agent")
    agent = _staff_id(db_app, "agent1")
    _seed(db_app, [
        (datetime(2026, 3, 9, 21, 30), "public", "appointment.lookup", "appointment", "RND-AAAA", "failed"),
        (datetime(2026, 3, 10, 9, 0), f"staff:{agent}", "case.view", "case", "2026-000001", "ok"),
        (datetime(2026, 3, 11, 9, 0), f"staff:{agent}", "appointment.attendance", "appointment", "RND-BBBB", "ok"),
        (datetime(2026, 3, 12, 9, 0), "system", "case.import", "case", DANGEROUS[0], "ok"),
        (datetime(2026, 3, 12, 10, 0), "system", "case.import", "case", DANGEROUS[1], "ok"),
        (datetime(2026, 3, 12, 11, 0), "system", "case.import", "case", DANGEROUS[2], "ok"),
        (datetime(2026, 3, 12, 12, 0), "system", "case.import", "case", DANGEROUS[3], "ok"),
    ])
    return db_app


def _signed_in(app, username: str):
    client = app.test_client()
    assert sign_in(client, username).status_code == 303
    return client


def _csv(resp) -> list[dict]:
    raw = resp.get_data()
    assert raw.startswith("\ufeff".encode("utf-8")), "no UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize("username", ["sup", "admin1"])
def test_supervisor_and_admin_read_the_log_newest_first_and_the_view_is_audited(audit_app, username):
    client = _signed_in(audit_app, username)
    page = client.get("/staff/audit?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert html.index("RND-BBBB") < html.index("2026-000001") < html.index("RND-AAAA")
    assert "Demo agent (agent1)" in html and "Public (web site or bot)" in html and "System" in html
    assert '<th scope="col">' in html and 'aria-current="page"' in html
    views = _events(audit_app, "audit.view")
    assert len(views) == 1 and views[0].actor == f"staff:{_staff_id(audit_app, username)}"


def test_filters_by_actor_action_record_and_dates(audit_app):
    client = _signed_in(audit_app, "sup")
    agent = _staff_id(audit_app, "agent1")

    def shown(query: str) -> set[str]:
        html = client.get(f"/staff/audit?lang=en&{query}").get_data(as_text=True)
        return {ref for ref in ("RND-AAAA", "2026-000001", "RND-BBBB", "+90 555") if f">{ref}<" in html}

    assert shown(f"actor=staff:{agent}") == {"2026-000001", "RND-BBBB"}
    assert shown("action=appointment.lookup") == {"RND-AAAA"}
    assert shown("object_type=appointment") == {"RND-AAAA", "RND-BBBB"}
    assert shown("object_ref=2026-000001") == {"2026-000001"}
    # Istanbul days: 2026-03-09 21:30 UTC is already 10 March in Istanbul
    assert shown("from=2026-03-10&to=2026-03-10") == {"RND-AAAA", "2026-000001"}
    assert shown("from=2026-03-11") == {"RND-BBBB", "+90 555"}
    page = client.get("/staff/audit?lang=en")
    assert '<option value="appointment.attendance">' in page.get_data(as_text=True)


@pytest.mark.parametrize("query", ["from=2026-02-30", "to=yesterday", "from=2026-03-12&to=2026-03-01",
                                   "actor=staff:abc", "from=" + "9" * 400])
def test_bad_filters_give_a_translated_error_not_a_500(audit_app, query):
    client = _signed_in(audit_app, "sup")
    english = client.get(f"/staff/audit?lang=en&{query}")
    assert english.status_code == 422
    html = english.get_data(as_text=True)
    assert 'class="error-summary" role="alert"' in html and "<title>Error:" in html
    assert "RND-BBBB" not in html            # no rows for filters that could not be read
    turkish = client.get(f"/staff/audit?lang=tr&{query}").get_data(as_text=True)
    assert "<title>Hata:" in turkish
    for msgid in ("Enter a date as year-month-day", "The end date must be", "Please choose a user"):
        assert msgid not in turkish, "error message not translated"
    assert client.get(f"/staff/audit.csv?{query}").status_code == 422
    assert _events(audit_app, "audit.export") == [] and _events(audit_app, "audit.view") == []


def test_pages_of_fifty_newest_first(audit_app):
    _seed(audit_app, [(datetime(2026, 4, 1, 8, i // 60, i % 60), "system", "bulk.row", "row", f"row-{i:03d}", "ok")
                      for i in range(120)])
    client = _signed_in(audit_app, "sup")
    refs = []
    url, pages = "/staff/audit?action=bulk.row", 0
    while url:
        html = client.get(url).get_data(as_text=True)
        page_refs = [f"row-{i:03d}" for i in range(119, -1, -1) if f">row-{i:03d}<" in html]
        assert len(page_refs) <= 50
        refs += page_refs
        pages += 1
        older = re.search(r'<a href="([^"]+)" rel="next">', html)
        url = older.group(1).replace("&amp;", "&") if older else None
        assert pages < 5, "paging does not end"
    assert pages == 3 and refs == [f"row-{i:03d}" for i in range(119, -1, -1)]
    second = client.get("/staff/audit?action=bulk.row&before=" + str(_events(audit_app, "bulk.row")[70].id))
    assert "after=" in second.get_data(as_text=True)      # a link back to newer rows


@pytest.mark.parametrize("username", ["sup", "admin1"])
def test_csv_export_is_complete_filtered_formula_safe_and_audited(audit_app, username):
    client = _signed_in(audit_app, username)
    resp = client.get("/staff/audit.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    rows = _csv(resp)
    assert rows[0]["action"] == "audit.export"                       # the export itself is logged first
    refs = [r["object_ref"] for r in rows]
    assert refs[1:5] == ["'" + d for d in reversed(DANGEROUS)]     # newest first, all neutralised
    assert {"RND-AAAA", "2026-000001", "RND-BBBB"} <= set(refs)
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())
    agent_row = next(r for r in rows if r["object_ref"] == "RND-BBBB")
    assert agent_row["actor_name"] == "Demo agent (agent1)" and agent_row["time_istanbul"] == "2026-03-11 12:00:00"
    assert agent_row["time_utc"] == "2026-03-11T09:00:00Z" and agent_row["action"] == "appointment.attendance"
    exports = _events(audit_app, "audit.export")
    assert len(exports) == 1 and exports[0].actor == f"staff:{_staff_id(audit_app, username)}"


def test_csv_export_keeps_turkish_text_and_applies_the_filters(audit_app):
    client = _signed_in(audit_app, "sup")
    sup = _staff_id(audit_app, "sup")
    client.get("/staff/audit")                                     # writes an audit.view row by the supervisor
    rows = _csv(client.get(f"/staff/audit.csv?actor=staff:{sup}&action=audit.view"))
    assert [r["actor_name"] for r in rows] == ["Çağrı Öztürk (sup)"]
    rows = _csv(client.get("/staff/audit.csv?object_type=appointment&from=2026-03-11&to=2026-03-31"))
    assert [r["object_ref"] for r in rows] == ["RND-BBBB"]
    export = _events(audit_app, "audit.export")[-1]
    assert "object_type=appointment" in export.object_ref


@pytest.mark.parametrize("url", ["/staff/audit", "/staff/audit.csv"])
def test_agents_are_refused_and_the_refusal_is_audited(audit_app, url):
    client = _signed_in(audit_app, "agent1")
    resp = client.get(url)
    assert resp.status_code == 403 and "RND-BBBB" not in resp.get_data(as_text=True)
    denied = _events(audit_app, "access.denied")
    assert len(denied) == 1 and denied[0].outcome == "denied"
    assert denied[0].actor == f"staff:{_staff_id(audit_app, 'agent1')}"
    assert denied[0].object_ref == ("staff_audit.audit" if url.endswith("audit") else "staff_audit.audit_csv")
    assert _events(audit_app, "audit.view") == [] and _events(audit_app, "audit.export") == []


@pytest.mark.parametrize("url", ["/staff/audit", "/staff/audit.csv?action=case.view"])
def test_anonymous_users_are_sent_to_sign_in(audit_app, url):
    resp = audit_app.test_client().get(url)
    assert resp.status_code == 303 and "/staff/login" in resp.headers["Location"]
    assert _events(audit_app, "audit.view") == [] and _events(audit_app, "audit.export") == []
