"""Backups (backup API), daily copies, pruning, and restore."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from desk_app.models import Case
from desk_app.models.db import check_sqlite_file
from desk_app.services import backup
from desk_app.services.cases import register_case
from desk_app.services.desk import Desk, open_desk
from desk_app.services.errors import AlreadyRunning, DeskError
from desk_app.services.instance import InstanceLock, in_use
from desk_app.services.settings import BACKUP_ENABLED
from tests.conftest import actor_of, sample_case


def _case_count(desk: Desk) -> int:
    with desk.db.read() as s:
        return s.scalar(select(func.count()).select_from(Case)) or 0


def test_a_backup_is_a_consistent_copy_even_with_a_busy_wal(desk: Desk, make_case) -> None:
    make_case()
    assert desk.dirs.db.with_name("desk.db-wal").exists()  # the case sits in the WAL
    path = backup.backup_now(desk.dirs)
    assert path.parent == desk.dirs.backups
    assert check_sqlite_file(path) is None
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_old_backups_are_pruned_to_the_kept_number(desk: Desk) -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for day in range(5):
        backup.backup_now(desk.dirs, keep=3, now=start + timedelta(days=day))
    names = [p.name for p in backup.backups(desk.dirs)]
    assert names == [
        "desk-20261105T000000Z.db",
        "desk-20261104T000000Z.db",
        "desk-20261103T000000Z.db",
    ]


def test_the_daily_backup_runs_once_a_day(desk: Desk) -> None:
    morning = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    assert backup.daily_backup(desk.dirs, now=morning) is not None
    assert backup.daily_backup(desk.dirs, now=morning + timedelta(hours=5)) is None
    assert backup.daily_backup(desk.dirs, now=morning + timedelta(days=1)) is not None
    desk.settings.set(BACKUP_ENABLED, False)
    assert backup.daily_backup(desk.dirs, now=morning + timedelta(days=3)) is None


def test_restore_brings_back_the_copy_and_keeps_numbers_unique(desk: Desk, make_case) -> None:
    make_case()
    saved = backup.backup_now(desk.dirs)
    make_case()
    third = make_case()
    assert third.case_no.endswith("-00003")
    desk.close()

    result = backup.restore(desk.dirs, saved)

    assert result.previous_copy is not None and result.previous_copy.exists()
    assert result.counters_kept == 1
    reopened = open_desk(desk.dirs.root)
    try:
        assert _case_count(reopened) == 1
        # Numbers 2 and 3 were printed before the restore: they are never issued again.
        ref = register_case(reopened, actor_of(reopened, "clerk1"), sample_case())
        assert ref.case_no.endswith("-00004")
    finally:
        reopened.close()
    # The replaced database, with all three cases, was kept.
    with sqlite3.connect(result.previous_copy) as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 3


def test_restore_is_refused_while_the_app_runs(desk: Desk) -> None:
    saved = backup.backup_now(desk.dirs)
    lock = InstanceLock(desk.dirs.lock).acquire()
    try:
        assert in_use(desk.dirs.lock)
        with pytest.raises(AlreadyRunning, match="请先退出"):
            backup.restore(desk.dirs, saved)
    finally:
        lock.release()
    assert not in_use(desk.dirs.lock)


def test_restore_refuses_a_file_that_is_not_a_backup(desk: Desk, tmp_path) -> None:
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a database")
    with pytest.raises(DeskError, match="不是 SQLite"):
        backup.restore(desk.dirs, junk)


def test_a_second_app_on_the_same_folder_is_refused(desk: Desk) -> None:
    first = InstanceLock(desk.dirs.lock).acquire()
    try:
        with pytest.raises(AlreadyRunning):
            InstanceLock(desk.dirs.lock).acquire()
    finally:
        first.release()
