"""Checks the knowledge base: schema, slugs, links, coverage, numbers, reviews and terms.

`flask knowledge check` prints the report and fails (exit 1) on any error. A language
listed under `required_languages` in content/coverage.yaml must be 100% complete,
current and reviewed: that is how a coverage regression fails CI.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from knowledge import yamlio

from .glossary import check_terms, load_glossary
from .loader import KnowledgeBase, Service, plain
from .schema import (LANGS, META_REQUIRED, MIN_QUESTIONS, REVIEW_KEYS, REVIEW_PENDING, SERVICE_OPTIONAL_FIELDS,
                     SERVICE_TEXT_FIELDS, SOURCE_LANG)

CATALOGUE_PATHS = (
    Path(__file__).resolve().parent / "catalogue.yaml",
    Path(__file__).resolve().parent.parent.parent / "shared" / "catalogue.yaml",
)
# Eastern Arabic and Persian digits count as the same numbers.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMBER_RE = re.compile(r"\d+")


def numbers_in(value) -> list[str]:
    """Sorted digit groups of a text or list (phone numbers split on spaces count per group)."""
    text = " ".join(value) if isinstance(value, list) else str(value or "")
    found = _NUMBER_RE.findall(plain(text).translate(_DIGITS))
    return sorted(n.lstrip("0") or "0" for n in found)


@dataclass
class LangCoverage:
    lang: str
    complete: list[str] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)   # slug -> missing fields
    stale: list[str] = field(default_factory=list)
    unreviewed: list[str] = field(default_factory=list)
    few_questions: list[str] = field(default_factory=list)
    number_mismatch: dict[str, list[str]] = field(default_factory=dict)
    review_pending: list[str] = field(default_factory=list)   # changed after the review (a warning)

    def percent(self, total: int) -> float:
        return 100.0 * len(self.complete) / total if total else 0.0


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    coverage: dict[str, LangCoverage] = field(default_factory=dict)
    required_languages: list[str] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def catalogue_slugs() -> set[str]:
    slugs: set[str] = set()
    for path in CATALOGUE_PATHS:
        if path.exists():
            data = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
            slugs |= {s["slug"] for s in data.get("services", [])}
    return slugs


def required_languages(kb: KnowledgeBase) -> list[str]:
    path = kb.root / "coverage.yaml"
    if not path.exists():
        return [SOURCE_LANG]
    data = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("required_languages") or [SOURCE_LANG])


def check(kb: KnowledgeBase) -> Report:
    report = Report(errors=list(kb.errors), total=len(kb.services))
    report.required_languages = required_languages(kb)
    for slug in sorted(catalogue_slugs() - set(kb.services)):
        report.errors.append(f"catalogue slug '{slug}' has no service folder")
    _check_shared(kb, report)
    for svc in kb.services.values():
        _check_meta(kb, svc, report)
    glossary, problems = load_glossary(kb.root)
    report.errors += problems
    if glossary is not None:
        report.errors += check_terms(kb, glossary)
    for lang in LANGS:
        cov = LangCoverage(lang)
        for svc in kb.services.values():
            _check_language(svc, lang, cov, report)
        report.coverage[lang] = cov
    for lang in report.required_languages:
        cov = report.coverage.get(lang)
        if cov is None:
            report.errors.append(f"required language '{lang}' is unknown")
            continue
        problems = (len(cov.missing) + len(cov.stale) + len(cov.unreviewed)
                    + len(cov.few_questions) + len(cov.number_mismatch))
        if problems:
            report.errors.append(f"required language '{lang}' is not complete ({problems} problems)")
    return report


def _check_shared(kb: KnowledgeBase, report: Report) -> None:
    for key, names in kb.categories.items():
        for lang in LANGS:
            if not (isinstance(names, dict) and names.get(lang)):
                report.errors.append(f"category '{key}' has no name in '{lang}'")
    codes = [o.get("code") for o in kb.offices]
    if len(codes) != 81 or len(set(codes)) != 81:
        report.errors.append(f"offices.yaml must list the 81 provincial directorates (has {len(set(codes))})")
    for office in kb.offices:
        for key in ("code", "province", "name", "hours"):
            if not office.get(key):
                report.errors.append(f"office {office.get('code')}: missing '{key}'")
    numbers = {str(c.get("number")) for c in kb.contacts.get("numbers", [])}
    for required in ("112", "157", "+90 312 157 11 12"):
        if required not in numbers:
            report.errors.append(f"contacts.yaml lacks the number {required}")


def _check_meta(kb: KnowledgeBase, svc: Service, report: Report) -> None:
    meta = svc.meta
    for key in META_REQUIRED:
        if key not in meta:
            report.errors.append(f"{svc.slug}/meta.yaml: missing '{key}'")
    if meta.get("slug") != svc.slug:
        report.errors.append(f"{svc.slug}/meta.yaml: slug '{meta.get('slug')}' differs from its folder")
    if svc.category not in kb.categories:
        report.errors.append(f"{svc.slug}: unknown category '{svc.category}'")
    for rel in svc.related:
        if rel not in kb.services:
            report.errors.append(f"{svc.slug}: related service '{rel}' does not exist")
        if rel == svc.slug:
            report.errors.append(f"{svc.slug}: relates to itself")
    if not svc.sources:
        report.errors.append(f"{svc.slug}: names no source document")
    for name in svc.sources:
        if not (kb.documents.get(name) or {}).get("title"):
            report.errors.append(f"{svc.slug}: source '{name}' has no title in sources.yaml")
    if SOURCE_LANG not in svc.texts:
        report.errors.append(f"{svc.slug}: has no Turkish (source) text")
    elif not isinstance(svc.texts[SOURCE_LANG].data.get("revision"), int):
        report.errors.append(f"{svc.slug}/tr.yaml: 'revision' must be an integer")


def _field_ok(value, kind: str) -> bool:
    if kind == "list":
        return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v.strip() for v in value)
    return isinstance(value, str) and bool(value.strip())


def _check_language(svc: Service, lang: str, cov: LangCoverage, report: Report) -> None:
    text = svc.texts.get(lang)
    source = svc.texts.get(SOURCE_LANG)
    if text is None:
        cov.missing[svc.slug] = ["(no file)"]
        return
    where = f"{svc.slug}/{lang}.yaml"
    missing = []
    for name, kind in SERVICE_TEXT_FIELDS.items():
        value = text.data.get(name)
        if value is None:
            missing.append(name)
        elif not _field_ok(value, kind):
            report.errors.append(f"{where}: '{name}' must be a non-empty {kind}")
            missing.append(name)
    for name, kind in SERVICE_OPTIONAL_FIELDS.items():
        if source and source.data.get(name) and lang != SOURCE_LANG and not text.data.get(name):
            missing.append(name)
        if text.data.get(name) is not None and not _field_ok(text.data.get(name), kind):
            report.errors.append(f"{where}: '{name}' must be a non-empty {kind}")
    unknown = set(text.data) - set(SERVICE_TEXT_FIELDS) - set(SERVICE_OPTIONAL_FIELDS) - {
        "questions", "revision", "source_revision", "review", "written_by"}
    for key in sorted(unknown):
        report.errors.append(f"{where}: unknown field '{key}'")
    questions = text.data.get("questions") or []
    if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
        report.errors.append(f"{where}: 'questions' must be a list of strings")
        questions = []
    if len(questions) < MIN_QUESTIONS:
        cov.few_questions.append(svc.slug)
    if missing:
        cov.missing[svc.slug] = missing
    if lang != SOURCE_LANG:
        if text.data.get("source_revision") != svc.source_revision:
            cov.stale.append(svc.slug)
        if source:
            mismatched = [name for name in (SERVICE_TEXT_FIELDS | SERVICE_OPTIONAL_FIELDS)
                          if name != "title" and text.data.get(name) is not None
                          and numbers_in(text.data.get(name)) != numbers_in(source.data.get(name))]
            if mismatched:
                cov.number_mismatch[svc.slug] = mismatched
    if lang != SOURCE_LANG and not _review_ok(text.data, where, report):
        cov.unreviewed.append(svc.slug)
    elif lang != SOURCE_LANG and (text.data.get("review") or {}).get(REVIEW_PENDING):
        cov.review_pending.append(svc.slug)
    if not missing and svc.slug not in cov.stale and svc.slug not in cov.unreviewed \
            and svc.slug not in cov.few_questions and svc.slug not in cov.number_mismatch:
        cov.complete.append(svc.slug)


def _review_ok(data: dict, where: str, report: Report) -> bool:
    """A translation is reviewed when its review names by, date and method, and the reviewer is
    not one of the people who wrote it (written_by)."""
    review = data.get("review") if isinstance(data.get("review"), dict) else {}
    writers = data.get("written_by")
    writers = [writers] if isinstance(writers, str) else writers
    if not writers or not all(isinstance(w, str) and w.strip() for w in writers):
        report.errors.append(f"{where}: 'written_by' is missing: name who wrote this text "
                             "(its reviewer must be someone else)")
        return False
    if not all(review.get(k) for k in REVIEW_KEYS):
        return False
    if str(review["by"]).strip() in {w.strip() for w in writers}:
        report.errors.append(f"{where}: reviewed by '{review['by']}', who also wrote it: "
                             "the reviewer must not be a writer of this text")
        return False
    return True


def format_report(report: Report, verbose: bool = False) -> str:
    lines = ["Translation coverage (complete = all fields, current, reviewed, numbers match, "
             f">= {MIN_QUESTIONS} example questions)", "",
             f"{'lang':<5} {'complete':>9} {'%':>6} {'missing':>8} {'stale':>6} {'unrev.':>7} "
             f"{'<10 q':>6} {'numbers':>8} required  review pending"]
    for lang, cov in report.coverage.items():
        lines.append(
            f"{lang:<5} {len(cov.complete):>4}/{report.total:<4} {cov.percent(report.total):>6.1f} "
            f"{len(cov.missing):>8} {len(cov.stale):>6} {len(cov.unreviewed):>7} "
            f"{len(cov.few_questions):>6} {len(cov.number_mismatch):>8} "
            f"{'yes' if lang in report.required_languages else 'no':<9} {len(cov.review_pending):>14}")
    if verbose:
        for lang, cov in report.coverage.items():
            for slug, fields in sorted(cov.missing.items()):
                lines.append(f"  {lang}: {slug}: missing {', '.join(fields)}")
            for slug in cov.stale:
                lines.append(f"  {lang}: {slug}: older than the Turkish source")
            for slug, fields in sorted(cov.number_mismatch.items()):
                lines.append(f"  {lang}: {slug}: numbers differ from Turkish in {', '.join(fields)}")
            for slug in cov.unreviewed:
                lines.append(f"  {lang}: {slug}: not reviewed")
            for slug in cov.few_questions:
                lines.append(f"  {lang}: {slug}: fewer than {MIN_QUESTIONS} example questions")
            for slug in cov.review_pending:
                lines.append(f"  {lang}: {slug}: changed after its review (review.pending): needs a new review")
    lines.append("")
    for warning in report.warnings:
        lines.append(f"warning: {warning}")
    for error in report.errors:
        lines.append(f"error: {error}")
    lines.append("OK" if report.ok else f"FAILED: {len(report.errors)} error(s)")
    return "\n".join(lines)
