"""The local SQLite database: engines, sessions, migrations and copies.

SQLite runs with WAL, synchronous=FULL and foreign keys on. Writes begin with
BEGIN IMMEDIATE so two writers never deadlock halfway through a unit of work;
reads begin deferred. Copies (backups, before a migration) use SQLite's
backup API, never a file copy of a WAL database.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

#: The newest migration. Start-up compares the database with it and imports
#: Alembic (~0.1 s) only when they differ; a test keeps it equal to Alembic's head.
SCHEMA_HEAD = "0008"

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations" / "local"


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message says why, in Chinese."""


def make_engine(db_path: Path, *, foreign_keys: bool = True) -> Engine:
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"timeout": 30, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cur.execute("PRAGMA busy_timeout=30000")
        # Reads through the OS page cache instead of copying pages: faster lookups.
        cur.execute("PRAGMA mmap_size=268435456")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@dataclass
class Database:
    """One desk database: a deferred-read and an immediate-write session factory."""

    path: Path
    engine: Engine

    def __post_init__(self) -> None:
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; closed (its transaction released) at the end.

        Objects loaded through it stay readable afterwards, detached.
        """
        with self._read() as session:
            yield session

    def write_session(self) -> Session:
        """A session whose transaction starts with BEGIN IMMEDIATE (for units of work)."""
        return self._write()

    def dispose(self) -> None:
        self.engine.dispose()


# --- migrations -------------------------------------------------------------


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def migrate(db_path: Path, backups_dir: Path) -> str | None:
    """Bring the database to the newest schema; copy it first if it holds data.

    Returns the path of the pre-migration copy, if one was made.
    """
    if stored_revision(db_path) == SCHEMA_HEAD:
        return None
    from alembic.script import ScriptDirectory

    engine = make_engine(db_path, foreign_keys=False)  # batch migrations rebuild tables
    try:
        script = ScriptDirectory.from_config(alembic_config())
        current = current_revision(engine)
        head = script.get_current_head()
        if current == head:
            return None
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise DatabaseError(
                f"数据库版本（{current}）比本程序新，请安装新版程序后再打开此数据文件夹。"
            )
        copy: str | None = None
        if current is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            target = backups_dir / f"pre-migrate-{current}-{stamp}.db"
            backup_to(db_path, target)
            copy = str(target)
            log.info("copied database to %s before migrating from %s", target, current)
        upgrade(engine)
        return copy
    finally:
        engine.dispose()


def stored_revision(db_path: Path) -> str | None:
    """The schema revision recorded in the database file, read without Alembic."""
    if not db_path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def open_database(db_path: Path, backups_dir: Path) -> Database:
    """Create or upgrade the database at `db_path` and open it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    backups_dir.mkdir(parents=True, exist_ok=True)
    migrate(db_path, backups_dir)
    return Database(db_path, make_engine(db_path))


# --- copies ------------------------------------------------------------------


def backup_to(src: Path, dest: Path) -> Path:
    """Copy a live SQLite database with the backup API (consistent, WAL-safe)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            # A self-contained single file: no -wal beside it.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()
    os.replace(tmp, dest)
    return dest


def restore_from(src: Path, dest: Path) -> None:
    """Overwrite the database at `dest` with the copy `src`, through the backup API."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    try:
        target = sqlite3.connect(dest, timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def check_sqlite_file(path: Path) -> str | None:
    """A reason why `path` is not a usable desk database copy, or None if it is."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return "不是 SQLite 数据库文件"
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                return f"数据库文件已损坏（{ok}）"
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as exc:
        return f"无法读取：{exc}"
    if not {"cases", "desk_identity", "alembic_version"} <= tables:
        return "不是本程序的数据库备份"
    return None
