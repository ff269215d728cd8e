"""The unanswered and disputed questions page (/staff/queue): agents read, supervisors decide."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from ..errors import Conflict, NotFound
from ..knowledge_access import knowledge
from .auth import check_role
from .guard import console_blueprint
from .queue import decide_group, list_groups
from .queue_trend import queue_trend

bp = console_blueprint("staff_queue", __name__, "/staff/queue", role="agent")


def _service_title(slug: str, lang: str) -> str:
    svc = knowledge().service(slug) if slug else None
    text = svc and (svc.text(lang) or svc.text("tr"))
    return text.title if text else slug


@bp.get("")
def queue():
    """Open (default) or decided question groups with counts, languages, examples; the trend chart."""
    state = request.args.get("state") or "open"
    state = state if state in ("open", "decided") else "open"
    user = check_role("agent")
    page = list_groups(state)
    return render_template("staff/queue/queue.html", state=state, page=page, groups=page.groups,
                           trend=queue_trend(), can_decide=user.has_role("supervisor"),
                           service_title=_service_title, done=request.args.get("done"),
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
