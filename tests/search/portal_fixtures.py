"""A portal app wired to a tiny knowledge base, the fake encoder and a freshly built index."""
from __future__ import annotations

import pytest

from knowledge.search import encoder as encoder_module
from tests.search.search_fakes import FakeEncoder, write_kb


def make_search_app(make_app, tmp_path, monkeypatch, **overrides):
    """An app on the tiny knowledge base with the fake encoder and its index built."""
    monkeypatch.setitem(encoder_module.BACKENDS, "fake", FakeEncoder)
    content = write_kb(tmp_path / "kb")
    config = dict(KNOWLEDGE_DIR=str(content), INDEX_DIR=str(tmp_path / "index"), ENCODER_BACKEND="fake",
                  REDIS_URL="")
    config.update(overrides)
    app = make_app(**config)
    from portal.search.operations import build_search_index
    with app.app_context():
        build_search_index()
    return app


@pytest.fixture()
def search_app(make_app, tmp_path, monkeypatch):
    return make_search_app(make_app, tmp_path, monkeypatch)


@pytest.fixture()
def search_client(search_app):
    return search_app.test_client()
