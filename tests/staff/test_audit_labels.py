"""The audit log in the console's language: actions and record types by name (not codes), times and
the date filter the locale's way (not the browser's), and a label for every action the code writes."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from portal.staff.audit.labels import ACTIONS, RECORD_TYPES, action_label
from portal.staff.dates import parse_day
from tests.staff.test_audit_views import _signed_in, audit_app  # noqa: F401 - fixture

PORTAL = Path(__file__).resolve().parents[2] / "portal"
RECORD_CALL = re.compile(r"record(?:_now)?\(\s*(f?)\"([a-z_.{}]+)\"\s*,\s*([A-Za-z_]+|\"[a-z_]+\")")
AUDITED_CALL = re.compile(r"_audited\(\w+,\s*\"([a-z_.]+)\"")     # the audit log's own reads (audit_log rows)
# the f-string actions and what they expand to (the values their operations allow)
EXPANSIONS = {"appointment.{status}": ("appointment.attended", "appointment.no_show"),
              "chat.{action}": ("chat.view", "chat.claim", "chat.reply", "chat.hand_back", "chat.close")}


def _written_codes() -> tuple[set[str], set[str]]:
    actions, types = set(), set()
    for path in PORTAL.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for is_f, code, object_type in RECORD_CALL.findall(source):
            actions.update(EXPANSIONS[code] if is_f else (code,))
            if object_type.startswith('"'):
                types.add(object_type.strip('"'))
            elif match := re.search(rf"^{object_type} = \"([a-z_]+)\"", source, re.M):
                types.add(match.group(1))
        actions.update(AUDITED_CALL.findall(source))
    return actions, types


def test_every_action_and_record_type_the_code_writes_has_a_label():
    actions, types = _written_codes()
    assert {"appointment.lookup", "chat.claim", "audit.view", "queue.decide"} <= actions
    assert actions <= set(ACTIONS), sorted(actions - set(ACTIONS))
    assert types <= set(RECORD_TYPES), sorted(types - set(RECORD_TYPES))
    assert action_label("never.written") == "never.written"


def test_rows_show_actions_and_times_in_the_consoles_language(audit_app):
    client = _signed_in(audit_app, "sup")
    turkish = client.get("/staff/audit?lang=tr").get_data(as_text=True)
    assert "<td><span title=\"appointment.lookup\">Randevu sorgulandı</span></td>" in turkish
    assert ">appointment.lookup<" not in turkish
    assert '<option value="appointment.lookup">Randevu sorgulandı</option>' in turkish
    assert '<option value="appointment">Randevu</option>' in turkish
    # 2026-03-09 21:30 UTC is 10 March 00:30:00 in Istanbul, written the Turkish way
    assert '<time datetime="2026-03-09T21:30:00Z">10 Mar 2026 00:30:00</time>' in turkish
    english = client.get("/staff/audit?lang=en").get_data(as_text=True)
    assert ">Appointment looked up<" in english and "Mar 10, 2026, 12:30:00" in english
    assert 'type="date"' not in english and "For example 11/23/2026" in english


@pytest.mark.parametrize("lang,typed", [("tr", "10.03.2026"), ("en", "3/10/2026"), ("de", "10.03.2026"),
                                        ("fr", "10/03/2026"), ("fa", "۲۰۲۶/۳/۱۰"), ("ar", "10/3/2026"),
                                        ("ru", "2026-03-10")])
def test_the_date_filter_reads_days_the_locales_way(audit_app, lang, typed):
    client = _signed_in(audit_app, "sup")
    html = client.get("/staff/audit", query_string={"lang": lang, "from": typed, "to": typed}).get_data(as_text=True)
    shown = {ref for ref in ("RND-AAAA", "2026-000001", "RND-BBBB") if f">{ref}<" in html}
    assert shown == {"RND-AAAA", "2026-000001"}


def test_a_day_in_another_format_is_refused_with_the_locales_example(audit_app):
    client = _signed_in(audit_app, "sup")
    page = client.get("/staff/audit", query_string={"lang": "tr", "from": "3/10/2026"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "örneğin 23.11.2026" in html


def test_parse_day_needs_a_real_day_with_a_four_digit_year(audit_app):
    with audit_app.test_request_context("/staff/audit?lang=tr"):
        from flask import g
        g.lang = "tr"
        assert parse_day("23.11.2026") == date(2026, 11, 23) == parse_day("2026-11-23")
        for bad in ("30.02.2026", "23.11.26", "23 Kasım 2026", "", "1.2.3.4"):
            with pytest.raises(ValueError):
                parse_day(bad)
