"""The loader and `flask knowledge check`: schema, slugs, links, coverage, numbers, reviews."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from knowledge.loader import DEFAULT_DIR, load, plain
from knowledge.validator import catalogue_slugs, check, format_report, numbers_in


@pytest.fixture()
def content(tmp_path) -> Path:
    """A private copy of the real content to break in each test."""
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


def test_real_content_passes():
    report = check(load())
    assert report.ok, format_report(report, verbose=True)


def test_every_catalogue_slug_has_a_service():
    assert catalogue_slugs() <= set(load().services)


def test_plain_removes_term_markup():
    assert plain("a [[İzin Belgesi]] b") == "a İzin Belgesi b"


def test_numbers_normalise_eastern_digits():
    assert numbers_in("۱۵ روز و ١٥٧") == numbers_in("15 days and 157") == ["15", "157"]


def test_missing_required_field_is_reported(content):
    edit(content / "services" / "travel-permit" / "tr.yaml", steps=None)
    report = check(load(content))
    assert "travel-permit" in report.coverage["tr"].missing
    assert not report.ok  # tr is a required language


def test_unknown_related_slug_is_an_error(content):
    edit(content / "services" / "travel-permit" / "meta.yaml", related=["no-such-service"])
    report = check(load(content))
    assert any("no-such-service" in e for e in report.errors)


def test_unknown_category_and_missing_catalogue_slug(content):
    edit(content / "services" / "travel-permit" / "meta.yaml", category="nowhere")
    shutil.rmtree(content / "services" / "yimer-157", ignore_errors=True)
    report = check(load(content))
    assert any("unknown category 'nowhere'" in e for e in report.errors)
    assert any("yimer-157" in e for e in report.errors)


def test_stale_translation_is_reported(content):
    edit(content / "services" / "travel-permit" / "tr.yaml", revision=2)
    report = check(load(content))
    assert "travel-permit" in report.coverage["en"].stale
    assert "travel-permit" not in report.coverage["en"].complete


def test_number_mismatch_is_reported(content):
    path = content / "services" / "travel-permit" / "en.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(path, deadlines=data["deadlines"].replace("15", "16"))
    report = check(load(content))
    assert "deadlines" in report.coverage["en"].number_mismatch["travel-permit"]


def test_unreviewed_translation_is_not_complete(content):
    edit(content / "services" / "travel-permit" / "en.yaml", review=None)
    report = check(load(content))
    assert "travel-permit" in report.coverage["en"].unreviewed


def test_broken_yaml_is_reported_not_raised(content):
    (content / "services" / "travel-permit" / "de.yaml").write_text("title: [unclosed", encoding="utf-8")
    report = check(load(content))
    assert any("de.yaml" in e for e in report.errors)


def test_required_language_regression_fails(content):
    (content / "coverage.yaml").write_text("required_languages: [tr, en, de]\n", encoding="utf-8")
    (content / "services" / "travel-permit" / "de.yaml").unlink(missing_ok=True)
    report = check(load(content))
    assert any("required language 'de'" in e for e in report.errors)


def test_report_lists_all_nine_languages():
    text = format_report(check(load()))
    for lang in ("tr", "en", "ar", "fa", "ru", "uk", "ps", "de", "fr"):
        assert f"\n{lang} " in text
