"""The booking, manage and case pages (no JavaScript): full flows, errors, languages."""
from __future__ import annotations

import re

from tests.helpers.booking import service_slug
from tests.helpers.cases import create_case
from tests.helpers.staff import make_staff


def _follow(client, resp):
    assert resp.status_code in (302, 303), resp.status_code
    return client.get(resp.headers["Location"])


def _first(pattern: str, page) -> str:
    return re.search(pattern, page.get_data(as_text=True)).group(1)


def book_through_pages(client, lang="en", name="Demo Ayşe Örnek", phone="0532 123 45 67"):
    svc = service_slug()
    page = _follow(client, client.get(f"/{lang}/book?submitted=1&service={svc}"))
    assert "İstanbul" in page.get_data(as_text=True)
    page = _follow(client, client.get(f"/{lang}/book/office?submitted=1&service={svc}&office=34"))
    day = _first(r'name="date" value="([\d-]+)"', page)
    page = _follow(client, client.get(f"/{lang}/book/date?submitted=1&service={svc}&office=34&date={day}"))
    start = _first(r'name="start" value="([\dT:-]+)"', page)
    page = client.get(f"/{lang}/book/time?submitted=1&service={svc}&office=34&date={day}&start={start}")
    details_url = page.headers["Location"]
    resp = client.post(details_url, data={"name": name, "phone": phone, "consent": "yes"})
    assert resp.status_code == 303
    check = client.get(resp.headers["Location"])
    assert name in check.get_data(as_text=True)
    done = client.post(resp.headers["Location"])
    assert done.status_code == 303
    page = client.get(done.headers["Location"])
    ref = _first(r'id="reference">([A-Z0-9-]+)<', page)
    code = _first(r'id="access-code">([A-Z0-9-]+)<', page)
    return ref, code, page.get_data(as_text=True)


def test_full_booking_then_manage_and_cancel(client, app):
    ref, code, html = book_through_pages(client)
    assert "Istanbul time" in html and ".ics" in html
    ics = client.get("/en/appointments/calendar.ics")
    assert ics.mimetype == "text/calendar" and ref in ics.get_data(as_text=True)
    other = app.test_client()
    assert other.get("/en/appointments/view").status_code == 303       # no access without the code
    resp = other.post("/en/appointments/manage", data={"reference": ref, "access_code": code})
    assert resp.status_code == 303 and "?" not in resp.headers["Location"]
    view = other.get("/en/appointments/view").get_data(as_text=True)
    assert ref in view and "Cancel this appointment" in view
    cancelled = _follow(other, other.post("/en/appointments/cancel"))
    assert "Your appointment is cancelled" in cancelled.get_data(as_text=True)


def test_reschedule_through_pages(client, app):
    ref, _code, _html = book_through_pages(client)
    page = client.get("/en/appointments/reschedule")
    day = _first(r'name="date" value="([\d-]+)"', page)
    page = client.get(f"/en/appointments/reschedule?date={day}")
    starts = re.findall(r'name="start" value="([\dT:-]+)"', page.get_data(as_text=True))
    resp = client.post(f"/en/appointments/reschedule?date={day}", data={"start": starts[-1]})
    assert resp.status_code == 303
    assert "Your appointment is changed" in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_booking_pages_in_arabic_are_rtl(client, app):
    ref, _code, html = book_through_pages(client, lang="ar", name="محمد الأحمد")
    assert 'dir="rtl"' in html and f'<bdi dir="ltr" class="ref" id="reference">{ref}' in html


def test_step_errors_follow_the_govuk_pattern(client, app):
    page = client.get("/en/book?submitted=1")
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "<title>Error:" in html
    assert 'href="#service"' in html and 'aria-describedby="service-hint service-error"' in html
    svc = service_slug()
    day = _first(r'name="date" value="([\d-]+)"', client.get(f"/en/book/date?service={svc}&office=34"))
    start = _first(r'name="start" value="([\dT:-]+)"', client.get(f"/en/book/time?service={svc}&office=34&date={day}"))
    resp = client.post(f"/en/book/details?service={svc}&office=34&start={start}",
                       data={"name": "R2D2 !!", "phone": "12", "email": "nope"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    for field in ("name", "phone", "email", "consent"):
        assert f'href="#{field}"' in html and f'id="{field}-error"' in html


def test_manage_errors_are_identical_for_unknown_and_wrong(client, app):
    ref, _code, _html = book_through_pages(client)
    fresh = app.test_client()
    wrong = fresh.post("/en/appointments/manage", data={"reference": ref, "access_code": "AAAA-AAAA"})
    unknown = fresh.post("/en/appointments/manage", data={"reference": "GIB-2222-22", "access_code": "AAAA-AAAA"})
    assert wrong.status_code == unknown.status_code == 422

    def page(resp, reference: str) -> str:     # the form's CSRF token carries the second it was signed in
        return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r'\1TOKEN"', resp.get_data(as_text=True)
                      ).replace(reference, "REF")
    assert 'name="csrf_token"' in wrong.get_data(as_text=True)
    assert page(wrong, ref) == page(unknown, "GIB-2222-22")


def test_case_status_page(client, app):
    token = make_staff(app)
    created = create_case(client, token).get_json()
    resp = client.post("/uk/cases/check", data={"number": created["number"], "access_code": created["access_code"]})
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert created["number"] in page and "Заяву зареєстровано." in page
    bad = client.post("/uk/cases/check", data={"number": created["number"], "access_code": "x"})
    assert bad.status_code == 422 and "<title>" in bad.get_data(as_text=True)


def test_forms_need_csrf_when_enabled(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    resp = app.test_client().post("/en/appointments/manage", data={"reference": "x", "access_code": "y"})
    assert resp.status_code == 400


def test_home_and_bookable_guides_link_to_booking(client, app):
    home = client.get("/fr/").get_data(as_text=True)
    assert 'href="/fr/book"' in home and 'href="/fr/appointments/manage"' in home
    guide = client.get(f"/en/services/{service_slug()}").get_data(as_text=True)
    assert f"/en/book?service={service_slug()}" in guide


def test_odd_parameters_never_fail(client, app):
    svc = service_slug()
    urls = [f"/en/book/office?service={svc}&office=99999999999999999999&submitted=1",
            f"/en/book/date?service={svc}&office=-1", f"/en/book/date?service={svc}&office=34&date=x&submitted=1",
            f"/en/book/time?service={svc}&office=34&date=0001-01-01", f"/en/book/time?service={svc}&office=34&date=9999-12-31",
            f"/en/book/details?service={svc}&office=34&start=9999-12-31T23:59",
            f"/en/book/details?service={svc}&office=34&start=0001-01-01T00:00",
            f"/en/book/check?service={svc}&office=34&start=nonsense", "/en/book?service=%00&submitted=1",
            "/en/appointments/view", "/en/appointments/calendar.ics", "/en/cases/status",
            "/en/appointments/reschedule?date=9999-12-31"]
    for url in urls:
        assert client.get(url).status_code in (200, 302, 303, 422), url
    assert client.post(f"/en/book/details?service={svc}&office=34&start=9999-12-31T23:59", data={}).status_code == 303
