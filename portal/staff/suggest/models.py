"""Agent feedback on suggestions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ...db import Base
from ...timeutil import utcnow


class Feedback(Base):
    """An agent's verdict on a suggestion list: helped, or wrong with the right service."""
    __tablename__ = "staff_feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)          # masked question text
    lang: Mapped[str] = mapped_column(String(8))
    verdict: Mapped[str] = mapped_column(String(10))     # helped | wrong
    service: Mapped[str] = mapped_column(String(80), default="")   # the helpful suggestion
    correct_service: Mapped[str] = mapped_column(String(80), default="")  # for "wrong"
    ranking: Mapped[str] = mapped_column(String(400), default="")  # slugs shown, comma-separated

