"""Fixtures for the search tests: a tiny knowledge base on disk and a fast deterministic fake encoder."""
from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.loader import load
from tests.search.search_fakes import FakeEncoder, write_kb


@pytest.fixture()
def kb_dir(tmp_path) -> Path:
    return write_kb(tmp_path)


@pytest.fixture()
def kb(kb_dir):
    return load(kb_dir)


@pytest.fixture()
def fake_encoder():
    return FakeEncoder()
