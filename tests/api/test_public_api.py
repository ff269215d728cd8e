"""Public API behaviour: errors, languages, enumeration resistance, rate limits, audit, CORS."""
from __future__ import annotations

from sqlalchemy import select

from portal import db
from portal.audit import AuditEvent
from tests.helpers.booking import future_slots, payload, service_slug


def test_offices_services_and_slots(client, app):
    offices = client.get("/api/v1/offices").get_json()["offices"]
    assert len(offices) == 81 and {"code", "name", "hours", "counters"} <= set(offices[0])
    services = client.get("/api/v1/services?lang=ar").get_json()
    assert services["lang"] == "ar" and service_slug() in {s["slug"] for s in services["services"]}
    resp = client.get(f"/api/v1/offices/34/slots?service={service_slug()}")
    assert resp.status_code == 200
    slots = resp.get_json()["slots"]
    assert slots and all(s["start"].endswith("Z") and s["local_start"].endswith("+03:00") for s in slots)
    assert client.get(f"/api/v1/offices/999/slots?service={service_slug()}").status_code == 404
    bad = client.get("/api/v1/offices/34/slots?service=not-a-service")
    assert bad.status_code == 422 and "service" in bad.get_json()["fields"]
    too_long = client.get(f"/api/v1/offices/34/slots?service={service_slug()}&from=2030-01-01&to=2030-03-01")
    assert too_long.status_code == 422


def test_field_errors_are_localised(client, app):
    start = future_slots(app)[0]
    body = payload(start, name="", phone="12", consent=False, lang="tr")
    resp = client.post("/api/v1/appointments", json=body, headers={"Accept-Language": "tr"})
    data = resp.get_json()
    assert resp.status_code == 422 and data["error"] == "validation_failed"
    assert set(data["fields"]) == {"name", "phone", "consent"}
    english = client.post("/api/v1/appointments", json=dict(body, lang="en")).get_json()
    assert english["fields"]["name"] == "Enter your full name"
    assert data["fields"]["name"] != english["fields"]["name"]
    missing = client.post("/api/v1/appointments?lang=uk", json={})
    assert missing.status_code == 422 and "office" in missing.get_json()["fields"]


def test_names_in_any_script_and_phone_formats(client, app):
    slots = future_slots(app, n=4)
    names = ["محمد الأحمد", "Олександра Коваленко-Шевченко", "Zeynep Çağlar-Öztürk", "O'Brien Seán"]
    phones = ["0532 111 22 33", "+90 (533) 111 22 34", "+49 151 23456789", "905341112235"]
    for start, name, phone in zip(slots, names, phones):
        resp = client.post("/api/v1/appointments", json=payload(start, name=name, phone=phone))
        assert resp.status_code == 201, resp.get_json()
        assert resp.get_json()["appointment"]["name"] == name


def test_unknown_reference_and_wrong_code_look_the_same(client, app):
    data = client.post("/api/v1/appointments", json=payload(future_slots(app)[0])).get_json()
    wrong = client.post("/api/v1/appointments/lookup", json={"reference": data["reference"], "access_code": "AAAA-AAAA"})
    unknown = client.post("/api/v1/appointments/lookup", json={"reference": "GIB-2222-22", "access_code": "AAAA-AAAA"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_json() == unknown.get_json()
    ok = client.post("/api/v1/appointments/lookup",
                     json={"reference": data["reference"].lower().replace("-", " "),
                           "access_code": data["access_code"].lower()})
    assert ok.status_code == 200 and ok.get_json()["reference"] == data["reference"]
    with app.app_context():
        rows = db.session().scalars(select(AuditEvent).where(AuditEvent.action == "appointment.lookup")).all()
        assert [r.outcome for r in rows] == ["failed", "failed", "ok"]
        assert all(data["access_code"] not in (r.object_ref + r.client) for r in rows)
        assert all(r.actor == "public" and len(r.client) == 16 for r in rows)


def test_lookups_are_rate_limited(make_migrated_app):
    app = make_migrated_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [client.post("/api/v1/appointments/lookup",
                         json={"reference": "GIB-2222-22", "access_code": "x"}).status_code for _ in range(12)]
    assert codes[:10] == [404] * 10 and codes[10:] == [429, 429]
    limited = client.post("/api/v1/appointments/lookup", json={"reference": "GIB-2222-22", "access_code": "x"})
    assert limited.get_json()["error"] == "too_many_requests"


def test_cors_closed_and_no_caching(client, app):
    resp = client.get("/api/v1/offices", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in resp.headers
    assert resp.headers["Cache-Control"] == "no-store"
    pre = client.options("/api/v1/appointments", headers={"Origin": "https://evil.example",
                                                           "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in pre.headers


def test_bad_json_never_500(client, app):
    for body in ("{", "[]", "null", '{"office": "x", "start": "yesterday"}'):
        resp = client.post("/api/v1/appointments", data=body, content_type="application/json")
        assert resp.status_code in (400, 422), (body, resp.status_code)
        assert set(resp.get_json()) == {"error", "message", "fields"}


def test_openapi_document(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/offices", "/api/v1/offices/{code}/slots", "/api/v1/appointments",
                 "/api/v1/appointments/lookup", "/api/v1/cases/lookup", "/api/v1/staff/cases"):
        assert path in spec["paths"]
    assert spec["paths"]["/api/v1/staff/cases"]["post"]["security"] == [{"bearerAuth": []}]
