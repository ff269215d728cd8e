"""The worker script, the offline and saved-guides pages in nine languages, guide content versions and
conditional requests, and the size budget of the offline scripts."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from knowledge.loader import ServiceText
from portal.i18n import LANGUAGES
from portal.offline.policy import MATERIAL_PARTS, guide_version

ROOT = Path(__file__).resolve().parents[2]


def test_the_worker_is_served_from_the_root_with_its_settings(client, app):
    resp = client.get("/sw.js")
    assert resp.status_code == 200
    assert resp.mimetype == "text/javascript"
    assert resp.headers["Cache-Control"] == "no-cache"          # a new version is picked up at once
    body = resp.get_data(as_text=True)
    assert body.startswith('"use strict";\nself.OFFLINE = {')
    assert f'"maxEntries": {app.config["OFFLINE_MAX_ENTRIES"]}' in body
    assert '"langs": ["tr", "en", "ar", "fa", "ru", "uk", "ps", "de", "fr"]' in body   # an offline page for each
    assert "worker-src 'self'" in resp.headers["Content-Security-Policy"]


def test_worker_and_page_script_stay_within_10_kb_gzipped(client):
    worker = client.get("/sw.js").get_data()                     # as served, with its settings
    size = len(gzip.compress(worker, 9)) + len(gzip.compress((ROOT / "static/js/offline.js").read_bytes(), 9))
    assert size <= 10 * 1024, f"{size} bytes gzipped"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_offline_page_in_every_language(app, client, lang):
    resp = client.get(f"/{lang}/offline")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["X-Offline-Storable"] == "offline"
    assert f'<html lang="{lang}" dir="{LANGUAGES[lang][1]}"' in html
    with app.test_request_context(), force_locale(lang):
        title = gettext("You are offline")
    assert f"<h1>{title}</h1>" in html
    assert 'href="tel:112"' in html and 'href="tel:157"' in html
    assert "chat-widget" not in html                             # no chat without a connection


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_saved_guides_page_in_every_language(app, client, lang):
    resp = client.get(f"/{lang}/saved")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    with app.test_request_context(), force_locale(lang):
        title, unsupported = gettext("Saved guides"), gettext("Offline reading needs JavaScript and a browser that "
                                                               "supports it. Without it, every guide still works while "
                                                               "you are connected.")
    assert f">{title}</h1>" in html
    assert unsupported in html                                   # what a browser without the worker shows
    assert re.search(r"<div data-offline-list hidden>", html)


def test_without_the_worker_a_guide_shows_no_offline_controls(client):
    html = client.get("/fa/services/travel-permit").get_data(as_text=True)
    tools = html[html.index("data-offline-tools"):html.index("</div>", html.index("data-offline-tools"))]
    for part in re.findall(r"<p [^>]*>", tools):                 # notices and the Save button start hidden
        assert " hidden" in part, part
    assert re.search(r'<script src="/static/js/offline\.js\?v=[0-9a-f]{12}" defer></script>', html)


def test_guide_carries_its_content_version_and_answers_304(client):
    first = client.get("/fa/services/travel-permit")
    version, etag = first.headers["X-Content-Version"], first.headers["ETag"]
    assert re.fullmatch(r"[0-9a-f]{16}", version)
    assert set(dict(p.split("=") for p in first.headers["X-Content-Material"].split(";"))) == set(MATERIAL_PARTS)
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/fa/services/travel-permit", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get("/ps/services/travel-permit")
    assert other.headers["X-Content-Version"] != version         # one version per guide and language


def test_a_changed_deadline_changes_only_that_part():
    from knowledge.loader import load
    svc = load().service("travel-permit")
    version, material = guide_version(svc, "fa")
    changed = type(svc)(svc.slug, svc.meta, dict(svc.texts))
    changed.texts["fa"] = ServiceText("fa", {**svc.texts["fa"].data, "deadlines": "۳۰ روز"})
    new_version, new_material = guide_version(changed, "fa")
    assert new_version != version
    assert [p for p in MATERIAL_PARTS if new_material[p] != material[p]] == ["deadlines"]
    reworded = type(svc)(svc.slug, svc.meta, dict(svc.texts))
    reworded.texts["fa"] = ServiceText("fa", {**svc.texts["fa"].data, "summary": "..."})
    assert guide_version(reworded, "fa")[1] == material           # a new summary is not a rule change
    source_changed = type(svc)(svc.slug, svc.meta, dict(svc.texts))
    source_changed.texts["tr"] = ServiceText("tr", {**svc.texts["tr"].data, "fees": "Ücretsiz değil"})
    assert guide_version(source_changed, "fa")[1]["fees"] != material["fees"]   # the Turkish source counts too
