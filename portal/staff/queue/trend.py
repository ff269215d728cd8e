"""The queue's trend for the last days: questions per day, and abstention rate per language
(abstentions / searches, from the text-free daily counters). Geometry for a server-rendered SVG."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from ... import db
from ...timeutil import utcnow
from .models import QueuedQuestion, SearchDailyCount

DAYS = 14
CHART_W, CHART_H, BAR_GAP = 420, 120, 4      # SVG user units (scales with the viewBox)
RATE_W = 360                                  # length of a 100% abstention bar (room left for its label)


@dataclass
class DayBar:
    day: date
    count: int
    x: float
    cx: float           # centre, for the labels
    y: float
    height: float


@dataclass
class LangRate:
    lang: str
    searches: int
    abstentions: int
    rate: int           # percent, rounded
    width: float        # bar width in SVG units


@dataclass
class Trend:
    days: list[DayBar]
    langs: list[LangRate]
    bar_width: float
    total: int


def queue_trend(days: int = DAYS, today: date | None = None) -> Trend:
    """Questions queued per UTC day (last `days` days) and abstention rate per language over them."""
    today = today or utcnow().date()
    start = today - timedelta(days=days - 1)
    sess = db.session()
    counts = {d: 0 for d in (start + timedelta(days=i) for i in range(days))}
    for created in sess.scalars(select(QueuedQuestion.created_at).where(
            QueuedQuestion.created_at >= start)):    # a few thousand timestamps: counted here, portably
        if created.date() in counts:
            counts[created.date()] += 1
    peak = max(counts.values()) or 1
    bar_w = (CHART_W - BAR_GAP * (days - 1)) / days
    bars = []
    for i, (day, n) in enumerate(sorted(counts.items())):
        height = round(CHART_H * n / peak, 1)
        x = i * (bar_w + BAR_GAP)
        bars.append(DayBar(day, n, round(x, 1), round(x + bar_w / 2, 1), round(CHART_H - height, 1), height))
    rates = []
    for lang, searches, abstentions in sess.execute(
            select(SearchDailyCount.lang, func.sum(SearchDailyCount.searches), func.sum(SearchDailyCount.abstentions))
            .where(SearchDailyCount.day >= start).group_by(SearchDailyCount.lang).order_by(SearchDailyCount.lang)):
        searches, abstentions = int(searches or 0), int(abstentions or 0)
        if searches:
            rate = abstentions / searches
            rates.append(LangRate(lang, searches, abstentions, round(rate * 100), round(RATE_W * rate, 1)))
    return Trend(bars, rates, round(bar_w, 1), sum(counts.values()))
