"""The central database: connecting, creating or upgrading its schema, and `hello()`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from desk_app.models import central as schema
from desk_app.models import utcnow
from desk_app.services.errors import DeskError

MIGRATIONS_DIR = Path(schema.__file__).resolve().parent / "migrations" / "central"
VERSION_TABLE = "alembic_version_central"
#: A desk whose clock is further off than this from the central's gets a warning.
CLOCK_SKEW_WARNING_SECONDS = 300


class CentralError(DeskError):
    """The central database cannot be reached or used; the message says why, in Chinese."""


def central_url(url: str, password: str | None = None) -> URL:
    """A SQLAlchemy URL for psycopg 3, with `password` set when given."""
    try:
        parsed = make_url(url.strip())
    except ArgumentError:
        raise CentralError(
            f"数据库地址格式不对：{url}（应为 postgresql+psycopg://用户@主机:端口/库名）"
        ) from None
    if parsed.get_backend_name() != "postgresql":
        raise CentralError("中心数据库必须是 PostgreSQL：地址应以 postgresql+psycopg:// 开头")
    parsed = parsed.set(drivername="postgresql+psycopg")
    if password:
        parsed = parsed.set(password=password)
    return parsed


def without_password(url: URL) -> str:
    """The URL as text with no password in it (for the settings file and messages)."""
    # URL.set(password=None) keeps the old password; _replace really drops it.
    return url._replace(password=None).render_as_string(hide_password=False)


def connect(url: URL, *, timeout: int = 10) -> Engine:
    """An engine for the central database (nothing is opened until first use)."""
    return sa.create_engine(
        url,
        connect_args={"connect_timeout": timeout, "application_name": "desk_app"},
        pool_pre_ping=True,
    )


def explain(exc: Exception) -> str:
    """What a connection failure means for the person at the desk, in Chinese."""
    text = str(getattr(exc, "orig", exc) or exc)
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return "用户名或密码不正确，请核对中心数据库的账号和密码"
    if "does not exist" in lowered and "database" in lowered:
        return "中心数据库不存在，请核对地址中的库名"
    if "connection refused" in lowered or "could not connect" in lowered:
        return "连不上中心数据库（拒绝连接）：请检查网络、主机和端口"
    if "timeout" in lowered or "timed out" in lowered:
        return "连接中心数据库超时：请检查网络"
    if "could not translate host name" in lowered or "name or service not known" in lowered:
        return "找不到中心数据库所在的主机：请检查主机名"
    return f"中心数据库出错：{text.strip().splitlines()[0] if text.strip() else type(exc).__name__}"


def _alembic_config(connection: sa.Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Create or upgrade the central schema; returns (revision before, revision now)."""
    from alembic import command

    try:
        before = current_revision(engine)
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
        return before, head_revision()
    except (OperationalError, ProgrammingError) as exc:
        raise CentralError(explain(exc)) from exc


@dataclass(frozen=True)
class Hello:
    """What the central side says when a desk connects."""

    epoch: str
    schema: str
    min_desk_version: str
    central_time: datetime
    clock_skew_seconds: float
    #: (counter name, year) -> the highest number the center has seen from this desk.
    counters: dict[tuple[str, int], int]

    @property
    def clock_warning(self) -> str | None:
        if abs(self.clock_skew_seconds) <= CLOCK_SKEW_WARNING_SECONDS:
            return None
        minutes = round(abs(self.clock_skew_seconds) / 60)
        side = "快" if self.clock_skew_seconds > 0 else "慢"
        return (
            f"本机时钟比中心{side}约 {minutes} 分钟，请校准系统时间"
            "（同步不依赖时钟，但登记时间会不准）"
        )


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("+")[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def version_too_old(version: str, minimum: str) -> bool:
    return _version_tuple(version) < _version_tuple(minimum)


def hello(engine: Engine, desk_code: str, app_version: str) -> Hello:
    """Check versions and clocks, and read this desk's central counters.

    Raises:
        CentralError: unreachable, the schema too old or too new for this app, or this
            app older than the central minimum (sync pauses; the outbox is kept).
    """
    local_now = utcnow()
    try:
        with engine.connect() as conn:
            revision = conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
            info: dict[str, str] = {
                key: value for key, value in conn.execute(sa.select(schema.central_info))
            }
            central_now = conn.execute(sa.text("SELECT now()")).scalar_one()
            counters = {
                (name, year): value
                for name, year, value in conn.execute(
                    sa.select(
                        schema.desk_counter.c.name,
                        schema.desk_counter.c.year,
                        schema.desk_counter.c.value,
                    ).where(schema.desk_counter.c.desk_code == desk_code)
                )
            }
    except ProgrammingError as exc:
        raise CentralError("中心数据库尚未建好：请管理员先运行 desk-app central upgrade") from exc
    except OperationalError as exc:
        raise CentralError(explain(exc)) from exc
    head = head_revision()
    if revision != head:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        known = {r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()}
        if revision in known:
            raise CentralError("中心数据库版本较旧：请管理员运行 desk-app central upgrade")
        raise CentralError("中心数据库比本程序新：请安装新版程序后再同步（待同步的更改会保留）")
    minimum = info.get("min_desk_version", "0")
    if version_too_old(app_version, minimum):
        raise CentralError(
            f"本程序版本 {app_version} 低于中心要求的 {minimum}："
            "请升级后再同步（待同步的更改会保留）"
        )
    skew = (local_now - central_now).total_seconds()
    return Hello(
        epoch=info.get("epoch", ""),
        schema=str(revision),
        min_desk_version=minimum,
        central_time=central_now,
        clock_skew_seconds=skew,
        counters=counters,
    )
