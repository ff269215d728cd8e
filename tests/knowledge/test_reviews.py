"""Every translation names who wrote it, and its reviewer is someone else; changes made after a
review are listed as pending (a warning, not an error)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from knowledge.loader import DEFAULT_DIR, load
from knowledge.schema import LANGS, SOURCE_LANG
from knowledge.validator import check, format_report


@pytest.fixture()
def content(tmp_path) -> Path:
    dst = tmp_path / "content"
    shutil.copytree(DEFAULT_DIR, dst)
    return dst


def edit(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_every_translation_has_a_reviewer_who_did_not_write_it():
    for svc in load().services.values():
        for lang in LANGS:
            if lang == SOURCE_LANG:
                continue
            data = svc.texts[lang].data
            writers = data["written_by"] if isinstance(data["written_by"], list) else [data["written_by"]]
            assert writers and data["review"]["by"] not in writers, (svc.slug, lang)


def test_a_reviewer_who_is_also_a_writer_fails(content):
    path = content / "services" / "travel-permit" / "de.yaml"
    review = yaml.safe_load(path.read_text(encoding="utf-8"))["review"]
    edit(path, written_by=["someone", review["by"]])
    report = check(load(content))
    assert "travel-permit" in report.coverage["de"].unreviewed
    assert any("travel-permit/de.yaml: reviewed by" in e and "also wrote it" in e for e in report.errors)


def test_a_translation_without_its_writer_fails(content):
    edit(content / "services" / "travel-permit" / "fr.yaml", written_by=None)
    report = check(load(content))
    assert not report.ok
    assert any("travel-permit/fr.yaml: 'written_by' is missing" in e for e in report.errors)


def test_changes_after_the_review_are_reported_as_pending_not_as_errors(content):
    path = content / "services" / "education" / "en.yaml"
    review = yaml.safe_load(path.read_text(encoding="utf-8"))["review"]
    edit(path, review={**review, "pending": "2026-12-06: wording changed"})
    report = check(load(content))
    assert report.ok, report.errors
    assert "education" in report.coverage["en"].review_pending
    assert "en: education: changed after its review" in format_report(report, verbose=True)
