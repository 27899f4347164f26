"""The scheduler's heartbeat: one row, rewritten by every dispatch round."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coop.core.types import UTCDateTime
from coop.extensions import Model


class SchedulerHeartbeat(Model):
    __tablename__ = "scheduler_heartbeat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    host: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    pid: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
