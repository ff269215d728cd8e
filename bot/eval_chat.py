"""Measure the assistant through the portal's /api/v1/chat on a JSONL question set (one new session per
line). Prints aggregate numbers only (never the questions):

    .venv/bin/python bot/eval_chat.py /work/shared/eval/dev.jsonl --url http://127.0.0.1:5000
"""
from __future__ import annotations

import argparse
import json
import statistics
import time

import requests


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    args = parser.parse_args()
    lines = [json.loads(line) for line in open(args.path, encoding="utf-8") if line.strip()]
    counts = {"intent": [0, 0], "emergency": [0, 0], "out_of_scope": [0, 0], "service": [0, 0], "degraded": 0}
    per_intent: dict[str, list[int]] = {}
    times = []
    for line in lines:
        session = requests.Session()
        start = time.perf_counter()
        reply = session.post(f"{args.url}/api/v1/chat", json={"message": line["question"], "lang": line["lang"]},
                             timeout=60).json()
        times.append(time.perf_counter() - start)
        counts["degraded"] += bool(reply.get("degraded"))
        expect = line["expect"]
        if "intent" in expect:
            ok = reply.get("intent") == expect["intent"]
            counts["intent"][0] += ok
            counts["intent"][1] += 1
            per_intent.setdefault(expect["intent"], [0, 0])
            per_intent[expect["intent"]][0] += ok
            per_intent[expect["intent"]][1] += 1
            if expect["intent"] == "emergency":
                first = (reply.get("messages") or [{}])[0].get("text", "")
                counts["emergency"][0] += first.startswith("112")
                counts["emergency"][1] += 1
            if expect["intent"] == "out_of_scope":
                declined = reply.get("intent") == "out_of_scope" or not reply.get("sources")
                counts["out_of_scope"][0] += declined
                counts["out_of_scope"][1] += 1
        else:
            counts["service"][0] += (reply.get("sources") or [None])[0] == expect["service"]
            counts["service"][1] += 1
            routing = reply.get("intent") if not reply.get("sources") else "answered"
            per_intent.setdefault(f"service line -> {routing}", [0, 0])[1] += 1
    for key in ("intent", "emergency", "out_of_scope", "service"):
        ok, total = counts[key]
        print(f"{key:13s} {ok}/{total} = {ok / max(total, 1):.3f}")
    for intent, (ok, total) in sorted(per_intent.items()):
        print(f"  {intent:20s} {ok}/{total}")
    print(f"degraded replies: {counts['degraded']}")
    print(f"round trip p50 {statistics.median(times) * 1000:.0f} ms, p95 {percentile(times, 0.95) * 1000:.0f} ms "
          f"(n={len(times)})")


if __name__ == "__main__":
    main()
