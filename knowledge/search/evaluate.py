"""Evaluation of the engine on a JSON-lines set: {"id", "lang", "question", "expect": {...}}.

`expect` is {"service": slug} for a service question, or {"intent": name} for anything else
(`out_of_scope` must be abstained on; other intents such as greeting or book_appointment are
not service questions either and are reported separately).

Reported: top-1, top-3, MRR and wrongly-abstained share per language on service lines;
abstention recall and precision on out_of_scope lines; the most frequent confusion pairs;
per-query latency (p50/p95) of the in-process engine.
"""
from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import LANGS
from .langid import detect_language


class EvalSetError(ValueError):
    """The evaluation file is missing or malformed."""


def read_set(path: str | Path) -> list[dict]:
    """Rows of the evaluation file; raises EvalSetError with the line number on a bad line."""
    rows = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalSetError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise EvalSetError(f"{path}:{number}: not JSON: {exc}") from exc
        expect = row.get("expect") if isinstance(row, dict) else None
        if not isinstance(row.get("question"), str) or not isinstance(expect, dict) or not (
                "service" in expect or "intent" in expect):
            raise EvalSetError(f"{path}:{number}: needs a string question and expect.service or expect.intent")
        rows.append(row)
    return rows


@dataclass
class LineResult:
    row: dict
    lang: str
    ranking: list[str]
    abstain: bool
    best: float
    margin: float
    seconds: float

    @property
    def expected_service(self) -> str | None:
        return self.row["expect"].get("service")

    @property
    def intent(self) -> str | None:
        return self.row["expect"].get("intent")

    def rank_of_expected(self) -> int | None:
        try:
            return self.ranking.index(self.expected_service) + 1
        except ValueError:
            return None


@dataclass
class Report:
    lines: list[LineResult] = field(default_factory=list)

    def service_lines(self) -> list[LineResult]:
        return [line for line in self.lines if line.expected_service]

    def by_lang(self) -> dict[str, dict]:
        groups: dict[str, list[LineResult]] = defaultdict(list)
        for line in self.service_lines():
            groups[line.row.get("lang") or line.lang].append(line)
        table = {lang: _metrics(groups[lang]) for lang in [*LANGS, *sorted(set(groups) - set(LANGS))] if groups.get(lang)}
        table["all"] = _metrics(self.service_lines())
        return table

    def abstention(self) -> dict:
        oos = [line for line in self.lines if line.intent == "out_of_scope"]
        intents = [line for line in self.lines if line.intent and line.intent != "out_of_scope"]
        abstained = [line for line in self.lines if line.abstain]
        oos_abstained = sum(1 for line in oos if line.abstain)
        non_service_abstained = sum(1 for line in abstained if not line.expected_service)
        return {
            "out_of_scope": len(oos),
            "recall": _ratio(oos_abstained, len(oos)),
            "precision": _ratio(oos_abstained, len(abstained)),
            "precision_non_service": _ratio(non_service_abstained, len(abstained)),
            "intent_lines": len(intents),
            "intent_abstained": _ratio(sum(1 for line in intents if line.abstain), len(intents)),
            "service_wrongly_abstained": _ratio(sum(1 for line in self.service_lines() if line.abstain),
                                                len(self.service_lines())),
        }

    def confusions(self, limit: int = 15) -> list[tuple[str, str, int]]:
        pairs = Counter((line.expected_service, line.ranking[0]) for line in self.service_lines()
                        if line.ranking and line.ranking[0] != line.expected_service)
        return [(a, b, n) for (a, b), n in pairs.most_common(limit)]

    def latency_ms(self) -> dict:
        times = sorted(line.seconds * 1000 for line in self.lines)
        if not times:
            return {"p50": 0.0, "p95": 0.0}
        return {"p50": round(_percentile(times, 50), 1), "p95": round(_percentile(times, 95), 1)}


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _percentile(sorted_values: list[float], pct: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]


def _metrics(lines: list[LineResult]) -> dict:
    n = len(lines)
    ranks = [line.rank_of_expected() for line in lines]
    return {
        "n": n,
        "top1": _ratio(sum(1 for r in ranks if r == 1), n),
        "top3": _ratio(sum(1 for r in ranks if r and r <= 3), n),
        "mrr": (sum(1 / r for r in ranks if r) / n) if n else 0.0,
        "answered_top1": _ratio(sum(1 for r, line in zip(ranks, lines) if r == 1 and not line.abstain), n),
        "abstained": _ratio(sum(1 for line in lines if line.abstain), n),
    }


def evaluate(engine, rows: list[dict]) -> Report:
    """Run every row through the engine (language detected, as for a real user)."""
    report = Report()
    for row in rows:
        started = time.perf_counter()
        lang = detect_language(row["question"])
        ranked = engine.rank(row["question"], lang)
        abstain = engine.should_abstain(ranked)
        seconds = time.perf_counter() - started
        best = max((r.best for r in ranked), default=0.0)
        margin = (ranked[0].score - ranked[1].score) if len(ranked) > 1 else best
        report.lines.append(LineResult(row, lang, [r.service for r in ranked[:10]], abstain, best, margin, seconds))
    return report


def format_report(report: Report) -> str:
    """The report as a plain-text table."""
    out = ["Service lines (ranking; language detected)",
           f"{'lang':<5}{'n':>5}{'top-1':>8}{'top-3':>8}{'MRR':>7}{'answered@1':>12}{'abstained':>11}"]
    for lang, m in report.by_lang().items():
        out.append(f"{lang:<5}{m['n']:>5}{m['top1']:>8.1%}{m['top3']:>8.1%}{m['mrr']:>7.3f}"
                   f"{m['answered_top1']:>12.1%}{m['abstained']:>11.1%}")
    a = report.abstention()
    out += ["", "Abstention",
            f"  out_of_scope lines: {a['out_of_scope']}, abstained (recall): {a['recall']:.1%}",
            f"  precision (abstained lines that are out_of_scope): {a['precision']:.1%}; "
            f"that are not service questions: {a['precision_non_service']:.1%}",
            f"  other intent lines: {a['intent_lines']}, abstained: {a['intent_abstained']:.1%}",
            f"  service lines wrongly abstained: {a['service_wrongly_abstained']:.1%}"]
    confusions = report.confusions()
    out += ["", "Confusion pairs (expected -> top-1)"]
    out += [f"  {n:>3}  {a_} -> {b}" for a_, b, n in confusions] or ["  none"]
    lat = report.latency_ms()
    out += ["", f"Latency in-process per query: p50 {lat['p50']} ms, p95 {lat['p95']} ms"]
    return "\n".join(out)


def dump_lines(report: Report, path: str | Path) -> None:
    """Per-line details (JSON lines) for calibration: scores, margin, ranking, abstention."""
    with Path(path).open("w", encoding="utf-8") as fh:
        for line in report.lines:
            fh.write(json.dumps({"id": line.row.get("id"), "lang": line.lang, "expect": line.row["expect"],
                                 "ranking": line.ranking[:5], "best": round(line.best, 4),
                                 "margin": round(line.margin, 4), "abstain": line.abstain},
                                ensure_ascii=False) + "\n")
