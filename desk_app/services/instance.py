"""One running app per data folder, told by an OS file lock (released if the app dies)."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from desk_app.services.errors import AlreadyRunning


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self._lock = FileLock(str(path), timeout=0, is_singleton=False, thread_local=False)

    def acquire(self) -> InstanceLock:
        try:
            self._lock.acquire()
        except Timeout:
            raise AlreadyRunning("本数据文件夹已被另一个正在运行的前台程序使用") from None
        return self

    def release(self) -> None:
        self._lock.release(force=True)

    @property
    def held(self) -> bool:
        return self._lock.is_locked


def in_use(path: Path) -> bool:
    """Whether a running app holds the data folder's lock."""
    probe = FileLock(str(path), timeout=0, is_singleton=False, thread_local=False)
    try:
        probe.acquire()
    except Timeout:
        return True
    probe.release(force=True)
    return False
