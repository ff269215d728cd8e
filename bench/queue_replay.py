"""Replay the development set as agent queries and show what the unanswered-questions queue holds.

    .venv/bin/python bench/queue_replay.py [--dev /work/shared/eval/dev.jsonl] [--caller]
    .venv/bin/python bench/queue_replay.py --url http://127.0.0.1:5000 --user agent1 --password ...

Every question of the development set goes through the staff suggestions path (GET /api/v1/staff/suggest,
as the console does while an agent types); top-1 / top-3 are counted for the questions that expect a
service. In-process (default) it runs on a fresh temporary SQLite database with the real index, so the
queue afterwards holds exactly what the replay put there; with --url it uses a running portal.
Prints aggregate numbers only (never the questions themselves).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
JSON = {"Accept": "application/json"}


def load_dev(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class InProcess:
    """A migrated temporary app with the real index and a signed-in agent."""

    def __init__(self):
        from portal import create_app
        from portal.migrate import upgrade_database
        from portal.staff.auth.operations import create_staff_user
        tmp = tempfile.mkdtemp(prefix="queue-replay-")
        self.app = create_app({"ENV": "testing", "INSTANCE_PATH": tmp, "RATELIMIT_ENABLED": False,
                               "WTF_CSRF_ENABLED": False, "DATABASE_URL": f"sqlite:///{tmp}/replay.sqlite3",
                               "INDEX_DIR": str(ROOT / "instance" / "index")})
        with self.app.app_context():
            upgrade_database()
            create_staff_user("replay", "Replay agent", "agent", "replay password 123")
        self.client = self.app.test_client()
        self.client.post("/staff/login", data={"username": "replay", "password": "replay password 123"})

    def suggest(self, q: str, caller: str) -> dict:
        return self.client.get("/api/v1/staff/suggest", query_string={"q": q, "caller": caller}, headers=JSON).get_json()

    def queue_state(self) -> list[dict]:
        from portal.staff.queue.grouping import open_groups
        with self.app.app_context():
            return [{"count": g.count, "langs": g.langs, "kinds": g.kinds, "suggested": g.suggested,
                     "texts": [q.text for q in g.members]} for g in open_groups()]


class Remote:
    """A running portal: sign in as an agent (CSRF token from the sign-in form)."""

    def __init__(self, url: str, user: str, password: str):
        import requests
        self.url, self.http = url.rstrip("/"), requests.Session()
        form = self.http.get(self.url + "/staff/login", timeout=10).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        resp = self.http.post(self.url + "/staff/login", allow_redirects=False, timeout=10,
                              data={"username": user, "password": password, "csrf_token": token.group(1) if token else ""})
        if resp.status_code != 303:
            sys.exit(f"sign-in failed ({resp.status_code})")

    def suggest(self, q: str, caller: str) -> dict:
        return self.http.get(self.url + "/api/v1/staff/suggest", params={"q": q, "caller": caller},
                             headers=JSON, timeout=30).json()

    def queue_state(self) -> list[dict]:
        page = self.http.get(self.url + "/staff/queue", params={"lang": "en"}, timeout=120).text
        groups = []
        for block in page.split('<li class="queue-group"')[1:]:
            count = int(re.search(r'data-count="(\d+)"', block).group(1))
            langs = re.findall(r'<span lang="(\w+)">[^<]*</span> \((\d+)\)', block)
            groups.append({"count": count, "langs": [(l, int(n)) for l, n in langs], "kinds": [], "suggested": ""})
        return groups


def _label(row: dict) -> str:
    expect = row.get("expect", {})
    return expect.get("service") or f"intent:{expect.get('intent', '?')}"


def purity(groups: list[dict], rows: list[dict]) -> None:
    """How the queued questions relate to the development set's expectations (counts only)."""
    from portal.chat.masking import mask
    label_of = {mask(" ".join(r["question"].split()))[:1000]: _label(r) for r in rows}
    labels = Counter(label_of.get(t, "?") for g in groups for t in g["texts"])
    intents = sum(n for l, n in labels.items() if l.startswith("intent:"))
    print(f"queued by expectation: {intents} expect an intent "
          f"({', '.join(f'{l[7:]} {n}' for l, n in sorted(labels.items()) if l.startswith('intent:'))}), "
          f"{sum(labels.values()) - intents} expect a service (missed answers)")
    multi = [g for g in groups if g["count"] > 1]
    pure = sum(1 for g in multi if len({label_of.get(t, "?") for t in g["texts"]}) == 1)
    print(f"groups of 2+ whose questions share one expected label: {pure}/{len(multi)}")
    for g in multi:
        g["expected"] = dict(Counter(label_of.get(t, "?") for t in g["texts"]).most_common())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=Path("/work/shared/eval/dev.jsonl"))
    parser.add_argument("--caller", action="store_true", help="pass the known language (default: detection)")
    parser.add_argument("--url"), parser.add_argument("--user"), parser.add_argument("--password")
    parser.add_argument("--top", type=int, default=10, help="how many groups to list")
    args = parser.parse_args()
    target = Remote(args.url, args.user, args.password) if args.url else InProcess()

    rows = load_dev(args.dev)
    top1 = top3 = expected = abstained = 0
    per_lang: dict[str, list[int]] = {}
    times = []
    for row in rows:
        start = time.perf_counter()
        data = target.suggest(row["question"], row["lang"] if args.caller else "")
        times.append(time.perf_counter() - start)
        abstained += bool(data.get("abstain"))
        slug = row.get("expect", {}).get("service")
        if not slug:
            continue
        shown = [s["service"] for s in data.get("suggestions", [])]
        expected += 1
        top1 += bool(shown[:1] == [slug])
        top3 += slug in shown[:3]
        stats = per_lang.setdefault(row["lang"], [0, 0])
        stats[0] += 1
        stats[1] += slug in shown[:3]
    times.sort()
    print(f"questions played: {len(rows)} ({expected} expect a service), caller language "
          f"{'given' if args.caller else 'detected'}")
    print(f"top-1 right service: {top1}/{expected} = {100 * top1 / expected:.1f}%")
    print(f"top-3 right service: {top3}/{expected} = {100 * top3 / expected:.1f}%   (target >= 97%)")
    print("top-3 per language: " + ", ".join(f"{l} {s[1]}/{s[0]}" for l, s in sorted(per_lang.items())))
    print(f"abstentions (all questions): {abstained}; suggest call p50 {1000 * times[len(times) // 2]:.0f} ms, "
          f"p95 {1000 * times[int(len(times) * 0.95)]:.0f} ms")

    start = time.perf_counter()
    groups = target.queue_state()
    elapsed = time.perf_counter() - start
    queued = sum(g["count"] for g in groups)
    print(f"\nqueue: {queued} open questions in {len(groups)} groups "
          f"({sum(1 for g in groups if g['count'] > 1)} with 2+ questions); grouped in {elapsed:.1f} s "
          "(first view encodes every question)")
    langs = Counter()
    for g in groups:
        langs.update(dict(g["langs"]))
    print("queued questions per language: " + ", ".join(f"{l} {n}" for l, n in sorted(langs.items())))
    if groups and "texts" in groups[0]:
        purity(groups, rows)
    for i, g in enumerate(groups[:args.top], 1):
        langs = " ".join(f"{l}:{n}" for l, n in g["langs"])
        extra = f"  kinds {dict(g['kinds'])}" if g["kinds"] else ""
        extra += f"  closest service {g['suggested']}" if g["suggested"] else ""
        extra += f"  expected {g['expected']}" if g.get("expected") else ""
        print(f"  {i:2}. {g['count']:3} question(s)  languages {langs}{extra}")


if __name__ == "__main__":
    main()
