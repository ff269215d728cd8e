"""Every page in every language: status, <html lang dir>, translated title, redirects."""
from __future__ import annotations

import re

import pytest

from knowledge.loader import load
from portal.i18n import LANGUAGES

PAGES = ["/", "/services", "/offices", "/contact", "/accessibility", "/privacy", "/search",
         "/services/travel-permit", "/services/travel-permit/checklist"]


def html_attrs(body: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([a-z]+)" dir="(ltr|rtl)">', body)
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_every_language(portal_client, lang, page):
    resp = portal_client.get(f"/{lang}{page}")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert html_attrs(body) == (lang, LANGUAGES[lang][1])
    assert body.count("<h1") == 1
    assert 'href="#main"' in body and 'id="main"' in body
    assert re.search(r"<title>[^<]{3,}</title>", body)


@pytest.mark.parametrize("lang", ["ar", "fa", "ps"])
def test_rtl_languages_get_rtl(portal_client, lang):
    _, direction = html_attrs(portal_client.get(f"/{lang}/").get_data(as_text=True))
    assert direction == "rtl"


def test_root_redirects_by_cookie_then_accept_language_then_turkish(portal_client):
    assert portal_client.get("/").headers["Location"].endswith("/tr/")
    resp = portal_client.get("/", headers={"Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"})
    assert resp.headers["Location"].endswith("/fa/")
    portal_client.set_cookie("lang", "uk")
    resp = portal_client.get("/", headers={"Accept-Language": "fa"})
    assert resp.headers["Location"].endswith("/uk/")


def test_visiting_a_language_remembers_it(portal_client):
    portal_client.get("/de/services")
    assert portal_client.get("/").headers["Location"].endswith("/de/")


def test_unknown_language_and_service_are_404_in_page_language(portal_client):
    assert portal_client.get("/xx/services").status_code == 404
    resp = portal_client.get("/fr/services/no-such-service")
    assert resp.status_code == 404
    assert html_attrs(resp.get_data(as_text=True)) == ("fr", "ltr")


def test_language_switcher_keeps_the_page(portal_client):
    body = portal_client.get("/en/services/travel-permit").get_data(as_text=True)
    for code in LANGUAGES:
        assert f'href="/{code}/services/travel-permit"' in body
    for code, (name, _dir) in LANGUAGES.items():
        assert name in body


def test_guide_page_has_every_section_and_check_note(portal_client):
    kb = load()
    text = kb.service("travel-permit").text("en")
    body = portal_client.get("/en/services/travel-permit").get_data(as_text=True)
    for anchor in ("who", "need", "steps", "cost", "time", "where", "law"):
        assert f'id="{anchor}"' in body
    assert "157" in body
    assert text.documents and all(len(d) > 0 for d in text.documents)
    assert '<bdi lang="tr" dir="ltr">İzin Belgesi</bdi>' in body


def test_untranslated_service_says_so_and_offers_languages(portal_app, tmp_path):
    import shutil
    from pathlib import Path
    src = Path(portal_app.config["KNOWLEDGE_DIR"])
    dst = tmp_path / "content"
    shutil.copytree(src, dst)
    for lang_file in (dst / "services" / "travel-permit").glob("*.yaml"):
        if lang_file.stem not in ("meta", "tr", "en"):
            lang_file.unlink()
    portal_app.config["KNOWLEDGE_DIR"] = str(dst)
    body = portal_app.test_client().get("/ps/services/travel-permit").get_data(as_text=True)
    assert html_attrs(body) == ("ps", "rtl")
    assert 'href="/tr/services/travel-permit"' in body
    assert 'href="/en/services/travel-permit"' in body
    assert "English:" in body and "Türkçe:" in body
    assert "العربية:" not in body


def test_readyz_reports_components(portal_client):
    resp = portal_client.get("/readyz")
    data = resp.get_json()
    assert "components" in data and "database" in data["components"]
    assert data["components"]["database"]["status"] == "ok"


def test_json_errors_for_api_paths(portal_client):
    resp = portal_client.get("/api/v1/does-not-exist")
    assert resp.status_code == 404
    data = resp.get_json()
    assert set(data) == {"error", "message", "fields"}


def test_no_third_party_requests(portal_client):
    body = portal_client.get("/ar/services/travel-permit").get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', body)


def test_readyz_reports_rasa_down_without_failing(portal_app):
    """Rasa is optional for readiness: the chat degrades, so /readyz is 200 (once the index is loaded) and
    says rasa is down."""
    import time
    portal_app.config["RASA_URL"] = "http://127.0.0.1:9"  # discard port: nothing listens
    client = portal_app.test_client()
    for _ in range(600):        # the index and encoder load in the background on the first check
        resp = client.get("/readyz")
        data = resp.get_json()
        if data["components"]["index"]["status"] != "loading":
            break
        time.sleep(0.1)
    assert data["components"]["rasa"]["status"] == "down"
    assert resp.status_code == 200 and data["status"] == "ok", data


def test_postgres_urls_use_the_one_installed_driver():
    from portal.config import pin_postgres_driver
    assert pin_postgres_driver("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert pin_postgres_driver("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert pin_postgres_driver("sqlite:///x.db") == "sqlite:///x.db"
