"""Prometheus metrics at GET /metrics (text format; nginx keeps it from the public).

Events are counted where they happen (prometheus-client counters and histograms): request latency
per route rule, search latency and abstentions, chat turns and emergencies, bookings. States are read
when the page is scraped: handovers waiting for a person, and whether the database and Rasa answer.

Several gunicorn workers: set PROMETHEUS_MULTIPROC_DIR (an empty folder per portal copy, wiped before
gunicorn starts; scripts/run_stack.sh does it) and every worker writes its counts there; a scrape,
whichever worker answers, adds them up (prometheus-client's multiprocess mode). Without it each
process reports its own counts (one worker, tests).
"""
from __future__ import annotations

import os

from flask import Blueprint, Flask, Response, current_app, has_request_context, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from .requestlog import elapsed, route_label

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 4.0, 8.0, 16.0)

REQUEST_SECONDS = Histogram("portal_request_duration_seconds", "Time to answer a request, per route rule",
                            ["method", "route"], buckets=LATENCY_BUCKETS)
REQUESTS = Counter("portal_requests", "Requests answered, per route rule and status", ["method", "route", "status"])
SEARCH_SECONDS = Histogram("portal_search_duration_seconds", "Time of one search (encode, rank, answer)",
                           ["source"], buckets=LATENCY_BUCKETS)
ABSTENTIONS = Counter("portal_search_abstentions", "Searches nothing in the knowledge base answered", ["source"])
CHAT_TURNS = Counter("portal_chat_turns", "Chat messages answered: by the bot, by the portal itself (an "
                     "emergency, a wait for a person), or degraded (Rasa unavailable)", ["answered_by"])
EMERGENCIES = Counter("portal_chat_emergencies", "Chat turns answered as an emergency (112 first)")
BOOKINGS = Counter("portal_bookings", "Appointments booked (not counting replays of an Idempotency-Key)",
                   ["channel"])

bp = Blueprint("metrics", __name__)


def observe_search(source: str | None, seconds: float, abstain: bool) -> None:
    SEARCH_SECONDS.labels(source or "other").observe(seconds)
    if abstain:
        ABSTENTIONS.labels(source or "other").inc()


def count_chat_turn(result: dict, bot_replied: bool) -> None:
    """One answered turn of portal.chat.operations.chat_turn (its result dict; whether Rasa answered)."""
    CHAT_TURNS.labels("bot" if bot_replied else "degraded" if result.get("degraded") else "portal").inc()
    if result.get("emergency"):
        EMERGENCIES.inc()


def count_booking() -> None:
    """A new appointment: booked by the chat bot (its token), through the API, on the web form, or by a
    command (seed)."""
    from .ratelimit import from_action_server
    if not has_request_context():
        channel = "command"
    else:
        channel = "bot" if from_action_server() else "api" if request.path.startswith("/api/") else "web"
    BOOKINGS.labels(channel).inc()


class StateCollector:
    """What is true at scrape time, read in the scraping request's app context."""

    def collect(self):
        from .core.operations import HEALTH_CHECKS
        up = GaugeMetricFamily("portal_component_up", "1 when the component answers (checked at scrape)",
                               labels=["component"])
        for name in ("database", "rasa"):
            if name not in HEALTH_CHECKS:
                continue
            ok, _required, _detail = HEALTH_CHECKS[name]()
            up.add_metric([name], 1.0 if ok else 0.0)
        yield up
        waiting = _handovers_waiting()
        if waiting is not None:
            family = GaugeMetricFamily("portal_handovers_waiting", "Chats waiting for a person, by urgency",
                                       labels=["urgent"])
            for urgent in (True, False):
                family.add_metric(["true" if urgent else "false"], waiting.get(urgent, 0))
            yield family


def _handovers_waiting() -> dict[bool, int] | None:
    from sqlalchemy import func, select

    from . import db
    from .chat.models import Handoff
    try:
        rows = db.session().execute(select(Handoff.urgent, func.count()).where(Handoff.status == "waiting")
                                    .group_by(Handoff.urgent)).all()
    except Exception as exc:  # noqa: BLE001 - the database is down: portal_component_up says so
        current_app.logger.warning("metrics: handovers not counted (%s)", type(exc).__name__)
        db.session().rollback()
        return None
    return {bool(urgent): count for urgent, count in rows}


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


@bp.get("/metrics")
def metrics():
    """Every metric in Prometheus' text format (all workers' counts in multiprocess mode)."""
    if multiprocess_dir():
        from prometheus_client import multiprocess
        events = CollectorRegistry()
        multiprocess.MultiProcessCollector(events)
    else:
        events = REGISTRY
    states = CollectorRegistry(auto_describe=False)
    states.register(StateCollector())
    body = generate_latest(events) + generate_latest(states)
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _observe(response):
    if request.endpoint != "metrics.metrics":
        route = route_label()
        REQUEST_SECONDS.labels(request.method, route).observe(elapsed())
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    return response


def init_app(app: Flask) -> None:
    from .extensions import limiter
    limiter.exempt(bp)
    app.register_blueprint(bp)
    app.after_request(_observe)
