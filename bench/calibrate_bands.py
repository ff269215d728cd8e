"""Calibrate the console's confidence bands (run by hand, not part of the tests).

    .venv/bin/python bench/calibrate_bands.py [--write] [--dev /work/shared/eval/dev.jsonl]

The questions are bench/calibration/<lang>.jsonl ({"q", "lang", "service"}; service null: nothing in the
catalogue answers it): agent-style caller questions written for this calibration without looking at the
evaluation sets or the content's example questions. Each language is split in two fixed halves (seeded
shuffle): the thresholds are fitted on the first and reported on the second, held back.

Each question goes through the console's path in-process (language settled as when typed in one go,
the engine's ranking and abstention). Three rule families are fitted on the fit half: the best fused
score alone, its margin over the runner-up alone, and both; for each, "sure" admits as many questions as
it can while the Wilson lower bound (95% one-sided) of its precision on the fit half stays >= SURE_TARGET
(a small sample's 97% is no promise of 95%), "likely" then as many of the rest as it can at
>= LIKELY_FIT (at least MIN_LIKELY). Among the families that give three bands on the fit half, the one
admitting most questions to "sure" there is chosen (the held-back half plays no part in the choice).
The table is printed for the fit half, the held-back half, bench/bands_heldout/ (questions by another
writer who saw neither the content's questions nor these; never fitted on) and the dev set (a second
figure: the search was tuned on it). --write stores the thresholds with the date, the
figures and the index they came from in portal/staff/suggest/bands.json.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.staff.suggest.bands import BANDS, CALIBRATION_FILE, Calibration, Rule, band_of, features  # noqa: E402

CALIBRATION_DIR = ROOT / "bench" / "calibration"
INDEPENDENT_DIR = ROOT / "bench" / "bands_heldout"      # another writer's questions: never fitted on
SEED = 16
SURE_TARGET = 0.95                       # "sure" is right at least this often on questions not fitted on ...
SURE_Z = 1.645                           # ... with 95% confidence: the fit half's Wilson lower bound must reach it
LIKELY_FIT = 2 / 3                       # "usually right"
MIN_SURE = 20                            # a "sure" rule must admit at least this many fit questions
MIN_LIKELY = 5


def load_calibration(folder: Path = CALIBRATION_DIR) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def split(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Per language, a seeded shuffle: the first half to fit, the rest held back."""
    fit, held = [], []
    for lang in sorted({r["lang"] for r in rows}):
        mine = [r for r in rows if r["lang"] == lang]
        random.Random(f"{SEED}:{lang}").shuffle(mine)
        fit += mine[: len(mine) // 2]
        held += mine[len(mine) // 2:]
    return fit, held


def load_dev(path: Path) -> list[dict]:
    """Dev-set lines that name a service, and the out-of-scope ones (service None); intents skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        expect = item.get("expect", {})
        if "service" in expect:
            rows.append({"q": item["question"], "lang": item["lang"], "service": expect["service"]})
        elif expect.get("intent") == "out_of_scope":
            rows.append({"q": item["question"], "lang": item["lang"], "service": None})
    return rows


def assess(rows: list[dict]) -> tuple[list[dict], dict]:
    """Each question through the console's ranking (features, abstention, top-1, top-3); the index manifest."""
    from knowledge.language import settle
    from portal import create_app
    from portal.search.operations import get_engine
    tmp = tempfile.mkdtemp(prefix="calibrate-bands-")
    app = create_app({"ENV": "testing", "INSTANCE_PATH": tmp, "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
                      "INDEX_DIR": str(ROOT / "instance" / "index")})
    out = []
    with app.app_context():
        engine = get_engine()
        for row in rows:
            lang = settle(row["q"]).lang
            ranked = engine.rank(row["q"], lang)
            score, margin = features(ranked)
            top = [r.service for r in ranked[:3]]
            out.append({**row, "detected": lang, "score": score, "margin": margin,
                        "abstain": engine.should_abstain(ranked), "top": top,
                        "right": bool(top) and top[0] == row["service"],
                        "right3": row["service"] in top})
        manifest = json.loads((ROOT / "instance" / "index" / "manifest.json").read_text(encoding="utf-8"))
        manifest["indexed_services"] = sorted({c.service for c in engine.index.chunks})
    return out, manifest


def _precision(items: list[dict]) -> float:
    return sum(i["right"] for i in items) / len(items) if items else 0.0


def _lower_bound(items: list[dict], z: float) -> float:
    """Wilson score lower bound of the precision (z = 0: the precision itself)."""
    n = len(items)
    if not n:
        return 0.0
    p = _precision(items)
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n)


def _best_rule(items: list[dict], target: float, minimum: int, family: str, bound: Rule | None = None,
               z: float = 0.0) -> Rule | None:
    """The rule of `family` ("score", "margin", "both") admitting most items whose precision (its
    Wilson lower bound for z > 0) reaches `target` (ties: the stricter rule), no stricter than `bound`."""
    items = [i for i in items if not i["abstain"]]
    top = bound or Rule(score=float("inf"), margin=float("inf"))
    scores = sorted({round(i["score"], 4) for i in items if i["score"] <= top.score} | {0.0}) if family != "margin" else [0.0]
    margins = sorted({round(i["margin"], 4) for i in items if i["margin"] <= top.margin} | {0.0}) if family != "score" else [0.0]
    best, best_key = None, None
    for s in scores:
        above = [i for i in items if i["score"] >= s]
        for m in margins:
            admitted = [i for i in above if i["margin"] >= m]
            if len(admitted) < minimum or _lower_bound(admitted, z) < target:
                continue
            key = (len(admitted), s + m)
            if best_key is None or key > best_key:
                best, best_key = Rule(score=s, margin=m), key
    return best


def fit(items: list[dict], family: str) -> Calibration | None:
    sure = _best_rule(items, SURE_TARGET, MIN_SURE, family, z=SURE_Z)
    if sure is None:
        return None
    rest = [i for i in items if not sure.admits(i["score"], i["margin"])]
    # "likely" is no stricter than "sure" in either feature (a band is a range, not a patchwork)
    likely = _best_rule(rest, LIKELY_FIT, MIN_LIKELY, family, bound=sure) or sure
    return Calibration(sure=sure, likely=likely)


def table(items: list[dict], rules: Calibration) -> dict:
    """Per band: questions, right first suggestion, accuracy, right one among the three shown."""
    result = {}
    for band in BANDS:
        mine = [i for i in items if band_of(i["score"], i["margin"], i["abstain"], rules) == band]
        result[band] = {"n": len(mine), "right": sum(i["right"] for i in mine),
                        "accuracy": round(_precision(mine), 3),
                        "top3": round(sum(i["right3"] for i in mine) / len(mine), 3) if mine else 0.0}
    result["all"] = {"n": len(items), "right": sum(i["right"] for i in items),
                     "accuracy": round(_precision(items), 3),
                     "top3": round(sum(i["right3"] for i in items) / len(items), 3) if items else 0.0}
    return result


def show(title: str, figures: dict) -> None:
    print(f"\n{title}")
    print(f"{'band':8} {'questions':>9} {'right':>6} {'accuracy':>9} {'right in top 3':>15}")
    for band, row in figures.items():
        print(f"{band:8} {row['n']:>9} {row['right']:>6} {row['accuracy']:>9.1%} {row['top3']:>15.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=Path("/work/shared/eval/dev.jsonl"))
    parser.add_argument("--independent", type=Path, default=INDEPENDENT_DIR,
                        help="a second held-back set by another writer, only reported")
    parser.add_argument("--write", action="store_true", help="store the thresholds in bands.json")
    args = parser.parse_args()
    fit_rows, held_rows = split(load_calibration())
    dev_rows = load_dev(args.dev) if args.dev.exists() else []
    independent_rows = load_calibration(args.independent) if args.independent.is_dir() else []
    assessed, manifest = assess(fit_rows + held_rows + dev_rows + independent_rows)
    fit_items = assessed[: len(fit_rows)]
    held_items = assessed[len(fit_rows): len(fit_rows) + len(held_rows)]
    dev_items = assessed[len(fit_rows) + len(held_rows): len(fit_rows) + len(held_rows) + len(dev_rows)]
    independent_items = assessed[len(fit_rows) + len(held_rows) + len(dev_rows):]
    missing = sorted({i["service"] for i in assessed if i["service"] and i["service"] not in manifest["indexed_services"]})
    if missing:
        print(f"labels not in the index (these questions can only be 'wrong'): {missing}")
    wrong_lang = sum(i["detected"] != i["lang"] for i in fit_items + held_items)
    print(f"calibration questions: {len(fit_items)} fit + {len(held_items)} held back; "
          f"language settled wrongly: {wrong_lang}; dev questions: {len(dev_items)}")

    fitted = {}
    for family in ("score", "margin", "both"):
        rules = fit(fit_items, family)
        if rules is None:
            print(f"\n[{family}] no rule reaches {SURE_TARGET:.0%} (lower bound) on the fit half with {MIN_SURE}+ questions")
            continue
        fitted[family] = rules
        n_sure = table(fit_items, rules)["sure"]["n"]
        print(f"\n[{family}] sure: score >= {rules.sure.score}, margin >= {rules.sure.margin}; "
              f"likely: score >= {rules.likely.score}, margin >= {rules.likely.margin}; fit 'sure' n={n_sure}")
        show(f"[{family}] held-back half", table(held_items, rules))
    if not fitted:
        sys.exit("no calibration possible")
    # three bands are the point: a family whose "likely" stays empty on the fit half is chosen last
    chosen = max(fitted, key=lambda f: (fitted[f].likely != fitted[f].sure, table(fit_items, fitted[f])["sure"]["n"]))
    rules = fitted[chosen]
    figures = {"fit": table(fit_items, rules), "held_back": table(held_items, rules)}
    if independent_items:
        figures["independent"] = table(independent_items, rules)
    if dev_items:
        figures["dev"] = table(dev_items, rules)
    print(f"\nchosen: {chosen}")
    for name, rows in figures.items():
        show(f"{name} ({chosen})", rows)
    for name in ("held_back", "independent"):
        sure = figures.get(name, {}).get("sure") or {}
        if sure.get("n") and sure["accuracy"] < SURE_TARGET:
            print(f"\nWARNING: 'sure' is right {sure['accuracy']:.1%} on {name} (< {SURE_TARGET:.0%})")
    if args.write:
        CALIBRATION_FILE.write_text(json.dumps({
            "fitted_on": date.today().isoformat(),
            "rule_family": chosen,
            "thresholds": {"sure": vars(rules.sure), "likely": vars(rules.likely)},
            "targets": {"sure": SURE_TARGET, "sure_fit_wilson_z": SURE_Z, "likely_fit": round(LIKELY_FIT, 3)},
            "questions": {"fit": len(fit_items), "held_back": len(held_items), "dev": len(dev_items),
                          "independent": len(independent_items),
                          "split_seed": SEED, "source": "bench/calibration/*.jsonl"},
            "index": {**{k: manifest.get(k) for k in ("model", "content_hash", "built_at") if k in manifest},
                      "services": len([s for s in manifest["indexed_services"] if not s.startswith("~")])},
            "figures": figures,
        }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwritten: {CALIBRATION_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
