"""Drafts: forms being filled, kept every few seconds so a crash or power cut loses little.

One row per user and form (``drafts``, unique on user and form) holding the
form's own snapshot as JSON. Each save is one short write transaction, an
upsert, outside any unit of work: drafts stay on this desk, so they get no
outbox ops, no history and no sync stamps (`Draft` is no `SyncedRow`). A
registration that completes a draft deletes it in the registration's own
transaction (`discard_in`, see `cases.register_case`), so a crash can never
leave behind the draft of a case that was saved.

Only the user who typed a draft is offered it back; the system account of the
command line keeps none.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from desk_app.models import Draft, new_id, utcnow
from desk_app.models.db import Database
from desk_app.services.errors import DeskError

#: The forms that keep drafts.
FORMS = frozenset({"intake", "enquiry"})
#: A snapshot larger than this is a bug (a form holds a few pages of text, not megabytes).
MAX_PAYLOAD_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class SavedDraft:
    form: str
    payload: dict[str, Any]
    updated_at: datetime


def _check_form(form: str) -> None:
    if form not in FORMS:
        raise ValueError(f"unknown draft form {form!r}")


def save(
    db: Database,
    user_id: uuid.UUID | None,
    form: str,
    payload: dict[str, Any],
    now: datetime | None = None,
) -> None:
    """Keep `payload` as the user's draft of `form`, replacing the one before."""
    _check_form(form)
    if user_id is None:
        return
    size = len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        raise DeskError(f"草稿过大（{size // 1024} KB），未能保存")
    at = now or utcnow()
    stmt = insert(Draft).values(
        id=new_id(), user_id=user_id, form=form, payload=payload, updated_at=at
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[Draft.user_id, Draft.form],
        set_={"payload": stmt.excluded.payload, "updated_at": stmt.excluded.updated_at},
    )
    with db.write_session() as s, s.begin():
        s.execute(stmt)


def load(db: Database, user_id: uuid.UUID | None, form: str) -> SavedDraft | None:
    """The user's draft of `form`, if one was kept."""
    _check_form(form)
    if user_id is None:
        return None
    with db.read() as s:
        row = s.scalars(select(Draft).where(Draft.user_id == user_id, Draft.form == form)).first()
        if row is None:
            return None
        return SavedDraft(row.form, dict(row.payload or {}), row.updated_at)


def discard_in(session: Session, user_id: uuid.UUID | None, form: str) -> None:
    """Delete the user's draft of `form` inside a transaction the caller holds."""
    _check_form(form)
    if user_id is not None:
        session.execute(delete(Draft).where(Draft.user_id == user_id, Draft.form == form))


def discard(db: Database, user_id: uuid.UUID | None, form: str) -> None:
    """Delete the user's draft of `form` (the form was saved or cleared on purpose)."""
    _check_form(form)
    if user_id is None:
        return
    with db.write_session() as s, s.begin():
        discard_in(s, user_id, form)


__all__ = ["FORMS", "SavedDraft", "discard", "discard_in", "load", "save"]
