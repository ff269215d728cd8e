"""A service page with everything it loads (HTML, CSS, JS and, in ar/fa/ps, the Arabic-script web font)
stays under 60 KB gzipped. Text is counted gzipped; woff2 is already compressed and counts as served."""
from __future__ import annotations

import gzip
import re

import pytest

from knowledge.schema import LANGS
from portal.fonts import ARABIC_FONT_FILE, uses_arabic_font

LIMIT = 60 * 1024
ASSET = re.compile(rb'(?:href|src)="(/static/[^"]+\.(?:css|js)(?:\?v=[0-9a-f]+)?)"')   # fingerprinted
FONT = re.compile(rb'(/static/[^"]+\.woff2(?:\?v=[0-9a-f]+)?)"|url\(([^)]+\.woff2(?:\?v=[0-9a-f]+)?)\)')


def _get(client, url: str) -> bytes:
    resp = client.get(url)
    assert resp.status_code == 200, url
    body = resp.get_data()
    resp.close()
    return body


def page_weight(client, path: str) -> tuple[int, list[str]]:
    """(bytes on the wire, font files) of a page and every stylesheet, script and font it loads."""
    html = _get(client, path)
    total = len(gzip.compress(html, 9))
    fonts = {m[0] for m in FONT.findall(html) if m[0]}
    for url in dict.fromkeys(ASSET.findall(html)):
        body = _get(client, url.decode())
        total += len(gzip.compress(body, 9))
        if url.split(b"?")[0].endswith(b".css"):
            base = url.decode().rsplit("/", 1)[0]
            for _, rel in FONT.findall(body):
                fonts.add(f"{base}/{rel.decode()}".replace("/css/../", "/").encode())
    by_file = {url.split(b"?")[0]: url for url in fonts}       # the preload and the stylesheet: one download
    for url in by_file.values():
        total += len(_get(client, url.decode()))
    return total, sorted(u.decode().rsplit("/", 1)[-1].split("?")[0] for u in by_file)


@pytest.mark.parametrize("lang", LANGS)
def test_service_page_weight(portal_app, portal_client, lang):
    from portal.knowledge_access import knowledge_base
    with portal_app.app_context():
        slugs = [svc.slug for svc in knowledge_base().services.values() if svc.text(lang)]
    weights = {slug: page_weight(portal_client, f"/{lang}/services/{slug}") for slug in slugs}
    heaviest = max(weights, key=lambda slug: weights[slug][0])
    total, fonts = weights[heaviest]
    print(f"{lang}: heaviest service page {heaviest}: {total} bytes ({total / 1024:.1f} KB) with {fonts or 'no font'}")
    assert fonts == ([ARABIC_FONT_FILE] if uses_arabic_font(lang) else [])
    assert total <= LIMIT, f"{heaviest}: {total} bytes gzipped"


def test_the_preload_and_the_stylesheet_name_the_same_font_url(portal_client):
    """Otherwise the browser downloads the font twice."""
    html = _get(portal_client, "/ps/services/travel-permit")
    preload = re.search(rb'<link rel="preload" href="([^"]+)" as="font"', html).group(1).decode()
    css_url = re.search(rb'href="(/static/css/arabic-font\.css[^"]*)"', html).group(1).decode()
    in_css = re.search(r"url\(\.\./fonts/([^)]+)\)", _get(portal_client, css_url).decode()).group(1)
    assert preload == f"/static/fonts/{in_css}"
