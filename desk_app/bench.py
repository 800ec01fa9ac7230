"""`desk-app bench`: honest figures for the targets the issues set.

Each figure runs several times and reports the median and the spread; a
figure with a baseline (the same thing done by a bare PySide6 program in the
same run) reports the ratio too. A missed target is printed as missed.
Start-up figures run the real app in fresh processes on a demo folder.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

Progress = Callable[[str], None]

# Our own budget (the issue sets none): from double-click to a usable main window.
MAIN_WINDOW_TARGET_MS = 1000.0

# A bare PySide6 main window, started the same way as the app: the baseline.
BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 760)
class Paint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "done"):
            self.done = True
            print(f"first-paint {time.time():.6f} 0", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
paint = Paint()
window.installEventFilter(paint)
window.show()
app.exec()
"""


@dataclass
class Figure:
    name: str
    unit: str
    runs: list[float]
    target: float | None = None
    baseline_runs: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def value(self) -> float:
        return statistics.median(self.runs)

    @property
    def baseline(self) -> float | None:
        return statistics.median(self.baseline_runs) if self.baseline_runs else None

    @property
    def ratio(self) -> float | None:
        base = self.baseline
        return self.value / base if base else None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value <= self.target

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "value": round(self.value, 2),
            "unit": self.unit,
            "target": None if self.target is None else round(self.target, 2),
            "met": self.met,
            "runs": [round(r, 2) for r in self.runs],
            "spread": {"min": round(min(self.runs), 2), "max": round(max(self.runs), 2)},
        }
        if self.baseline is not None:
            out["baseline"] = round(self.baseline, 2)
            out["ratio"] = round(self.ratio or 0.0, 3)
            out["baseline_runs"] = [round(r, 2) for r in self.baseline_runs]
        if self.note:
            out["note"] = self.note
        return out


# --- the demo folder ------------------------------------------------------------------


def default_demo_dir(cases: int, seed: int) -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("desk_app", appauthor=False)) / f"bench-{cases}-{seed}"


def prepare_demo(root: Path, cases: int, seed: int, progress: Progress) -> Path:
    """A demo folder with `cases` cases for `seed`, reused when it is still current."""
    from desk_app import __version__
    from desk_app.models.db import head_revision
    from desk_app.services import demo

    marker = root / "bench-demo.json"
    want = {
        "cases": cases,
        "seed": seed,
        "schema": head_revision(),
        "version": __version__,
        "demo": demo.DEMO_REVISION,
        # Registration only: the figures here need many cases, not their lifecycle (which
        # takes the demo from about a minute to most of an hour per 100k cases).
        "lifecycle": False,
    }
    if marker.is_file():
        try:
            if json.loads(marker.read_text(encoding="utf-8")) == want:
                progress(f"reusing demo folder {root}")
                return root
        except ValueError:
            pass
    if root.exists() and any(root.iterdir()):
        if not marker.is_file():
            # Never wipe a folder the bench did not make (it may be a real desk's data).
            from desk_app.services.errors import DeskError

            raise DeskError(f"{root} 不是 bench 生成的演示文件夹：请换一个空文件夹")
        shutil.rmtree(root)
    progress(f"building demo folder {root} with {cases} cases …")
    started = time.perf_counter()
    desk = demo.ensure_demo_desk(root)
    try:
        demo.generate(
            desk,
            cases,
            seed,
            progress=lambda done, total: progress(f"  demo {done}/{total}"),
            lifecycle=False,
        )
    finally:
        desk.close()
    progress(f"demo built in {time.perf_counter() - started:.1f} s")
    marker.write_text(json.dumps(want), encoding="utf-8")
    return root


# --- start-up figures --------------------------------------------------------------------


def _first_paint(argv: Sequence[str], env: dict[str, str]) -> tuple[float, int]:
    """Milliseconds from spawning `argv` to its first paint, and its resident KiB then."""
    started = time.time()
    proc = subprocess.run(
        list(argv), env=env, capture_output=True, text=True, timeout=120, check=False
    )
    for line in proc.stdout.splitlines():
        if line.startswith("first-paint "):
            _, stamp, kib = line.split()
            return (float(stamp) - started) * 1000.0, int(kib)
    raise RuntimeError(f"{argv[-1]} did not paint (exit {proc.returncode}): {proc.stderr[-400:]}")


