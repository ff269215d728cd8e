"""After-hours call-back requests: the page (no JavaScript), its checks in the user's language, the
staff list (audited) and the purge."""
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.chat.callbacks import purge_callbacks
from portal.chat.models import CallbackRequest


def _rows(app):
    with app.app_context():
        from portal.db import session
        return list(session().scalars(select(CallbackRequest)))


def test_outside_hours_the_handover_offers_a_call_back(make_migrated_app, fake_rasa):
    app = make_migrated_app(HANDOFF_HOURS="mon-fri 09:00-09:01")      # practically always closed
    fake_rasa.replies.append([{"custom": {"meta": {"intent": "human_handoff", "lang": "ar", "handoff_request": True}}}])
    body = app.test_client().post("/api/v1/chat", json={"message": "بدي احكي مع موظف", "lang": "ar"}).get_json()
    assert body["handoff"] is None
    assert body["messages"][-1]["buttons"] == [{"title": body["messages"][-1]["buttons"][0]["title"],
                                                "url": "/ar/chat/callback"}]


def test_the_form_explains_each_problem_in_the_users_language_and_keeps_what_was_typed(chat_app):
    resp = chat_app.test_client().post("/ar/chat/callback", data={"message": "أحتاج مساعدة بالإقامة",
                                                                  "phone": "12"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'class="error-summary"' in html and 'lang="ar"' in html
    assert "أحتاج مساعدة بالإقامة" in html and html.count('class="field-error"') == 2   # phone, consent
    assert _rows(chat_app) == []


def test_a_request_is_stored_with_consent_and_shown_to_staff(chat_app):
    client = chat_app.test_client()
    resp = client.post("/fa/chat/callback", data={"message": "درباره تمدید اقامت سوال دارم", "phone": "0532 123 45 67",
                                                  "consent": "yes"})
    assert resp.status_code == 200 and 'role="status"' in resp.get_data(as_text=True)
    [row] = _rows(chat_app)
    assert row.lang == "fa" and row.phone == "+905321234567" and row.status == "open"


def test_bad_input_never_breaks_the_page(chat_app):
    client = chat_app.test_client()
    for data in ({}, {"message": "x" * 5000, "phone": "+" + "9" * 40, "consent": "no"}, {"message": "\x00"}):
        assert client.post("/tr/chat/callback", data=data).status_code == 422


def test_requests_older_than_the_retention_period_are_purged(chat_app):
    chat_app.test_client().post("/en/chat/callback", data={"message": "please call", "phone": "0532 123 45 67",
                                                           "consent": "yes"})
    with chat_app.app_context():
        assert purge_callbacks(days=30, now=datetime.utcnow() + timedelta(days=29)) == 0
        assert purge_callbacks(days=30, now=datetime.utcnow() + timedelta(days=31)) == 1
    assert _rows(chat_app) == []
