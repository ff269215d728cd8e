"""Staff console latency benchmark (run by hand, not part of the tests): "last keystroke -> suggestions
rendered" in Debian chromium, driven by Playwright, against a gunicorn portal started here.

    .venv/bin/python bench/console_latency.py [--rounds 1] [--workers 2] [--threads 4] [--omp 1]

An agent is created in a temporary database; each question is typed key by key with human-like pauses
(50-180 ms, so the debounce fires mid-word too). Timings are taken inside the page (performance.now):
  * total   last `input` event -> the next update of #results, one animation frame later (visible);
  * fetch   the /api/v1/staff/suggest request of the final text (request start -> response end).
Prints p50/p95/max over all samples (reported, never asserted). The search index of this checkout
(instance/index) is used read-only.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search import free_port, percentile  # noqa: E402

PASSWORD = "bench console password"
CHROMIUM = "/usr/bin/chromium"
# what an agent types while listening: short, varied, nine languages (not the evaluation set)
QUESTIONS = [
    ("tr", "ikamet izni nasıl uzatılır"), ("tr", "kimlik kartımı kaybettim ne yapmalıyım"),
    ("tr", "çalışma izni başvurusu"), ("en", "how do I renew my residence permit"),
    ("en", "my child needs to register for school"), ("en", "I lost my passport"),
    ("ar", "أريد تجديد إقامتي"), ("ar", "كيف أحصل على إذن للسفر إلى مدينة أخرى"),
    ("ar", "أحتاج مترجمًا في المقابلة"), ("fa", "چطور اقامتم را تمدید کنم"),
    ("fa", "کارت شناسایی خود را گم کرده‌ام"), ("ru", "как получить разрешение на работу"),
    ("ru", "продлить вид на жительство"), ("uk", "як подати заяву на міжнародний захист"),
    ("uk", "загубив посвідчення"), ("ps", "زه څنګه د اوسېدو اجازه نوې کړم"),
    ("ps", "زما پېژندپاڼه ورکه شوې ده"), ("de", "Wie verlängere ich meine Aufenthaltserlaubnis"),
    ("de", "Ich brauche einen Dolmetscher"), ("fr", "comment renouveler mon titre de séjour"),
    ("fr", "j'ai perdu ma carte d'identité"), ("fr", "mon enfant doit aller à l'école"),
    ("tr", "sağlık sigortası var mı"), ("en", "appointment for my family reunification"),
]

PAGE_PROBE = """() => {
  const box = document.getElementById('q'), results = document.getElementById('results');
  performance.setResourceTimingBufferSize(5000);
  window.__bench = {lastInput: 0, updates: []};
  box.addEventListener('input', () => { window.__bench.lastInput = performance.now(); }, true);
  new MutationObserver(() => {
    const at = performance.now();
    requestAnimationFrame(() => window.__bench.updates.push({mutated: at, painted: performance.now()}));
  }).observe(results, {attributes: true, attributeFilter: ['data-updated']});
}"""

SAMPLE = """(q) => {
  const b = window.__bench, form = document.getElementById('suggest-form');
  const after = b.updates.filter(u => u.mutated >= b.lastInput);
  if (!after.length) { return null; }
  const url = form.dataset.api + '?q=' + encodeURIComponent(q.trim());
  const req = performance.getEntriesByType('resource').filter(e => e.name.endsWith(url)).pop();
  return {total: after[0].painted - b.lastInput, fetch: req ? req.responseEnd - req.requestStart : null,
          requests: performance.getEntriesByType('resource').filter(e => e.name.includes('/api/suggest')).length};
}"""


WARM_UP = """async () => {
  const api = document.getElementById('suggest-form').dataset.api;
  for (let round = 0; round < 3; round++) {
    await Promise.all([...Array(6).keys()].map(i => fetch(api + '?q=warm+up+' + round + i)));
  }
}"""


def start_portal(port: int, workers: int, threads: int, omp: str | None, tmp: Path) -> subprocess.Popen:
    env = dict(os.environ, INSTANCE_PATH=str(tmp), DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
               INDEX_DIR=str(ROOT / "instance" / "index"), RATELIMIT_ENABLED="false", FLASK_APP="wsgi:app")
    if omp:
        env["OMP_NUM_THREADS"] = omp
    subprocess.run([str(ROOT / ".venv/bin/flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([str(ROOT / ".venv/bin/python"), "-c",
                    "from wsgi import app\nfrom portal.staff.auth.operations import create_staff_user\n"
                    f"with app.app_context(): create_staff_user('benchagent', 'Bench agent', 'agent', {PASSWORD!r})"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers",
                             str(workers), "--threads", str(threads), "wsgi:app"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/staff/login", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("portal did not start")


def run(base: str, rounds: int, seed: int) -> list[dict]:
    from playwright.sync_api import sync_playwright
    rng = random.Random(seed)
    samples = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.goto(f"{base}/staff/login?lang=en")
        page.fill("#username", "benchagent")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/staff/suggest")
        page.evaluate(PAGE_PROBE)
        page.evaluate(WARM_UP)                  # the encoder loaded in every worker before timing
        page.focus("#q")
        for _ in range(rounds):
            for lang, question in QUESTIONS:
                page.fill("#q", "")
                page.wait_for_timeout(400)
                for ch in question:
                    page.keyboard.type(ch)
                    time.sleep(rng.uniform(0.05, 0.18))
                page.wait_for_function(SAMPLE, arg=question, timeout=10000)
                sample = page.evaluate(SAMPLE, question)
                sample["lang"] = lang
                samples.append(sample)
        browser.close()
    return samples


def summary(name: str, values: list[float]) -> str:
    return (f"{name:6s} p50 {percentile(values, 50):6.0f} ms  p95 {percentile(values, 95):6.0f} ms  "
            f"max {max(values):6.0f} ms  (n={len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=1, help=f"passes over the {len(QUESTIONS)} questions")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--omp", default=os.environ.get("OMP_NUM_THREADS"), help="OMP_NUM_THREADS for gunicorn")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="console-bench-") as tmp:
        proc = start_portal(port, args.workers, args.threads, args.omp, Path(tmp))
        try:
            samples = run(f"http://127.0.0.1:{port}", args.rounds, args.seed)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"console latency, gunicorn {args.workers}x{args.threads}, OMP_NUM_THREADS={args.omp or 'default'}, "
          f"load {os.getloadavg()[0]:.2f}")
    print(summary("total", [s["total"] for s in samples]))
    fetches = [s["fetch"] for s in samples if s["fetch"] is not None]
    if fetches:
        print(summary("fetch", fetches))
    print(f"suggest requests sent: {samples[-1]['requests']} for {len(samples)} questions")


if __name__ == "__main__":
    main()
