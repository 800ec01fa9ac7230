"""Conflicts the center found between a desk's change and the central row, and settling them.

The center records a conflict when a desk's change meets a row that changed
meanwhile (the same field, another value), a voided row, or a number already
taken; the conflict travels to every desk whose scope holds the matter (see
`sync.store`). Here an officer keeps the desk's value, the central value, or
types a merged one. Settling is one unit of work: the kept value is written to
the row as an ordinary correction (a patch op with its before-value, so a row
that changed again meanwhile makes a new conflict rather than an overwrite), a
history event names the conflict, and a `resolve` op closes the conflict
centrally; the first resolution to reach the center wins, and the closed
conflict comes back to every desk.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.models import Base, Case, SyncConflict, SyncedRow, User
from desk_app.models.db import Database
from desk_app.services.cases import FIELD_LABELS, STATUSES
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError, ValidationError
from desk_app.services.roles import Actor, Role, require
from desk_app.services.sync.codec import decode_row
from desk_app.services.uow import jsonable

#: The op entity of conflicts (the central and local table).
ENTITY = "sync_conflict"
#: Conflicts whose value can be chosen: a field both sides changed. A transition that
#: found the case in another state changed nothing centrally: the central state stands
#: (the workflow decides what may follow it, not a chosen value), so it is acknowledged.
VALUE_KINDS = frozenset({"field"})
KIND_LABELS = {
    "field": "同一字段两边改法不同",
    "transition": "状态已被他人变更，本窗口的操作未生效",
    "voided": "已作废的记录又被修改",
    "missing": "中心没有这条记录",
    "number_clash": "编号已被占用",
    "integrity": "数据不一致",
}
#: Tables whose rows belong to a case, by the column that names it.
_CASE_CHILDREN = {
    "parties": "case_id",
    "case_events": "case_id",
    "attachments": "case_id",
    "assignments": "case_id",
    "joint_mediations": "case_id",
    "joint_mediation_units": "case_id",
    "supervisions": "case_id",
}
KEEP = ("desk", "central", "merged")


@dataclass(frozen=True)
class ConflictView:
    id: uuid.UUID
    case_id: uuid.UUID | None
    case_no: str
    entity: str
    kind: str
    kind_label: str
    field: str | None
    field_label: str
    #: The values as shown (text), and as stored (JSON values).
    desk_text: str
    central_text: str
    desk_value: Any
    central_value: Any
    desk_code: str
    desk_user: str
    desk_at: datetime
    central_user: str
    central_at: datetime | None
    created_at: datetime

    @property
    def can_choose(self) -> bool:
        """Whether a value can be kept or merged (else it can only be acknowledged)."""
        return self.kind in VALUE_KINDS and self.field is not None


def show_value(field: str | None, value: Any) -> str:
    """A stored value as staff read it."""
    if value is None or value == "":
        return "（空）"
    if field == "status" and isinstance(value, str):
        return STATUSES.get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def count_open(db: Database) -> int:
    with db.read() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(SyncConflict)
                .where(SyncConflict.resolved_at.is_(None))
            )
            or 0
        )


def _case_of(s: Session, entity: str, entity_id: uuid.UUID) -> Case | None:
    if entity == "cases":
        return s.get(Case, entity_id)
    link = _CASE_CHILDREN.get(entity)
    if link is None:
        return None
    table = Base.metadata.tables[entity]
    case_id = s.scalar(select(table.c[link]).where(table.c.id == entity_id))
    return s.get(Case, case_id) if case_id is not None else None


def _names(s: Session, usernames: set[str]) -> dict[str, str]:
    rows = s.execute(select(User.username, User.full_name).where(User.username.in_(usernames)))
    return {u: f"{n}（{u}）" if n else u for u, n in rows}


def _view(s: Session, c: SyncConflict, names: dict[str, str]) -> ConflictView:
    case = _case_of(s, c.entity, c.entity_id)
    return ConflictView(
        id=c.id,
        case_id=case.id if case is not None else None,
        case_no=case.case_no if case is not None else "",
        entity=c.entity,
        kind=c.kind,
        kind_label=KIND_LABELS.get(c.kind, c.kind),
        field=c.field,
        field_label=FIELD_LABELS.get(c.field or "", c.field or "（整条记录）"),
        desk_text=show_value(c.field, c.desk_value),
        central_text=show_value(c.field, c.central_value),
        desk_value=c.desk_value,
        central_value=c.central_value,
        desk_code=c.desk_code,
        desk_user=names.get(c.desk_user, c.desk_user),
        desk_at=c.desk_at,
        central_user=names.get(c.central_user or "", c.central_user or ""),
        central_at=c.central_at,
        created_at=c.created_at,
    )


def open_conflicts(db: Database) -> list[ConflictView]:
    """Conflicts not yet settled, oldest first."""
    with db.read() as s:
        rows = s.scalars(
            select(SyncConflict)
            .where(SyncConflict.resolved_at.is_(None))
            .order_by(SyncConflict.created_at, SyncConflict.id)
        ).all()
        users = {r.desk_user for r in rows} | {r.central_user for r in rows if r.central_user}
        names = _names(s, users)
        return [_view(s, r, names) for r in rows]


def _model_of(entity: str) -> type[SyncedRow] | None:
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, SyncedRow) and getattr(cls, "__tablename__", None) == entity:
            return cls
    return None


def resolve(
    desk: Desk,
    actor: Actor,
    conflict_id: uuid.UUID,
    keep: str,
    merged: str | None = None,
    note: str = "",
) -> None:
    """Settle a conflict: keep the desk's value, the central value, or a merged text.

    Raises:
        ValidationError: no merged text where one is asked for (key "merged").
        DeskError: the conflict is gone or already settled, or its row is voided.
    """
    require(actor, Role.OFFICER)
    if keep not in KEEP:
        raise ValueError(f"keep must be one of {KEEP}")
    with desk.uow(actor) as uow:
        s = uow.session
        conflict = s.get(SyncConflict, conflict_id)
        if conflict is None:
            raise DeskError("找不到该冲突记录，可能尚未同步到本窗口")
        if conflict.resolved_at is not None:
            raise DeskError("该冲突已由他人处理")
        chosen: Any = conflict.central_value
        choosable = conflict.kind in VALUE_KINDS and conflict.field is not None
        if choosable and keep == "desk":
            chosen = conflict.desk_value
        elif choosable and keep == "merged":
            if not all(
                isinstance(v, str | None) for v in (conflict.desk_value, conflict.central_value)
            ):
                raise ValidationError({"merged": "此项不能合并填写，请选用其中一方的值"})
            text = (merged or "").strip()
            if not text:
                raise ValidationError({"merged": "请填写合并后的内容"})
            chosen = text
        case = _case_of(s, conflict.entity, conflict.entity_id)
        if choosable and conflict.field is not None:
            _write_value(s, conflict.entity, conflict.entity_id, conflict.field, chosen)
        payload = {"keep": keep if choosable else "central", "value": chosen, "note": note.strip()}
        if case is not None:
            label = FIELD_LABELS.get(conflict.field or "", conflict.field or "记录")
            uow.event(
                case.id,
                "conflict_resolved",
                f"同步冲突已处理：{label}采用“{show_value(conflict.field, chosen)}”",
                {"conflict_id": conflict.id, **payload},
            )
        uow.op(ENTITY, conflict.id, "resolve", payload)
        conflict.resolved_at = uow.now
        conflict.resolved_by = actor.username
        conflict.resolution = jsonable(payload)


def _write_value(s: Session, entity: str, entity_id: uuid.UUID, field: str, value: Any) -> None:
    """Set the kept value on the row, as a correction would (the unit of work records it)."""
    model = _model_of(entity)
    if model is None:
        raise DeskError(f"无法处理此类记录的冲突：{entity}")
    row = s.get(model, entity_id)
    if row is None:
        raise DeskError("冲突涉及的记录不在本窗口，可能尚未同步")
    if row.voided_at is not None:
        raise DeskError("该记录已作废，不能再修改")
    table = Base.metadata.tables[entity]
    if field not in table.c:
        raise DeskError(f"本窗口的数据没有字段 {field}：请先升级本程序")
    new = decode_row(table, {field: value})[field]
    if jsonable(getattr(row, field)) != jsonable(new):
        setattr(row, field, new)
