"""What the status bar shows about sync, read cheaply: the local state and the central reach.

No Qt here. The sync worker reads `local_state` after each round (and during a desk's
first sync, after each pulled page) and `central_max_seq` once at the start of a first
sync, to show how far the pull has come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from desk_app.models import Outbox, SyncState
from desk_app.services.desk import Desk
from desk_app.services.settings import SYNC_URL


@dataclass(frozen=True)
class LocalSyncState:
    enrolled: bool
    pending: int
    pull_cursor: int
    last_success_at: datetime | None
    last_error: str | None

    @property
    def first_sync(self) -> bool:
        """No round has finished yet: the desk's first pull is still to come (or under way)."""
        return self.last_success_at is None


def local_state(desk: Desk) -> LocalSyncState:
    """The pending op count and the stored sync state, in one read."""
    with desk.db.read() as s:
        pending = s.scalar(
            sa.select(sa.func.count()).select_from(Outbox).where(Outbox.state == "pending")
        )
        state = s.get(SyncState, 1)
        cursor = state.pull_cursor if state is not None else 0
        last_success = state.last_success_at if state is not None else None
        last_error = state.last_error if state is not None else None
    return LocalSyncState(
        enrolled=bool(desk.settings.get(SYNC_URL)),
        pending=int(pending or 0),
        pull_cursor=cursor,
        last_success_at=last_success,
        last_error=last_error,
    )


def pull_cursor(desk: Desk) -> int:
    with desk.db.read() as s:
        state = s.get(SyncState, 1)
        return state.pull_cursor if state is not None else 0


def central_max_seq(engine: Engine) -> int:
    """The newest `server_seq` of the central change log (0 when empty), read only.

    A first pull ends with its cursor there, so cursor / maximum says how far it is
    (roughly: changes outside this desk's scope are skipped over, not pulled).

    Raises:
        CentralError: the central database cannot be reached or has no schema yet.
    """
    # Imported here: the central schema is not needed for the main window's first paint.
    from desk_app.models import central as schema
    from desk_app.services.sync import central

    log = schema.change_log
    try:
        with engine.connect() as conn:
            value = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(log.c.server_seq), 0))
            ).scalar_one()
    except ProgrammingError as exc:
        raise central.CentralError(
            "中心数据库尚未建好：请管理员先运行 desk-app central upgrade"
        ) from exc
    except OperationalError as exc:
        raise central.CentralError(central.explain(exc)) from exc
    return int(value)


@dataclass(frozen=True)
class FirstSync:
    """How far a desk's first pull has come: its cursor against the central maximum."""

    cursor: int
    target: int

    @property
    def fraction(self) -> float:
        if self.target <= 0:
            return 1.0
        return max(0.0, min(1.0, self.cursor / self.target))

    @property
    def percent(self) -> int:
        return int(self.fraction * 100)