def startup_figures(demo_dir: Path, runs: int, progress: Progress) -> list[Figure]:
    from desk_app.services.demo import DEMO_ACCOUNTS

    env = {**os.environ, "DESK_APP_SMOKE_REPORT": "1"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for key in ("DESK_APP_USER", "DESK_APP_PASSWORD"):
        env.pop(key, None)
    user, password = "admin", DEMO_ACCOUNTS["admin"][0]
    login_env = {**env, "DESK_APP_USER": user, "DESK_APP_PASSWORD": password}
    app = [sys.executable, "-m", "desk_app", "--data-dir", str(demo_dir), "--smoke"]
    bare = [sys.executable, "-c", BARE_WINDOW]

    # One untimed round warms the disk cache for every program alike.
    _first_paint(bare, env)
    _first_paint(app, env)
    bare_ms: list[float] = []
    login_ms: list[float] = []
    main_ms: list[float] = []
    rss_mb: list[float] = []
    for i in range(runs):
        progress(f"  start-up run {i + 1}/{runs}")
        # Interleaved, so drift in the machine's load touches all three alike.
        bare_ms.append(_first_paint(bare, env)[0])
        login_ms.append(_first_paint(app, env)[0])
        ms, kib = _first_paint(app, login_env)
        main_ms.append(ms)
        rss_mb.append(kib / 1024.0)
    baseline = statistics.median(bare_ms)
    return [
        Figure(
            "cold_start_login",
            "ms",
            login_ms,
            target=1.5 * baseline,
            baseline_runs=bare_ms,
            note="spawn to first paint of the login dialog; baseline: a bare QMainWindow",
        ),
        Figure(
            "cold_start_main_window",
            "ms",
            main_ms,
            target=MAIN_WINDOW_TARGET_MS,
            baseline_runs=bare_ms,
            note="spawn to first paint of the main window after a scripted login "
            "(argon2 check included); our own budget: under a second",
        ),
        Figure(
            "rss_after_start",
            "MB",
            rss_mb,
            target=250.0,
            note="resident memory at the first paint of the main window",
        ),
    ]


# --- saving ----------------------------------------------------------------------------------

SAVES_PER_RUN = 60


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def save_figures(root: Path, runs: int, progress: Progress) -> list[Figure]:
    """p95 of registering a two-party case (validation, number, rows, history, ops, fsync).

    The saved cases stay in the demo folder (its cache is not pristine afterwards; the
    figures do not depend on a few hundred more cases).
    """
    from dataclasses import replace

    from desk_app.services import cases, users
    from desk_app.services.demo import DEMO_ACCOUNTS
    from desk_app.services.desk import open_desk

    desk = open_desk(root)
    try:
        actor = users.login(desk.db, "clerk1", DEMO_ACCOUNTS["clerk1"].password)
        base = cases.CaseInput(
            title="相邻通行纠纷",
            dispute_type_code="02",
            division_code="532801103201",
            facts="双方因出入通道发生争执，申请人要求对方拆除堆放的杂物。",
            claims="恢复通行",
            parties=(
                cases.PartyInput(name="岩温", id_number="11010519491231002X", phone="13800138000"),
                cases.PartyInput(name="玉香", role="respondent", phone="0691-2123456"),
            ),
        )
        cases.register_case(desk, actor, base)  # warm-up: caches, first statements
        per_run: list[float] = []
        for i in range(runs):
            progress(f"  save run {i + 1}/{runs}")
            timings = []
            for n in range(SAVES_PER_RUN):
                data = replace(base, title=f"相邻通行纠纷 {i}-{n}")
                started = time.perf_counter()
                cases.register_case(desk, actor, data)
                timings.append((time.perf_counter() - started) * 1000.0)
            per_run.append(p95(timings))
    finally:
        desk.close()
    return [
        Figure(
            "save_case_p95",
            "ms",
            per_run,
            target=20.0,
            note=f"p95 of {SAVES_PER_RUN} saves of a two-party case per run, "
            "on the demo folder, synchronous=FULL",
        ),
    ]


# --- the command ---------------------------------------------------------------------------


def run_bench(
    cases: int,
    seed: int,
    runs: int,
    demo_dir: Path | None,
    progress: Progress,
    lookup_cases: int | None = None,
    lookup_dir: Path | None = None,
    sync_runs: int = 1,
) -> list[Figure]:
    """Start-up and saving on a demo folder of `cases`; lookups on one of `lookup_cases`;
    sync (`sync_runs` times: a push of 50,000 ops takes a while) from the first folder."""
    from desk_app import (
        bench_board,
        bench_gui_sync,
        bench_lookup,
        bench_print,
        bench_repeats,
        bench_sync,
    )

    root = prepare_demo(demo_dir or default_demo_dir(cases, seed), cases, seed, progress)
    figures = startup_figures(root, runs, progress)
    figures += save_figures(root, runs, progress)
    lookup_root = root
    lookup_cases = lookup_cases or cases
    if lookup_cases != cases or lookup_dir is not None:
        lookup_root = prepare_demo(
            lookup_dir or default_demo_dir(lookup_cases, seed), lookup_cases, seed, progress
        )
    figures += bench_lookup.lookup_figures(lookup_root, runs, progress)
    figures += bench_repeats.repeat_figures(lookup_root, runs, progress)
    figures += bench_print.receipt_figures(root, runs, progress)
    # The board with 50,000 open cases, derived from the demo folder (cached beside it).
    figures += bench_board.board_figures(root, runs, progress)
    figures += bench_sync.sync_figures(root, max(1, sync_runs), progress)
    figures += bench_gui_sync.gui_sync_figures(root, max(1, sync_runs), progress)
    return figures


def print_table(figures: Sequence[Figure], out: TextIO) -> None:
    header = f"{'figure':<26}{'median':>11}{'min':>10}{'max':>10}{'target':>11}{'ratio':>8}  result"
    out.write(header + "\n" + "-" * len(header) + "\n")
    for f in figures:
        target = "" if f.target is None else f"{f.target:.1f}"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}x"
        result = {True: "met", False: "MISSED", None: "(no target)"}[f.met]
        out.write(
            f"{f.name:<26}{f.value:>8.1f} {f.unit:<2}{min(f.runs):>10.1f}{max(f.runs):>10.1f}"
            f"{target:>11}{ratio:>8}  {result}\n"
        )


def as_json(figures: Sequence[Figure]) -> dict[str, Any]:
    return {"figures": [f.as_json() for f in figures]}
