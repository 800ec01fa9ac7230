"""The sync loop: backs off after failures (up to 60 s) and retries by itself."""

from __future__ import annotations

from desk_app.services.errors import DeskError
from desk_app.services.sync import runner
from desk_app.services.sync.engine import SyncSummary


def test_backoff_doubles_and_stops_at_a_minute() -> None:
    assert [runner.backoff(n) for n in (1, 2, 3, 5, 6, 20)] == [2, 4, 8, 32, 60, 60]


class FlakyEngine:
    """Fails `failures` times, then syncs."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def sync_once(self) -> SyncSummary:
        self.calls += 1
        if self.calls <= self.failures:
            raise DeskError("连不上中心数据库（拒绝连接）")
        return SyncSummary(pushed=3, applied=3)


def test_the_loop_retries_after_failures_and_then_keeps_its_interval() -> None:
    engine = FlakyEngine(failures=3)
    waits: list[float] = []
    lines: list[str] = []
    runner.run_forever(
        engine,  # type: ignore[arg-type]
        interval=30,
        report=lines.append,
        rounds=5,
        sleep=waits.append,
    )
    assert engine.calls == 5
    assert waits == [2, 4, 8, 30, 30]
    assert all("同步失败" in line for line in lines[:3])
    assert lines[3].startswith("推送 3 项")
