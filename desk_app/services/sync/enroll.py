"""Enrolling a desk with the central database, with its scope."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from desk_app.models import DeskIdentity, Division, Unit, utcnow
from desk_app.models import central as schema
from desk_app.services import numbering
from desk_app.services.desk import Desk
from desk_app.services.errors import ValidationError
from desk_app.services.roles import Actor
from desk_app.services.settings import SYNC_SCOPE, SYNC_URL
from desk_app.services.sync import central, secrets

DIVISION_CODE_RE = re.compile(r"^\d{6}(\d{3}(\d{3})?)?$")


@dataclass(frozen=True)
class Enrolled:
    desk_code: str
    scope: tuple[str, ...]
    counters_raised: int
    replaced: bool
    password_warning: str | None


def parse_scope(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.strip().upper() for c in re.split(r"[,，\s]+", text) if c.strip()))


def check_scope(desk: Desk, codes: tuple[str, ...]) -> tuple[str, ...]:
    """Division codes at their level (6, 9 or 12 digits) and/or unit codes that exist."""
    if not codes:
        raise ValidationError(
            {"scope": "请给出同步范围：区划代码（如 532801、532801103）或单位代码"}
        )
    unknown: list[str] = []
    with desk.db.read() as s:
        for code in codes:
            if DIVISION_CODE_RE.match(code):
                full = code.ljust(12, "0")
                if s.scalar(sa.select(Division.id).where(Division.code == full)) is None:
                    unknown.append(code)
            elif s.scalar(sa.select(Unit.id).where(Unit.code == code)) is None:
                unknown.append(code)
    if unknown:
        raise ValidationError(
            {"scope": f"不认识的区划或单位代码：{'、'.join(unknown)}（区划代码取 6、9 或 12 位）"}
        )
    return codes


def _units_have_a_desk(desk: Desk, scope: tuple[str, ...]) -> None:
    """The units this desk serves now have a desk of their own: their steps are recorded
    there (by their mediators), not by center staff on their behalf. The change reaches
    every desk with the next sync, as any edit of a unit does."""
    codes = [code for code in scope if not DIVISION_CODE_RE.match(code)]
    if not codes:
        return
    with desk.uow(Actor.command_line()) as uow:
        for unit in uow.session.scalars(
            sa.select(Unit).where(Unit.code.in_(codes), Unit.has_desk.is_(False))
        ):
            unit.has_desk = True


def enroll(
    desk: Desk,
    url: URL,
    desk_code: str,
    scope: tuple[str, ...],
    app_version: str,
    *,
    replace: bool = False,
) -> Enrolled:
    """Register this desk and its scope centrally, and take over the central counters.

    A code held by another installation is refused unless `replace` says the old PC is
    retired; either way this desk resumes numbering from the central maximum.
    """
    info = desk.identity
    code = desk_code.strip().upper()
    if code != info.desk_code:
        raise ValidationError(
            {"desk_code": f"本窗口编号是 {info.desk_code}，与要登记的 {code} 不一致"}
        )
    scope = check_scope(desk, scope)
    with desk.db.read() as s:
        identity = s.get(DeskIdentity, 1)
        assert identity is not None
        install_id = identity.install_id
    engine = central.connect(url)
    try:
        hello = central.hello(engine, code, app_version)
        table = schema.desk
        with engine.begin() as conn:
            row = conn.execute(
                sa.select(table.c.install_id).where(table.c.desk_code == code).with_for_update()
            ).first()
            replaced = row is not None and row.install_id != install_id
            if replaced and not replace:
                raise ValidationError(
                    {
                        "desk_code": f"窗口编号 {code} 已被另一台电脑登记。若那台电脑已停用、"
                        "本机接替它，请加 --replace 重新登记；否则请向中心管理员另要一个编号"
                    }
                )
            values = {
                "install_id": install_id,
                "center_name": info.center_name,
                "scope": list(scope),
                "last_seen": utcnow(),
                "app_version": app_version,
            }
            if row is None:
                conn.execute(table.insert().values(desk_code=code, enrolled_at=utcnow(), **values))
            else:
                conn.execute(table.update().where(table.c.desk_code == code).values(**values))
    except OperationalError as exc:
        raise central.CentralError(central.explain(exc)) from exc
    finally:
        engine.dispose()
    raised = 0
    with desk.db.write_session() as s, s.begin():
        for (name, year), value in hello.counters.items():
            before = numbering.current(s, name, year)
            if before < value:
                numbering.raise_to(s, name, year, value)
                raised += 1
    _units_have_a_desk(desk, scope)
    plain = central.without_password(url)
    desk.settings.set(SYNC_URL, plain)
    desk.settings.set(SYNC_SCOPE, ",".join(scope))
    stored = (
        secrets.store_password(desk.dirs.root, plain, url.password)
        if url.password
        else secrets.Stored("none")
    )
    return Enrolled(code, scope, raised, replaced, stored.warning)
