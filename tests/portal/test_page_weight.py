"""A service page with everything it loads (HTML, CSS, JS; no web fonts) stays under 60 KB gzipped."""
from __future__ import annotations

import gzip
import re

import pytest

LIMIT = 60 * 1024


@pytest.mark.parametrize("lang", ["tr", "ar", "de"])
def test_service_page_weight(portal_client, lang):
    page = portal_client.get(f"/{lang}/services/travel-permit")
    html = page.get_data()
    total = len(gzip.compress(html, 9))
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js)(?:\?v=[0-9a-f]+)?)"', html)   # fingerprinted
    assert assets, "expected the stylesheet"
    for url in assets:
        resp = portal_client.get(url.decode())
        assert resp.status_code == 200
        total += len(gzip.compress(resp.get_data(), 9))
        resp.close()
    assert not re.search(rb'\.(woff2?|ttf|otf)', html)
    assert total <= LIMIT, f"{total} bytes gzipped"
