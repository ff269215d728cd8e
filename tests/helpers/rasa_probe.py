"""Run a script in Rasa's own environment (.venv-rasa, with bot/ on the path) and read back the JSON
it prints last: how the tests check Rasa-side code without importing Rasa into the portal's Python."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


def run_probe(code: str, *args: str, **env: str) -> dict:
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", code, *args], cwd=ROOT / "bot", capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(ROOT / "bot"), "PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"),
             "RASA_TELEMETRY_ENABLED": "false", "OMP_NUM_THREADS": "1", **env})
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
