"""Forms being filled in, saved every few seconds so a crash or power cut loses little.

Drafts stay on the desk that has them: they never sync (no outbox ops, not in the
central schema).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.models.base import Base, new_id, utcnow


class Draft(Base):
    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "form"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    #: Whose typing it is: only they are offered it back.
    user_id: Mapped[uuid.UUID]
    #: Which form: "intake", "enquiry" …
    form: Mapped[str] = mapped_column(String(32))
    #: The form's own snapshot of its fields (JSON).
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
