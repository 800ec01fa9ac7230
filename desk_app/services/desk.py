"""A desk: its data folder, database and identity, opened once and handed to services."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from desk_app.models import DeskIdentity, Outbox, SyncState
from desk_app.models.db import Database, open_database
from desk_app.paths import DataDir
from desk_app.services import users
from desk_app.services.errors import NotInitialised, ValidationError
from desk_app.services.numbering import DEFAULT_CASE_TEMPLATE, check_template
from desk_app.services.roles import Actor, Role
from desk_app.services.settings import Settings
from desk_app.services.uow import CommitListener, UnitOfWork

DESK_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")


@dataclass(frozen=True)
class DeskInfo:
    center_name: str
    short_name: str
    desk_code: str
    case_no_template: str


@dataclass
class Desk:
    dirs: DataDir
    db: Database
    info: DeskInfo | None
    settings: Settings
    _listeners: list[CommitListener] = field(default_factory=list)

    @property
    def identity(self) -> DeskInfo:
        if self.info is None:
            raise NotInitialised("本数据文件夹尚未初始化：请先完成首次设置（desk-app init）")
        return self.info

    def uow(self, actor: Actor) -> UnitOfWork:
        """A unit of work acting as `actor`; commit listeners run after it commits."""
        return UnitOfWork(self.db, actor, self.identity.desk_code, self._listeners)

    def on_commit(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every successful unit of work (from the committing thread)."""
        self._listeners.append(listener)

    def pending_ops(self) -> int:
        with self.db.read() as s:
            return (
                s.scalar(select(func.count()).select_from(Outbox).where(Outbox.state == "pending"))
                or 0
            )

    def close(self) -> None:
        self.db.dispose()


def _load_info(db: Database) -> DeskInfo | None:
    with db.read() as s:
        row = s.get(DeskIdentity, 1)
        if row is None:
            return None
        return DeskInfo(row.center_name, row.short_name, row.desk_code, row.case_no_template)


def open_desk(root: Path) -> Desk:
    """Open (creating and migrating as needed) the desk in data folder `root`."""
    dirs = DataDir(root).ensure()
    db = open_database(dirs.db, dirs.backups)
    return Desk(dirs=dirs, db=db, info=_load_info(db), settings=Settings(dirs.settings))


def default_short_name(center_name: str) -> str:
    """景洪市综治中心 -> 景综: the first character of the place and 综."""
    return (center_name.strip()[:1] or "综") + "综"


@dataclass(frozen=True)
class InitInput:
    center_name: str
    desk_code: str
    admin_username: str
    admin_password: str
    admin_full_name: str = ""
    short_name: str = ""


def validate_init(data: InitInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    center = data.center_name.strip()
    if not 2 <= len(center) <= 50:
        errors["center_name"] = "请填写中心全称（2 到 50 个字），例如“景洪市综治中心”"
    short = data.short_name.strip()
    if short and not 1 <= len(short) <= 6:
        errors["short_name"] = "简称最多 6 个字，例如“景综”"
    if not DESK_CODE_RE.match(data.desk_code.strip().upper()):
        errors["desk_code"] = "窗口编号由管理员分配：以字母开头，2 到 8 位字母或数字，例如 D03"
    errors.update(
        users.validate_account(
            data.admin_username, data.admin_password, data.admin_full_name or data.admin_username
        )
    )
    return errors


def initialise(desk: Desk, data: InitInput, actor: Actor | None = None) -> Actor:
    """First start: record the center and desk and create the first administrator.

    Returns the administrator as an actor (the first-start dialog logs them in).
    """
    if desk.info is not None:
        raise ValidationError({"desk_code": "本数据文件夹已经初始化过，不能重复初始化"})
    errors = validate_init(data)
    if errors:
        raise ValidationError(errors)
    center = data.center_name.strip()
    info = DeskInfo(
        center_name=center,
        short_name=data.short_name.strip() or default_short_name(center),
        desk_code=data.desk_code.strip().upper(),
        case_no_template=DEFAULT_CASE_TEMPLATE,
    )
    assert check_template(info.case_no_template) is None
    desk.info = info
    setup_actor = actor or Actor.command_line()
    try:
        with desk.uow(setup_actor) as uow:
            uow.add(
                DeskIdentity(
                    id=1,
                    center_name=info.center_name,
                    short_name=info.short_name,
                    desk_code=info.desk_code,
                    case_no_template=info.case_no_template,
                )
            )
            uow.add(SyncState(id=1, desk_code=info.desk_code))
            admin = users.add_user(
                uow,
                users.UserInput(
                    username=data.admin_username,
                    full_name=data.admin_full_name or data.admin_username,
                    password=data.admin_password,
                    roles=frozenset({Role.ADMIN}),
                ),
            )
    except BaseException:
        desk.info = None
        raise
    return admin
