"""The unanswered and disputed questions queue: queued questions, supervisor decisions, daily search counts."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ...db import Base
from ...timeutil import utcnow

SOURCES = ("search", "bot", "console", "feedback")
KINDS = ("abstained", "negative", "correction")
DECISIONS = ("content_added", "not_our_service")


class QueueDecision(Base):
    """A supervisor's decision on one group of questions (its questions leave the open queue)."""
    __tablename__ = "queue_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision: Mapped[str] = mapped_column(String(20))          # content_added | not_our_service
    decided_by: Mapped[str] = mapped_column(String(40))        # actor, "staff:<id>"
    decided_by_name: Mapped[str] = mapped_column(String(80), default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    questions: Mapped[int] = mapped_column(Integer, default=0)  # how many questions it closed


class QueuedQuestion(Base):
    """One abstention, negative feedback or correction; the text is masked (personal data)."""
    __tablename__ = "queue_questions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8), default="")
    source: Mapped[str] = mapped_column(String(10))            # SOURCES
    kind: Mapped[str] = mapped_column(String(12))              # KINDS
    suggested_service: Mapped[str] = mapped_column(String(80), default="")
    correct_service: Mapped[str] = mapped_column(String(80), default="")
    state: Mapped[str] = mapped_column(String(20), default="open", index=True)   # open | DECISIONS
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("queue_decisions.id", ondelete="SET NULL"), nullable=True, index=True)
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # float32, unit length
    vector_model: Mapped[str] = mapped_column(String(120), default="")


class SearchDailyCount(Base):
    """Searches and abstentions per UTC day and language (no text): the abstention-rate denominator."""
    __tablename__ = "search_daily_counts"
    __table_args__ = (UniqueConstraint("day", "lang", name="uq_search_daily_counts_day_lang"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    lang: Mapped[str] = mapped_column(String(8))
    searches: Mapped[int] = mapped_column(Integer, default=0)
    abstentions: Mapped[int] = mapped_column(Integer, default=0)
