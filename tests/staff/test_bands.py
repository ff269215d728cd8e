"""Confidence bands of the console's first suggestion: the rules, the stored calibration and its
held-out evidence, and the calibration questions themselves (well-formed, labelled with real services,
not copied from an evaluation set)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from knowledge.schema import LANGS
from portal.staff.suggest.bands import BANDS, CALIBRATION_FILE, Calibration, Rule, band_of, calibration, features

ROOT = Path(__file__).resolve().parents[2]
CALIBRATION_DIR = ROOT / "bench" / "calibration"
RULES = Calibration(sure=Rule(score=0.9, margin=0.03), likely=Rule(score=0.86, margin=0.0))


class Row:
    def __init__(self, score):
        self.score = score


@pytest.mark.parametrize("score,margin,abstain,band", [
    (0.95, 0.05, False, "sure"),
    (0.95, 0.01, False, "likely"),      # high but neck and neck with the runner-up: not sure
    (0.87, 0.10, False, "likely"),
    (0.80, 0.10, False, "check"),
    (0.99, 0.20, True, "check"),        # the search abstained: always check
])
def test_band_follows_score_margin_and_abstention(score, margin, abstain, band):
    assert band_of(score, margin, abstain, RULES) == band


def test_features_are_the_best_score_and_its_lead():
    assert features([Row(0.93), Row(0.90), Row(0.5)]) == pytest.approx((0.93, 0.03))
    assert features([Row(0.91)]) == pytest.approx((0.91, 0.91))
    assert features([]) == (0.0, 0.0)


def test_the_stored_calibration_keeps_its_promise_on_held_back_questions():
    stored = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    rules = calibration()
    assert rules.likely.score <= rules.sure.score and rules.likely.margin <= rules.sure.margin
    assert stored["fitted_on"] and stored["questions"]["held_back"] >= 100
    held = stored["figures"]["held_back"]
    assert set(BANDS) <= set(held)
    assert held["sure"]["n"] >= 20 and held["sure"]["accuracy"] >= 0.95
    assert held["sure"]["accuracy"] > held["likely"]["accuracy"] > held["check"]["accuracy"]
    assert sum(held[band]["n"] for band in BANDS) == held["all"]["n"] == stored["questions"]["held_back"]


def _calibration_rows() -> list[dict]:
    rows = []
    for path in sorted(CALIBRATION_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert row["lang"] == path.stem, (path.name, row)
            rows.append(row)
    return rows


def test_calibration_questions_cover_every_language_with_known_services():
    rows = _calibration_rows()
    slugs = {s["slug"] for s in yaml.safe_load((ROOT / "knowledge" / "catalogue.yaml").read_text("utf-8"))["services"]}
    assert {r["lang"] for r in rows} == set(LANGS)
    assert all(sum(r["lang"] == lang for r in rows) >= 25 for lang in LANGS)
    unknown = {r["service"] for r in rows if r["service"] is not None and r["service"] not in slugs}
    assert unknown <= {"lost-identity-documents"}, unknown      # the one service added with issue #16
    assert len({r["q"] for r in rows}) == len(rows)


def test_calibration_questions_are_not_taken_from_an_evaluation_set():
    ours = {" ".join(r["q"].casefold().split()) for r in _calibration_rows()}
    sets = [ROOT.parent / "shared" / "eval", ROOT / "bench" / "blind"]
    seen = 0
    for folder in sets:
        for path in folder.glob("*.jsonl") if folder.exists() else ():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    item = json.loads(line)
                    text = item.get("question") or item.get("q") or item.get("text") or ""
                    seen += 1
                    assert " ".join(text.casefold().split()) not in ours, path.name
    assert seen or not any(folder.exists() for folder in sets)
