"""The unanswered and disputed questions page (/staff/queue): agents read, supervisors decide.

Registering this blueprint also makes the app record its searches into the queue (recording.py).
"""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from ...errors import Conflict, NotFound
from ...guides.operations import service_title
from ..auth.access import check_role
from ..guard import console_blueprint
from .operations import decide_group, list_groups
from .recording import listen_to_searches
from .trend import queue_trend

bp = console_blueprint("staff_queue", __name__, "/staff/queue", role="agent")


@bp.record_once
def _record_searches(state) -> None:
    listen_to_searches(state.app)


@bp.get("")
def queue():
    """Open (default) or decided question groups, a page at a time, each labelled by its most typical
    question, with its size, languages and newest date; the trend chart."""
    state = request.args.get("state") or "open"
    state = state if state in ("open", "decided") else "open"
    user = check_role("agent")
    number = request.args.get("page") or "1"
    page = list_groups(user, state, int(number) if number.isdigit() and len(number) < 6 else 1)
    return render_template("staff/queue/queue.html", state=state, page=page, groups=page.groups,
                           trend=queue_trend(), can_decide=user.has_role("supervisor"),
                           service_title=service_title, done=request.args.get("done"),
                           problem=request.args.get("problem"))


@bp.post("/decide")
def decide():
    """Supervisors: close a group as "content added" or "not our service" (303 back to the queue)."""
    user = check_role("supervisor")
    try:
        decide_group(user, request.form.get("group"), request.form.get("decision"))
    except (NotFound, Conflict):
        return redirect(url_for("staff_queue.queue", problem="gone"), 303)
    return redirect(url_for("staff_queue.queue", done=request.form.get("decision")), 303)
