"""Backups of the desk database: daily automatic copies, manual copies, restore."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from desk_app.models import DeskCounter, utcnow
from desk_app.models.db import backup_to, check_sqlite_file, migrate, open_database, restore_from
from desk_app.paths import DataDir
from desk_app.services import numbering
from desk_app.services.errors import AlreadyRunning, DeskError
from desk_app.services.instance import in_use
from desk_app.services.settings import BACKUP_ENABLED, BACKUP_KEEP, Settings

BACKUP_RE = re.compile(r"^desk-(\d{8}T\d{6}Z)(-[a-z]+)?\.db$")
DAY = timedelta(days=1)


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous_copy: Path | None
    counters_kept: int


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ")


def backups(dirs: DataDir) -> list[Path]:
    """This desk's regular backups, newest first."""
    if not dirs.backups.is_dir():
        return []
    found = [p for p in dirs.backups.iterdir() if BACKUP_RE.match(p.name)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def backup_now(
    dirs: DataDir, *, kind: str = "", keep: int | None = None, now: datetime | None = None
) -> Path:
    """Copy the database into backups/ and prune the oldest beyond `keep`."""
    if not dirs.db.is_file():
        raise DeskError(f"没有可备份的数据库：{dirs.db}")
    now = now or utcnow()
    suffix = f"-{kind}" if kind else ""
    target = dirs.backups / f"desk-{_stamp(now)}{suffix}.db"
    backup_to(dirs.db, target)
    if keep is None:
        keep = Settings(dirs.settings).get(BACKUP_KEEP)
    for old in backups(dirs)[max(keep, 1) :]:
        old.unlink(missing_ok=True)
    return target


def backup_due(dirs: DataDir, now: datetime | None = None) -> bool:
    now = now or utcnow()
    newest = next(iter(backups(dirs)), None)
    if newest is None:
        return True
    match = BACKUP_RE.match(newest.name)
    assert match
    taken = datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=now.tzinfo)
    return now - taken >= DAY


def daily_backup(dirs: DataDir, now: datetime | None = None) -> Path | None:
    """The automatic daily backup: made when enabled and the newest is a day old."""
    if not Settings(dirs.settings).get(BACKUP_ENABLED) or not backup_due(dirs, now):
        return None
    return backup_now(dirs, kind="auto", now=now)


def _counters(db_path: Path, backups_dir: Path) -> dict[tuple[str, int], int]:
    db = open_database(db_path, backups_dir)
    try:
        with db.read() as s:
            return {(c.name, c.year): c.value for c in s.scalars(select(DeskCounter))}
    finally:
        db.dispose()


def restore(dirs: DataDir, source: Path) -> RestoreResult:
    """Replace the database with a backup copy.

    Refused while the app runs on this folder. The replaced database is kept in
    backups/, and number counters keep the higher of the two values so that no
    number printed since the backup is ever issued again.
    """
    if in_use(dirs.lock):
        raise AlreadyRunning("程序正在使用此数据文件夹：请先退出前台程序，再恢复备份")
    source = source.resolve()
    reason = check_sqlite_file(source)
    if reason:
        raise DeskError(f"不能从 {source.name} 恢复：{reason}")
    previous: Path | None = None
    replaced: dict[tuple[str, int], int] = {}
    if dirs.db.is_file():
        replaced = _counters(dirs.db, dirs.backups)
        previous = backup_now(dirs, kind="prerestore", keep=10_000)
    dirs.ensure()
    restore_from(source, dirs.db)
    migrate(dirs.db, dirs.backups)  # an older backup comes up to the current schema
    db = open_database(dirs.db, dirs.backups)
    kept = 0
    try:
        with db.write_session() as s, s.begin():
            for (name, year), value in replaced.items():
                row = s.get(DeskCounter, (name, year))
                if row is None or row.value < value:
                    numbering.raise_to(s, name, year, value)
                    kept += 1
    finally:
        db.dispose()
    return RestoreResult(source, previous, kept)
