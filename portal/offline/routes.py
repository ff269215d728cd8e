"""The service worker at /sw.js (scope: the whole site), the offline page and the saved-guides page."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, current_app, render_template

from ..langbp import lang_blueprint
from .policy import mark_storable, worker_settings

WORKER_SOURCE = Path(__file__).resolve().parent / "sw.js"

bp = lang_blueprint("offline", __name__, template_folder="templates")
worker = Blueprint("offline_worker", __name__)
bp.after_app_request(mark_storable)


@worker.get("/sw.js")
def service_worker():
    """The worker script with its settings; served from the root so that its scope is the whole site."""
    settings = json.dumps(worker_settings())
    body = f'"use strict";\nself.OFFLINE = {settings};\n{WORKER_SOURCE.read_text(encoding="utf-8")}'
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline_page():
    """What the worker shows for a page it does not hold: emergency numbers and the saved guides."""
    return render_template("offline/offline.html")


@bp.get("/saved")
def saved_guides():
    """The guides kept on this phone (listed by static/js/offline.js from the worker's index)."""
    return render_template("offline/saved.html")
