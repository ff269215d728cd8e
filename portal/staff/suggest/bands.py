"""Confidence bands for the first suggested answer: "sure", "likely" or "check", instead of a percentage.

A band is a calibrated promise, not a score. `bench/calibrate_bands.py` fits the thresholds on one half
of bench/calibration/ (agent questions written for this, not used to tune the search), so that "sure"
is right at least 95% of the time, reports each band's accuracy on the held-back half, and writes the
thresholds with the date and those figures to bands.json next to this module. The features are the
search's own: the best service's fused score and its lead over the runner-up (two services that score
alike are a coin toss, however high both are). A search that abstains is always "check".
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BANDS = ("sure", "likely", "check")
CALIBRATION_FILE = Path(__file__).with_name("bands.json")


@dataclass(frozen=True)
class Rule:
    score: float     # the best service's fused score is at least this
    margin: float    # and leads the second service by at least this

    def admits(self, score: float, margin: float) -> bool:
        return score >= self.score and margin >= self.margin


@dataclass(frozen=True)
class Calibration:
    sure: Rule
    likely: Rule


@cache
def calibration() -> Calibration:
    """The thresholds in bands.json (read once per process)."""
    thresholds = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))["thresholds"]
    return Calibration(Rule(**thresholds["sure"]), Rule(**thresholds["likely"]))


def features(ranked) -> tuple[float, float]:
    """(score, margin) of a ranking, best first: the best fused score and its lead over the second."""
    if not ranked:
        return 0.0, 0.0
    second = ranked[1].score if len(ranked) > 1 else 0.0
    return float(ranked[0].score), float(ranked[0].score - second)


def band_of(score: float, margin: float, abstain: bool, rules: Calibration | None = None) -> str:
    """The band of the first suggestion: "check" when the search abstains, else the first rule it meets."""
    if abstain:
        return "check"
    rules = rules or calibration()
    if rules.sure.admits(score, margin):
        return "sure"
    if rules.likely.admits(score, margin):
        return "likely"
    return "check"
