"""Static files by content-addressed URL (portal/templating.py): `?v=` is the file's hash; only that URL
is cached for a year, anything else revalidates."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import url_for

from portal.templating import STATIC_LIFETIME, static_url

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_every_static_url_carries_the_file_hash(app, client):
    expected = hashlib.sha256((STATIC / "css/site.css").read_bytes()).hexdigest()[:12]
    with app.test_request_context():
        assert url_for("static", filename="css/site.css") == f"/static/css/site.css?v={expected}"
        assert static_url("css/site.css") == f"/static/css/site.css?v={expected}"
        assert "v=" not in url_for("static", filename="css/no-such-file.css")
        assert "v=" not in url_for("static", filename="../portal/config.py")
    page = client.get("/en/services/travel-permit").get_data(as_text=True)
    assert f'href="/static/css/site.css?v={expected}"' in page
    assert not re.search(r'(?:href|src)="/static/[^"?]+"', page)   # no static link without its hash


def test_only_the_current_fingerprint_is_immutable(app, client):
    with app.test_request_context():
        url = url_for("static", filename="js/offline.js")
    current = client.get(url)
    assert current.status_code == 200 and current.headers["Cache-Control"] == STATIC_LIFETIME
    for stale in ("/static/js/offline.js", "/static/js/offline.js?v=000000000000"):
        resp = client.get(stale)
        assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-cache", stale
        resp.close()
    current.close()
