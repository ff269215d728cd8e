"""Conversations, their (masked) messages and handoff requests to staff."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..timeutil import utcnow


class Conversation(Base):
    """One chat session. `token_hash` identifies the client; `sender` is Rasa's id and never leaves the server."""
    __tablename__ = "chat_conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str] = mapped_column(String(32), unique=True)
    lang: Mapped[str] = mapped_column(String(8))
    page_lang: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_active_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # the guard: the bot's last reply (hash) and how often in a row it was given
    last_reply_hash: Mapped[str | None] = mapped_column(String(16), nullable=True)
    repeats: Mapped[int] = mapped_column(default=0, server_default="0")

    messages: Mapped[list["Message"]] = relationship(back_populates="conversation", cascade="all, delete-orphan",
                                                     passive_deletes=True, order_by="Message.id")
    handoffs: Mapped[list["Handoff"]] = relationship(back_populates="conversation", cascade="all, delete-orphan",
                                                     passive_deletes=True, order_by="Handoff.id")


class Message(Base):
    """A chat message; `text` is stored masked (phone numbers and access codes removed)."""
    __tablename__ = "chat_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("chat_conversation.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(8))  # user | bot | agent | system
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(40), nullable=True)
    author: Mapped[str | None] = mapped_column(String(80), nullable=True)
    buttons: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON list, bot messages only
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class Handoff(Base):
    """A request to hand the conversation to a person: waiting -> claimed -> closed."""
    __tablename__ = "chat_handoff"
    __table_args__ = (Index("ix_chat_handoff_status_requested", "status", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("chat_conversation.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    lang: Mapped[str] = mapped_column(String(8))
    # an emergency: first in the inbox, queued also outside working hours, and the bot keeps answering
    # the user until a person takes it
    urgent: Mapped[bool] = mapped_column(default=False, server_default=false())
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)

    conversation: Mapped[Conversation] = relationship(back_populates="handoffs")


class CallbackRequest(Base):
    """Outside hand-over hours: a message and a phone number left for a call back (with consent).
    Personal data: shown only to staff (audited), deleted with the chat data after RETENTION_DAYS."""
    __tablename__ = "chat_callback"

    id: Mapped[int] = mapped_column(primary_key=True)
    lang: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(20))                  # E.164
    status: Mapped[str] = mapped_column(String(10), default="open")  # open -> done
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    done_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(nullable=True)
