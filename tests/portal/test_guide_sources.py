"""A guide names its sources by the document's title, never by the seed's file name."""
from __future__ import annotations

import re

import pytest
from markupsafe import escape

from knowledge.loader import load


@pytest.mark.parametrize("lang", ["tr", "ar", "ps", "de"])
def test_every_guide_cites_its_sources_by_title(client, lang):
    kb = load()
    for svc in kb.services.values():
        if not svc.text(lang):
            continue
        html = client.get(f"/{lang}/services/{svc.slug}").get_data(as_text=True)
        meta = html[html.index('<dl class="meta">'):]
        assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", meta), svc.slug
        for name in svc.sources:
            assert f'<cite lang="tr" dir="ltr">{escape(kb.documents[name]["title"])}</cite>' in meta, (svc.slug, name)


def test_the_validator_wants_a_title_for_every_source(tmp_path):
    import shutil

    from knowledge.validator import check
    root = tmp_path / "content"
    shutil.copytree(load().root, root)
    (root / "sources.yaml").write_text("documents: {}\n", encoding="utf-8")
    errors = check(load(root)).errors
    assert any("has no title in sources.yaml" in e for e in errors)
