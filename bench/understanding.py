"""How well the assistant understands a question set, per language, through the real HTTP API:

    .venv/bin/python bench/understanding.py ../shared/eval/dev.jsonl bench/blind/*.jsonl [--url URL]

Each file is reported on its own (and all together): one new chat session per line (POST /api/v1/chat),
and service and out-of-scope lines also through POST /api/v1/search. Lines are in shared/eval's format
(`expect`: {"service": slug} or {"intent": name}). Printed per language:
  services   top-1 / top-3 of the search, abstained (wrongly), top-1 of the chat's source
  intents    accuracy (emergency and out_of_scope included), and a confusion table over all languages
  emergency  recall with 112 as the first thing said; false emergencies on every other line
  out of scope  declined by the chat (intent out_of_scope or no source), abstained by the search
Only figures are printed, never the questions (they may be a blind set).
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

LANGS = ("tr", "en", "ar", "fa", "ru", "uk", "ps", "de", "fr")


def load(paths: list[str]) -> list[dict]:
    rows = []
    for path in paths:
        rows += [dict(json.loads(line), _file=Path(path).parent.name) for line in open(path, encoding="utf-8") if line.strip()]
    return rows


def post(url: str, body: dict) -> dict:
    resp = requests.post(url, json=body, timeout=60)
    if resp.status_code != 200:
        raise SystemExit(f"{url}: HTTP {resp.status_code} (for a whole set, start the stack with "
                         "RATELIMIT_ENABLED=false)")
    return resp.json()


def ask(url: str, line: dict, with_lang: bool) -> dict:
    """The chat reply (plus timing) and, for service/out-of-scope lines, the search result."""
    lang = {"lang": line["lang"]} if with_lang else {}
    start = time.perf_counter()
    chat = post(f"{url}/api/v1/chat", {"message": line["question"], **lang})
    out = {"chat": chat, "ms": (time.perf_counter() - start) * 1000}
    expect = line["expect"]
    if "service" in expect or expect.get("intent") == "out_of_scope":
        out["search"] = post(f"{url}/api/v1/search", {"q": line["question"], "k": 3, **lang})
    return out


def score(line: dict, got: dict) -> dict:
    chat, search = got["chat"], got.get("search") or {}
    expect = line["expect"]
    first = ((chat.get("messages") or [{}])[0].get("text") or "").lstrip()
    is_emergency = bool(chat.get("emergency")) or chat.get("intent") == "emergency"
    row = {"lang": line["lang"], "ms": got["ms"], "false_emergency": None, "wrong_lang": chat.get("lang") != line["lang"]}
    if "service" in expect:
        services = [r["service"] for r in search.get("results") or []]
        row.update(kind="service", top1=services[:1] == [expect["service"]], top3=expect["service"] in services,
                   abstained=bool(search.get("abstain")), chat_top1=(chat.get("sources") or [None])[0] == expect["service"],
                   false_emergency=is_emergency)
        return row
    intent = expect["intent"]
    row.update(kind="intent", expected=intent, got=chat.get("intent") or "?")
    if intent == "emergency":
        row.update(emergency=first.startswith("112") and is_emergency)
        row["got"] = "emergency" if is_emergency else row["got"]
    else:
        row["false_emergency"] = is_emergency
    if intent == "out_of_scope":
        row.update(declined=chat.get("intent") == "out_of_scope" or not chat.get("sources"),
                   search_abstained=bool(search.get("abstain")))
    return row


def share(values: list[bool]) -> str:
    return f"{sum(values)}/{len(values)} {sum(values) / len(values):6.1%}" if values else "     -      "


def report(title: str, rows: list[dict]) -> None:
    print(f"\n== {title}: {len(rows)} lines")
    header = (f"{'lang':5} {'svc top-1':>14} {'svc top-3':>14} {'abstained':>14} {'chat top-1':>14} {'intents':>14} "
              f"{'112 first':>14} {'false emerg.':>14} {'oos declined':>14} {'oos abstained':>14} {'wrong lang':>14}")
    print(header)
    for lang in [*LANGS, "all"]:
        sel = [r for r in rows if lang == "all" or r["lang"] == lang]
        if not sel:
            continue
        svc = [r for r in sel if r["kind"] == "service"]
        intents = [r for r in sel if r["kind"] == "intent"]
        print(f"{lang:5} {share([r['top1'] for r in svc]):>14} {share([r['top3'] for r in svc]):>14} "
              f"{share([r['abstained'] for r in svc]):>14} {share([r['chat_top1'] for r in svc]):>14} "
              f"{share([r['got'] == r['expected'] for r in intents]):>14} "
              f"{share([r['emergency'] for r in intents if r['expected'] == 'emergency']):>14} "
              f"{share([r['false_emergency'] for r in sel if r['false_emergency'] is not None]):>14} "
              f"{share([r['declined'] for r in intents if r['expected'] == 'out_of_scope']):>14} "
              f"{share([r['search_abstained'] for r in intents if r['expected'] == 'out_of_scope']):>14} "
              f"{share([r['wrong_lang'] for r in sel]):>14}")
    confusion: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r["kind"] == "intent":
            confusion[r["expected"]][r["got"]] += 1
    print("intent confusion (expected -> got: count):")
    for expected in sorted(confusion):
        print(f"  {expected:24} " + ", ".join(f"{got} {n}" for got, n in confusion[expected].most_common()))
    times = sorted(r["ms"] for r in rows)
    print(f"chat round trip p50 {statistics.median(times):.0f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--no-lang", action="store_true", help="do not send the line's language (test detection)")
    args = parser.parse_args()
    lines = load(args.paths)
    rows = []
    for n, line in enumerate(lines, 1):
        rows.append(dict(score(line, ask(args.url, line, not args.no_lang)), file=line["_file"]))
        if n % 50 == 0:
            print(f"... {n}/{len(lines)}", flush=True)
    files = sorted({r["file"] for r in rows})
    groups = {f: [r for r in rows if r["file"] == f] for f in files}
    if len(files) > 1:
        groups["all files"] = rows
    for title, sel in groups.items():
        report(title, sel)


if __name__ == "__main__":
    main()
