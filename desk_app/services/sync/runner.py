"""Running sync from settings: once, or in a loop that backs off on failure (up to 60 s)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError
from desk_app.services.settings import SYNC_PAGE_SIZE, SYNC_URL
from desk_app.services.sync import central, secrets
from desk_app.services.sync.engine import SyncEngine, SyncSummary
from desk_app.services.sync.store import CentralStore

PASSWORD_ENV = "DESK_APP_CENTRAL_PASSWORD"
MAX_BACKOFF = 60.0


class NotEnrolled(DeskError):
    """This desk has no central connection yet."""


def open_engine(
    desk: Desk,
    app_version: str,
    progress: Callable[[str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SyncEngine:
    """The sync engine for this desk's enrolled central database."""
    plain = desk.settings.get(SYNC_URL)
    if not plain:
        raise NotEnrolled("本窗口尚未登记到中心数据库：请先运行 desk-app central enroll")
    password = os.environ.get(PASSWORD_ENV) or secrets.load_password(desk.dirs.root, plain)
    url = central.central_url(plain, password)
    store = CentralStore(central.connect(url), desk.identity.desk_code)
    page_size = max(1, desk.settings.get(SYNC_PAGE_SIZE))
    return SyncEngine(
        desk, store, app_version, page_size=page_size, progress=progress, should_stop=should_stop
    )


def backoff(failures: int) -> float:
    """Seconds to wait after `failures` failed rounds in a row: 2, 4, 8 … up to 60."""
    return min(MAX_BACKOFF, 2.0 ** min(failures, 6))


def run_forever(
    engine: SyncEngine,
    *,
    interval: float = 30.0,
    report: Callable[[str], None],
    rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Sync every `interval` seconds; after a failure wait `backoff()` and try again."""
    failures = 0
    done = 0
    while rounds is None or done < rounds:
        done += 1
        try:
            summary: SyncSummary = engine.sync_once()
        except DeskError as exc:
            failures += 1
            wait = backoff(failures)
            report(f"同步失败：{exc.message}；{wait:.0f} 秒后重试")
            sleep(wait)
            continue
        failures = 0
        report(summary.line())
        sleep(interval)
