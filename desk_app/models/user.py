"""Users of the desk and their roles."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.models.base import Base, SyncedRow


class User(SyncedRow, Base):
    __tablename__ = "users"
    # Throttle state is this desk's own business and never travels.
    __sync_local_fields__: ClassVar[frozenset[str]] = frozenset(
        {"failed_attempts", "last_failed_at", "locked_until"}
    )

    username: Mapped[str] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Role codes: clerk, officer, mediator, admin.
    roles: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(default=None)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
