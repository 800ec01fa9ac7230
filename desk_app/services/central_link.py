"""The connection to the central database, as an administrator sets it up on the desk.

The address lives in the settings file as a SQLAlchemy URL without its password
(`[sync] url`, written by enrollment); TLS travels in that URL as libpq's query
parameters `sslmode` and `sslrootcert`. The password goes into the keyring (or a
private file) through `sync.secrets`. `check` says in Chinese what stands in the
way of syncing; `enroll_desk` registers the desk, as `desk-app central enroll` does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from desk_app.models import DeskIdentity
from desk_app.models import central as schema
from desk_app.services.desk import Desk
from desk_app.services.errors import ValidationError
from desk_app.services.roles import Actor, Role, require
from desk_app.services.settings import SYNC_SCOPE, SYNC_URL
from desk_app.services.sync import central, enroll, secrets
from desk_app.services.sync.runner import PASSWORD_ENV

#: libpq's sslmode values offered: "prefer" is libpq's own default (no parameter in the URL).
TLS_MODES = ("prefer", "disable", "require", "verify-full")
DEFAULT_PORT = 5432
#: Seconds a connection test waits for the server before calling it unreachable.
CHECK_TIMEOUT = 5


@dataclass(frozen=True)
class Connection:
    """Where the central database is and how to reach it (no password)."""

    host: str = ""
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    tls_mode: str = "prefer"
    ca_file: str = ""


def from_url(text: str) -> Connection:
    """The fields of a stored URL; an empty or unreadable one gives empty fields."""
    if not text.strip():
        return Connection()
    try:
        url = make_url(text.strip())
    except ArgumentError:
        return Connection()
    mode = str(url.query.get("sslmode") or "prefer")
    return Connection(
        host=url.host or "",
        port=url.port or DEFAULT_PORT,
        database=url.database or "",
        user=url.username or "",
        tls_mode=mode if mode in TLS_MODES else "prefer",
        ca_file=str(url.query.get("sslrootcert") or ""),
    )


def validate(conn: Connection) -> dict[str, str]:
    """Field -> what is wrong with it, in Chinese (empty when all is well)."""
    errors: dict[str, str] = {}
    if not conn.host.strip():
        errors["host"] = "请填写中心数据库所在的主机名或 IP 地址，如 10.53.1.20"
    elif any(ch in conn.host for ch in " /@:?"):
        errors["host"] = "主机名只填名称或 IP 地址，不带端口、斜杠或空格"
    if not 1 <= conn.port <= 65535:
        errors["port"] = "端口应在 1 到 65535 之间（PostgreSQL 默认 5432）"
    if not conn.database.strip():
        errors["database"] = "请填写中心数据库的库名，如 central"
    if not conn.user.strip():
        errors["user"] = "请填写中心数据库的用户名"
    if conn.tls_mode not in TLS_MODES:
        errors["tls_mode"] = "加密方式只能是 prefer、disable、require 或 verify-full"
    if conn.tls_mode == "verify-full":
        if not conn.ca_file.strip():
            errors["ca_file"] = "验证证书需要中心的 CA 证书文件：请选择它（通常是 root.crt）"
        elif not Path(conn.ca_file).is_file():
            errors["ca_file"] = f"找不到 CA 证书文件 {conn.ca_file}"
    return errors


def url_of(conn: Connection, password: str | None = None) -> URL:
    query: dict[str, str] = {}
    if conn.tls_mode != "prefer":
        query["sslmode"] = conn.tls_mode
    if conn.tls_mode == "verify-full" and conn.ca_file.strip():
        query["sslrootcert"] = str(Path(conn.ca_file.strip()).resolve())
    return URL.create(
        "postgresql+psycopg",
        username=conn.user.strip(),
        password=password or None,
        host=conn.host.strip(),
        port=conn.port,
        database=conn.database.strip(),
        query=query,
    )


def plain_url(conn: Connection) -> str:
    """The URL as the settings file keeps it: no password."""
    return central.without_password(url_of(conn))


def has_stored_password(desk: Desk, conn: Connection) -> bool:
    return stored_password(desk, conn) is not None


def stored_password(desk: Desk, conn: Connection) -> str | None:
    """The password the sync would use: the environment's, or the one kept for this address
    (or for the address in use now, when only TLS or the like changed)."""
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    for url in (plain_url(conn), desk.settings.get(SYNC_URL)):
        if url:
            found = secrets.load_password(desk.dirs.root, url)
            if found is not None:
                return found
    return None


def _checked(conn: Connection) -> None:
    errors = validate(conn)
    if errors:
        raise ValidationError(errors)


def _explain_tls(exc: central.CentralError) -> central.CentralError:
    """TLS failures get a message that says which setting to change."""
    cause = exc.__cause__
    text = str(getattr(cause, "orig", cause) or "").lower()
    if "server does not support ssl" in text:
        return central.CentralError(
            "中心数据库不接受加密连接：请把“加密”一项改选“不加密”，或请中心管理员在服务器上开启 SSL"
        )
    if "root certificate" in text or "certificate verify failed" in text:
        return central.CentralError(
            "中心数据库的证书未通过验证：请核对所选的 CA 证书文件是否为中心所发"
        )
    if "does not match host name" in text or "server certificate for" in text:
        return central.CentralError(
            "中心数据库证书上的主机名与所填主机不符：请按证书上的名称填写主机"
        )
    if "no pg_hba.conf entry" in text and "no encryption" in text:
        return central.CentralError(
            "中心数据库只接受加密连接：请把“加密”一项改选“加密”或“加密并验证证书”"
        )
    return exc


@dataclass(frozen=True)
class CheckResult:
    """A successful connection test: what the central side said about this desk."""

    #: This installation holds the desk code centrally.
    enrolled: bool
    #: Another installation holds the desk code (enrolling needs `replace`).
    held_elsewhere: bool
    #: Its scope as the center has it (empty when not enrolled).
    scope: tuple[str, ...]
    schema: str
    clock_warning: str | None

    @property
    def message(self) -> str:
        if self.enrolled:
            return f"连接正常，本窗口已登记，同步范围：{'，'.join(self.scope) or '（空）'}"
        if self.held_elsewhere:
            return (
                "连接正常，但本窗口编号已被另一台电脑登记：若本机接替那台电脑，"
                "请勾选“接替”后登记；否则请向中心管理员另要一个编号"
            )
        return "连接正常，但本窗口尚未登记到中心：请填写同步范围后点“保存并登记”"


def check(
    desk: Desk, actor: Actor, conn: Connection, password: str, app_version: str
) -> CheckResult:
    """Connect, compare versions and see whether this desk is enrolled; reads only.

    `password` empty means the stored one. Administrators only.

    Raises:
        PermissionDenied: `actor` is not an administrator.
        ValidationError: a field is missing or malformed.
        CentralError: unreachable, wrong user or password, TLS refused, the central schema
            too old or too new, this app older than the central minimum.
    """
    require(actor, Role.ADMIN)
    _checked(conn)
    url = url_of(conn, password or stored_password(desk, conn))
    code = desk.identity.desk_code
    with desk.db.read() as s:
        identity = s.get(DeskIdentity, 1)
        assert identity is not None
        install_id = identity.install_id
    engine = central.connect(url, timeout=CHECK_TIMEOUT)
    try:
        try:
            hello = central.hello(engine, code, app_version)
        except central.CentralError as exc:
            raise _explain_tls(exc) from exc.__cause__
        table = schema.desk
        try:
            with engine.connect() as c:
                row = c.execute(
                    sa.select(table.c.install_id, table.c.scope).where(table.c.desk_code == code)
                ).first()
        except OperationalError as exc:
            raise central.CentralError(central.explain(exc)) from exc
    finally:
        engine.dispose()
    enrolled = row is not None and row.install_id == install_id
    return CheckResult(
        enrolled=enrolled,
        held_elsewhere=row is not None and not enrolled,
        scope=tuple(row.scope) if enrolled and row is not None else (),
        schema=hello.schema,
        clock_warning=hello.clock_warning,
    )


def current_scope(desk: Desk) -> str:
    return "，".join(c for c in desk.settings.get(SYNC_SCOPE).split(",") if c)


def enroll_desk(
    desk: Desk,
    actor: Actor,
    conn: Connection,
    password: str,
    scope_text: str,
    app_version: str,
    *,
    replace: bool = False,
) -> enroll.Enrolled:
    """Register this desk under its own code with `scope_text`, keep the address in the
    settings and the password in the keyring (empty `password`: the stored one).
    Administrators only.

    Raises:
        PermissionDenied: `actor` is not an administrator.
        ValidationError: a field, the scope or the desk code (held by another PC) is wrong.
        CentralError: as for `check`.
    """
    require(actor, Role.ADMIN)
    _checked(conn)
    scope = enroll.parse_scope(scope_text)
    enroll.check_scope(desk, scope)
    secret = password or stored_password(desk, conn)
    try:
        return enroll.enroll(
            desk, url_of(conn, secret), desk.identity.desk_code, scope, app_version,
            replace=replace,
        )  # fmt: skip
    except central.CentralError as exc:
        raise _explain_tls(exc) from exc.__cause__
    except ValidationError as exc:
        if "desk_code" in exc.fields and not replace:
            # enroll's own words point at the command line's --replace.
            raise ValidationError(
                {
                    "desk_code": f"窗口编号 {desk.identity.desk_code} 已被另一台电脑登记。"
                    "若那台电脑已停用、本机接替它，请勾选“接替”后再登记；"
                    "否则请向中心管理员另要一个编号"
                }
            ) from exc
        raise
