"""Where a chat turn's time goes (run by hand against a running stack, not part of the tests).

    .venv/bin/python bench/chat_hops.py /work/shared/eval/dev.jsonl [--portal http://127.0.0.1:5000]
        [--rasa http://127.0.0.1:5005] [--n 60]

For the same questions, one new conversation each, times (p50/p95, ms) of every hop on its own:
  search    POST portal /api/v1/search (what the ask_question action calls; includes the encoder)
  nlu       POST rasa /model/parse (NLU only: e5 featurizer, char n-grams, DIET; needs `rasa run
            --enable-api`, skipped otherwise)
  rasa      POST rasa /webhooks/rest/webhook (NLU + policies + the action server + its portal calls)
  chat      POST portal /api/v1/chat (the whole round trip the applicant sees)
Each client keeps its HTTP connection open (as the portal and the action server do). Prints aggregate
numbers only, never the questions.
"""
from __future__ import annotations

import argparse
import json
import os
import time
import uuid
from pathlib import Path

import requests

import sys
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search import percentile  # noqa: E402


def timed(session: requests.Session, url: str, body: dict) -> float:
    t0 = time.perf_counter()
    resp = session.post(url, json=body, timeout=60)
    resp.raise_for_status()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--portal", default="http://127.0.0.1:5000")
    parser.add_argument("--rasa", default="http://127.0.0.1:5005")
    parser.add_argument("--n", type=int, default=60, help="questions (every k-th line of the set)")
    args = parser.parse_args()
    lines = [json.loads(x) for x in Path(args.path).read_text(encoding="utf-8").splitlines() if x.strip()]
    lines = lines[:: max(1, len(lines) // args.n)][: args.n]
    hops = {"search": [], "nlu": [], "rasa": [], "chat": []}
    portal, rasa = requests.Session(), requests.Session()
    timed(portal, f"{args.portal}/api/v1/search", {"q": "ikamet izni"})      # warm-up
    if rasa.post(f"{args.rasa}/model/parse", json={"text": "merhaba"}, timeout=60).status_code == 404:
        del hops["nlu"]
    for line in lines:
        q, lang = line["question"], line["lang"]
        hops["search"].append(timed(portal, f"{args.portal}/api/v1/search", {"q": q, "lang": lang}))
        if "nlu" in hops:
            hops["nlu"].append(timed(rasa, f"{args.rasa}/model/parse", {"text": q}))
        hops["rasa"].append(timed(rasa, f"{args.rasa}/webhooks/rest/webhook",
                                  {"sender": f"bench-{uuid.uuid4().hex}", "message": q, "metadata": {"lang": lang}}))
        chat = requests.Session()       # a new applicant each time, like bot/eval_chat.py
        hops["chat"].append(timed(chat, f"{args.portal}/api/v1/chat", {"message": q, "lang": lang}))
    print(f"load {os.getloadavg()[0]:.2f}, n={len(lines)} per hop")
    for name, values in hops.items():
        print(f"{name:7s} p50 {percentile(values, 50):5.0f} ms  p95 {percentile(values, 95):5.0f} ms")


if __name__ == "__main__":
    main()
