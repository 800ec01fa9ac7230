"""`desk-app bench`: the routing board (分流看板) with 50,000 open cases.

The demo makes mostly finished cases (a few per cent stay open), so the board's
desk is derived from the bench's demo folder once and cached beside it
(`<demo folder>-board`, rebuilt when the demo folder's marker or this recipe
changes): a copy of the demo desk in which the 50,000 most recent cases are put
by SQL into the open statuses (whatever their status in the demo: one made without
the lifecycle has them all waiting for triage; its other open cases are archived),
with plausible clocks (a step started
some days before the build, due by the usual limits: the same day for triage, a
day to sign, 3/15/30 days to handle, 3 to review; a share long stale, a share
paused), and, when the demo has too few cases, copies of its cases (with their
first applicant) opened the same way, until 50,000 cases are open. A tenth of
the overdue handling cases carry a supervision rung (催办 … 约谈).

Each run is a fresh app process (`python -m desk_app.bench_board FOLDER`, after
one untimed run that warms the disk cache) with the real main window offscreen
at 1366x768 in Chinese, as a desk opens the board after logging in:

- `board_open_50k_ms`: from choosing 分流看板 in the navigation (the page is made
  and fills its columns) to the page painted with its cards. As at a desk, the
  window read the board's first snapshot (the columns' case ids, counts and first
  cards) on the task runner once it was up, and the run starts when the window's
  reads are done; the same once more in that process, warm, is in the note. A
  snapshot read anew with the page open is `board_filter_50k_ms` and its note;
- `board_filter_50k_ms`: from choosing a township in the filter (允景洪街道) to the
  page painted again with the result (back to all townships, all 50,000 cases read
  anew: in the note);
- `board_scroll_median_frame_ms`: the 办理中 column scrolled through 1,000 cards,
  one card per frame (the scroll bar moved, then the events processed: the
  repaint and any cards arriving): the median frame;
- `board_rss_mb`: resident memory with the board open on 50,000 cards, after the
  scroll (anonymous and file-backed memory in the note: SQLite reads the database
  through a memory map, whose pages count as resident).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # bench imports this module: take Figure from it only when called
    from desk_app.bench import Figure

Progress = Callable[[str], None]

BOARD_OPEN = 50_000
#: Bump when the recipe of the board's desk changes: cached desks are rebuilt.
BOARD_REVISION = 2
OPEN_TARGET_MS = 150.0
FILTER_TARGET_MS = 150.0
FRAME_TARGET_MS = 16.0
RSS_TARGET_MB = 350.0
SCROLL_CARDS = 1000
SEED = 20260901

#: Shares of the open statuses among the reopened cases, and the mean age (days) of their
#: current step; a share of each is stale (its step started up to `STALE_DAYS` ago).
OPEN_WEIGHTS = {
    "pending_triage": 8.0,
    "dispatched": 8.0,
    "signed": 10.0,
    "in_progress": 50.0,
    "fed_back": 14.0,
    "escalated": 10.0,
}
STEP_AGE = {
    "pending_triage": 0.5,
    "dispatched": 1.0,
    "signed": 4.0,
    "in_progress": 10.0,
    "fed_back": 2.0,
    "escalated": 20.0,
}
STALE_SHARE = 0.12
STALE_DAYS = 120.0
PAUSED_SHARE = 0.06
SUPERVISED_SHARE = 0.1  # of overdue handling cases
HANDLE_DAYS = (3, 15, 15, 30)
_DONE = ("closed", "visited", "archived")
_LEVELS = ("village", "town", "city")


# --- the board's desk ------------------------------------------------------------------------


def board_dir(root: Path) -> Path:
    return root.with_name(root.name + "-board")


def _stamp(at: datetime) -> str:
    """As SQLAlchemy stores UTC times in SQLite."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def prepare_board_desk(
    root: Path, progress: Progress, open_cases: int = BOARD_OPEN
) -> tuple[Path, datetime]:
    """The cached board desk made from the demo folder `root`, and the moment it was made."""
    from desk_app.models.db import backup_to
    from desk_app.services.desk import open_desk

    source_marker = root / "bench-demo.json"
    source = (
        json.loads(source_marker.read_text(encoding="utf-8")) if source_marker.is_file() else {}
    )
    want = {"source": source, "open": open_cases, "revision": BOARD_REVISION}
    folder = board_dir(root)
    marker = folder / "bench-board.json"
    if marker.is_file():
        try:
            stored = json.loads(marker.read_text(encoding="utf-8"))
            if {k: stored.get(k) for k in want} == want:
                progress(f"reusing board desk {folder}")
                return folder, datetime.fromisoformat(stored["now"])
        except (ValueError, KeyError):
            pass
    if folder.exists():
        if not marker.is_file():
            from desk_app.services.errors import DeskError

            raise DeskError(f"{folder} 不是 bench 生成的看板数据文件夹：请移走后重试")
        shutil.rmtree(folder)
    progress(f"building the board desk {folder} with {open_cases} open cases …")
    started = time.perf_counter()
    folder.mkdir(parents=True)
    backup_to(root / "desk.db", folder / "desk.db")
    open_desk(folder).close()  # migrated as the app would
    now = datetime.now(UTC).replace(microsecond=0)
    conn = sqlite3.connect(folder / "desk.db", isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        made = _open_cases(conn, open_cases, now, random.Random(SEED))
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()
    progress(
        f"board desk built in {time.perf_counter() - started:.1f} s "
        f"({made['reopened']} reopened, {made['copied']} copies)"
    )
    marker.write_text(json.dumps({**want, "now": now.isoformat(), **made}), encoding="utf-8")
    return folder, now


def _open_cases(
    conn: sqlite3.Connection, want: int, now: datetime, rng: random.Random
) -> dict[str, int]:
    """Exactly `want` open cases, in the open statuses' shares (`OPEN_WEIGHTS`): the most
    recent cases of the demo (copies when it has too few), whatever their status there
    (a demo made without the lifecycle has every case waiting for triage); the demo's
    other open cases are archived."""
    live = "voided_at IS NULL"
    done = ", ".join(f"'{s}'" for s in _DONE)
    ids = [
        r[0]
        for r in conn.execute(
            f"SELECT id FROM cases WHERE {live} ORDER BY received_at DESC LIMIT ?", (want,)
        )
    ]
    reopened = conn.execute(
        f"SELECT count(*) FROM cases WHERE {live} AND status IN ({done}) AND id IN "
        f"(SELECT id FROM cases WHERE {live} ORDER BY received_at DESC LIMIT ?)",
        (want,),
    ).fetchone()[0]
    # The rest are finished (their clocks stopped), so that the board holds `want` cases.
    conn.execute(
        f"UPDATE cases SET status = 'archived', step = '', step_started_at = NULL, "
        "due_at = NULL, warn_at = NULL, handle_due_at = NULL, feedback_due_at = NULL, "
        "paused_at = NULL, pause_reason = '', closed_at = coalesce(closed_at, received_at) "
        f"WHERE {live} AND status NOT IN ({done})"
    )
    copies = _copy_cases(conn, want - len(ids), rng) if want > len(ids) else []
    units = [
        (code, level)
        for code, level in conn.execute(
            f"SELECT code, level FROM units WHERE {live} AND active AND level IN "
            "('village', 'town', 'city')"
        )
    ]
    if not units:
        raise RuntimeError("the demo desk has no units to route cases to")
    statuses = list(OPEN_WEIGHTS)
    weights = list(OPEN_WEIGHTS.values())
    rows = []
    supervised: list[tuple[str, str, datetime]] = []
    for case_id in ids + copies:
        status = rng.choices(statuses, weights)[0]
        row = _clock(status, now, rng, units)
        rows.append((*row.values(), case_id))
        if (
            status in ("signed", "in_progress")
            and row["due_at"] < _stamp(now)
            and rng.random() < SUPERVISED_SHARE
        ):
            supervised.append((case_id, row["lead_unit_code"], now - timedelta(days=1)))
    columns = ", ".join(f"{k} = ?" for k in _clock("escalated", now, rng, units))
    conn.executemany(
        f"UPDATE cases SET {columns}, outcome = '', referral = '', closed_at = NULL WHERE id = ?",
        rows,
    )
    _supervise(conn, supervised, rng)
    return {"reopened": int(reopened), "copied": len(copies), "supervised": len(supervised)}


def _clock(
    status: str, now: datetime, rng: random.Random, units: list[tuple[str, str]]
) -> dict[str, Any]:
    """The routing and clock columns of a case reopened into `status` at `now`."""
    age = (
        rng.uniform(0, STALE_DAYS)
        if rng.random() < STALE_SHARE
        else rng.expovariate(1 / STEP_AGE[status])
    )
    started = now - timedelta(days=age)
    received = started - timedelta(days=rng.expovariate(1 / 3.0))
    unit, level = rng.choice(units)
    triaged = status != "pending_triage" or rng.random() < 0.2
    step, days = {
        "pending_triage": ("dispatch" if triaged else "triage", 1),
        "dispatched": ("sign", 1),
        "signed": ("handle", rng.choice(HANDLE_DAYS)),
        "in_progress": ("handle", rng.choice(HANDLE_DAYS)),
        "fed_back": ("review", 3),
        "escalated": ("", 0),
    }[status]
    due = started + timedelta(days=days) if step else None
    warn = started + timedelta(days=0.8 * days) if step else None
    handle_due = feedback_due = None
    if status in ("dispatched", "signed", "in_progress", "fed_back"):
        handle_due = due if due is not None and step == "handle" else started + timedelta(days=15)
        feedback_due = handle_due + timedelta(days=3)
    paused = None
    if step == "handle" and rng.random() < PAUSED_SHARE:
        paused = started + (now - started) * rng.random()
    if status == "escalated":
        level, unit = "upper", ""
    elif not triaged:
        level, unit = "", ""
    return {
        "status": status,
        "received_at": _stamp(received),
        "step": step,
        "step_started_at": _stamp(started) if step else None,
        "due_at": _stamp(due) if due else None,
        "warn_at": _stamp(warn) if warn else None,
        "due_days": days,
        "due_working_days": 0,
        "handle_due_at": _stamp(handle_due) if handle_due else None,
        "feedback_due_at": _stamp(feedback_due) if feedback_due else None,
        "paused_at": _stamp(paused) if paused else None,
        "pause_reason": "等待当事人补充材料或到场：bench" if paused else "",
        "triaged_at": _stamp(received) if triaged else None,
        "level": level,
        "lead_unit_code": unit,
        "unit_codes": unit,
    }


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _copy_cases(conn: sqlite3.Connection, n: int, rng: random.Random) -> list[str]:
    """`n` copies of the demo's cases (each with its first applicant); their new ids."""
    templates = [r[0] for r in conn.execute("SELECT id FROM cases WHERE voided_at IS NULL")]
    if not templates:
        raise RuntimeError("the demo desk has no cases to copy")
    case_cols = _columns(conn, "cases")
    party_cols = _columns(conn, "parties")

    def pick(cols: list[str], replace: dict[str, str]) -> str:
        return ", ".join(replace.get(c, c) for c in cols)

    copy_case = (
        f"INSERT INTO cases ({', '.join(case_cols)}) SELECT "
        + pick(case_cols, {"id": ":new", "case_no": "case_no || :suffix", "verify_code": "''"})
        + " FROM cases WHERE id = :old"
    )
    copy_party = (
        f"INSERT INTO parties ({', '.join(party_cols)}) SELECT "
        + pick(party_cols, {"id": ":pid", "case_id": ":new"})
        + " FROM parties WHERE case_id = :old AND role = 'applicant' AND voided_at IS NULL "
        "ORDER BY sort_order LIMIT 1"
    )
    out: list[str] = []
    params = []
    for i in range(n):
        new = uuid.UUID(int=rng.getrandbits(128), version=4).hex
        old = templates[i % len(templates)] if i < len(templates) else rng.choice(templates)
        params.append(
            {
                "new": new,
                "old": old,
                "suffix": f"-B{i:05d}",
                "pid": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
            }
        )
        out.append(new)
    conn.executemany(copy_case, params)
    conn.executemany(copy_party, params)
    return out


_RUNGS = ("urge", "urge", "urge", "supervise", "supervise", "listed", "notice", "interview")


def _supervise(
    conn: sqlite3.Connection, rows: list[tuple[str, str, datetime]], rng: random.Random
) -> None:
    names = dict(conn.execute("SELECT code, name FROM units").fetchall())
    conn.executemany(
        "INSERT INTO supervisions (id, version, created_at, updated_at, origin_desk, "
        'updated_by, case_id, level, unit_code, unit_name, at, "by", message, response, '
        "responded_by, response_on_behalf) VALUES (?, 0, ?, ?, 'BENCH', 'bench', ?, ?, ?, ?, "
        "?, 'bench', '请加快办理', '', '', 0)",
        [
            (
                uuid.UUID(int=rng.getrandbits(128), version=4).hex,
                _stamp(at),
                _stamp(at),
                case_id,
                rng.choice(_RUNGS),
                unit,
                names.get(unit, unit),
                _stamp(at),
            )
            for case_id, unit, at in rows
        ],
    )


# --- the figures, measured in a fresh process with the real main window ----------------------

#: The township the filter figure picks (允景洪街道: the city's busiest).
FILTER_TOWNSHIP = "532801001000"
#: The column the scroll figure scrolls through (the longest).
SCROLL_COLUMN = "in_progress"
IDLE_TIMEOUT_S = 60.0


@dataclass
class _Run:
    open_ms: float
    filter_ms: float
    clear_ms: float
    frame_median_ms: float
    frame_p95_ms: float
    frame_max_ms: float
    frames: int
    paints: int
    blank_frames: int
    rss_mb: float
    #: Of it: anonymous memory (the heap), and file pages (libraries, and the database's
    #: pages SQLite reads through its memory map, models.db's mmap_size).
    rss_anon_mb: float
    rss_file_mb: float
    cards: int
    shown: int
    #: The board opened again in the same process (its modules and SQLite's pages warm).
    warm_open_ms: float = 0.0


def _rss_mb() -> float:
    """This process's resident memory (Linux; elsewhere the peak)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
    except (OSError, ValueError, AttributeError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_parts() -> tuple[float, float]:
    """Anonymous and file-backed resident memory (Linux; (0, 0) elsewhere)."""
    parts = {"RssAnon": 0.0, "RssFile": 0.0}
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key in parts:
                    parts[key] = int(value.split()[0]) / 1024
    except (OSError, ValueError):
        pass
    return parts["RssAnon"], parts["RssFile"]


def _spin(until: Callable[[], bool], timeout_s: float = IDLE_TIMEOUT_S) -> None:
    """Run the event loop (idle, as at a desk: no busy polling) until `until()`."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    check = QTimer()
    check.setInterval(5)
    check.timeout.connect(lambda: loop.quit() if until() else None)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    check.start()
    deadline.start(int(timeout_s * 1000))
    if not until():
        loop.exec()
    check.stop()
    deadline.stop()
    if not until():
        raise RuntimeError(f"no end within {timeout_s:.0f} s")


def _until_shown(page_of: Callable[[], Any], act: Callable[[], None]) -> float:
    """Milliseconds from `act()` to the board painted with its next snapshot (the whole
    page, filters and all, though only the columns and counts change)."""
    from PySide6.QtCore import QEventLoop, QTimer

    painted: list[float] = []
    loop = QEventLoop()

    def shown(_count: int) -> None:
        page_of().repaint()  # synchronously: the page with the new snapshot's cards
        painted.append(time.perf_counter())
        loop.quit()

    started = time.perf_counter()
    act()
    page = page_of()
    page.loaded.connect(shown)
    QTimer.singleShot(int(IDLE_TIMEOUT_S * 1000), loop.quit)
    try:
        if not painted:
            loop.exec()
    finally:
        page.loaded.disconnect(shown)
    if not painted:
        raise RuntimeError("the board did not show its snapshot")
    return (painted[0] - started) * 1000.0


def _scroll(page: Any) -> tuple[list[float], int, int]:
    """Frame times of scrolling the longest column one card per frame, paints seen, and
    frames that showed a card not read yet."""
    from PySide6.QtCore import QEvent, QObject, QPoint
    from PySide6.QtWidgets import QApplication

    column = next(c for c in page.columns if c.key == SCROLL_COLUMN)
    view = column.view
    rows = next(c.rows for c in page.model.columns if c.key == SCROLL_COLUMN)
    if len(rows) < SCROLL_CARDS + 20:
        raise RuntimeError(f"only {len(rows)} cards in the column to scroll")
    bar = view.verticalScrollBar()
    height = view.sizeHintForRow(0)

    class Paints(QObject):
        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    paints = Paints()
    view.viewport().installEventFilter(paints)
    bar.setValue(0)
    QApplication.processEvents()
    paints.count = 0
    times: list[float] = []
    blank = 0
    bottom = QPoint(1, view.viewport().height() - 1)
    for n in range(1, SCROLL_CARDS + 1):
        started = time.perf_counter()
        bar.setValue(n * height)
        QApplication.processEvents()
        times.append((time.perf_counter() - started) * 1000.0)
        first = view.indexAt(QPoint(1, 1)).row()
        last = view.indexAt(bottom).row()
        if any(page.model.cached(rows[r]) is None for r in range(first, last + 1)):
            blank += 1
    view.viewport().removeEventFilter(paints)
    if view.indexAt(QPoint(1, 1)).row() < SCROLL_CARDS - 1:
        raise RuntimeError(f"scrolled to card {view.indexAt(QPoint(1, 1)).row()} only")
    return times, paints.count, blank


def measure(folder: Path) -> _Run:
    """The board's figures in this process, a fresh one (`python -m desk_app.bench_board`),
    as a desk opens the board the first time after logging in; then once more, warm."""
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QApplication

    from desk_app.paths import resource
    from desk_app.services.desk import open_desk
    from desk_app.services.roles import Actor
    from desk_app.views.main_window import MainWindow
    from desk_app.workers.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    # The window in Chinese, as at a desk (the bench may not import desk_app.app).
    translator = QTranslator(app)
    if translator.load(str(resource("i18n", "desk_app_zh_CN.qm"))):
        app.installTranslator(translator)
    desk = open_desk(folder)
    runner = TaskRunner()
    try:
        window = MainWindow(desk, Actor.command_line(), runner)
        try:
            run = _one_run(window, runner)
        finally:
            window.close()
            window.deleteLater()
            runner.wait()
            QApplication.processEvents()
        again = MainWindow(desk, Actor.command_line(), runner)
        again.resize(1366, 768)
        again.show()
        _spin(lambda: runner.running == 0 and again.board_ahead is not None)
        run.warm_open_ms = _until_shown(lambda: again.board_page, lambda: again.show_area("board"))
        again.close()
        again.deleteLater()
    finally:
        runner.wait()
        desk.close()
    return run


def _one_run(window: Any, runner: Any) -> _Run:
    from desk_app.bench import p95

    window.resize(1366, 768)
    window.show()
    # The window's own first reads, the board's read ahead included (as at a desk, where
    # the board is chosen a moment after logging in).
    _spin(lambda: runner.running == 0 and window.board_ahead is not None)
    open_ms = _until_shown(lambda: window.board_page, lambda: window.show_area("board"))
    page = window.board_page
    assert page is not None and page.snapshot is not None
    cards = page.snapshot.total
    town = page.township.findData(FILTER_TOWNSHIP)
    filter_ms = _until_shown(lambda: page, lambda: page.township.setCurrentIndex(town))
    shown = page.snapshot.shown
    clear_ms = _until_shown(lambda: page, lambda: page.township.setCurrentIndex(0))
    times, paints, blank = _scroll(page)
    _spin(lambda: runner.running == 0)
    return _Run(
        open_ms, filter_ms, clear_ms, statistics.median(times), p95(times), max(times),
        len(times), paints, blank, _rss_mb(), *_rss_parts(), cards, shown,
    )  # fmt: skip


def _child(folder: Path) -> _Run:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    proc = subprocess.run(
        [sys.executable, "-m", "desk_app.bench_board", str(folder)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    line = next((x for x in proc.stdout.splitlines() if x.startswith("board-bench ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"the board bench failed (exit {proc.returncode}): {proc.stderr[-800:]}")
    return _Run(**json.loads(line.split(" ", 1)[1]))


def board_figures(root: Path, runs: int, progress: Progress) -> list[Figure]:
    """The board with 50,000 open cases, from the demo folder `root` (see the module)."""
    from desk_app.bench import Figure

    folder, _built = prepare_board_desk(root, progress)
    _child(folder)  # one untimed round warms the disk cache
    results: list[_Run] = []
    loads: list[float] = []
    for i in range(runs):
        progress(f"  board run {i + 1}/{runs} (a fresh app process)")
        results.append(_child(folder))
        loads.append(os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0)
    last = results[-1]
    window = "the main window offscreen at 1366x768, in Chinese"
    med = statistics.median
    return [
        Figure(
            "board_open_50k_ms", "ms", [r.open_ms for r in results], target=OPEN_TARGET_MS,
            note=f"from choosing 分流看板 in the navigation ({window}, a fresh app process: "
            f"the first time after logging in) to the board painted with the columns of "
            f"{last.cards} open cases (their ids in order of urgency, counts and the first "
            f"cards of each column read on the task runner once the window was up, as at a "
            f"desk; read anew: see board_filter_50k_ms); opened again in the same process: "
            f"{med(r.warm_open_ms for r in results):.1f} ms; load average "
            f"{med(loads):.2f} on {os.cpu_count()} CPUs during the runs",
        ),
        Figure(
            "board_filter_50k_ms", "ms", [r.filter_ms for r in results], target=FILTER_TARGET_MS,
            note=f"from choosing a township in the filter ({last.shown} of {last.cards} cases "
            f"left) to the board painted again; back to all townships (all "
            f"{last.cards} read anew): {med(r.clear_ms for r in results):.1f} ms",
        ),
        Figure(
            "board_scroll_median_frame_ms", "ms", [r.frame_median_ms for r in results],
            target=FRAME_TARGET_MS,
            note=f"the 办理中 column scrolled through {last.frames} cards, one card per frame "
            "(scroll and repaint, cards read in the background as they come into view): "
            f"median frame; p95 {med(r.frame_p95_ms for r in results):.1f} ms, longest "
            f"{med(r.frame_max_ms for r in results):.1f} ms; {last.paints} viewport paints; "
            f"{last.blank_frames} frames showed a card still being read",
        ),
        Figure(
            "board_rss_mb", "MB", [r.rss_mb for r in results], target=RSS_TARGET_MB,
            note=f"resident memory (VmRSS) of a fresh app process with the board open on "
            f"{last.cards} open cases, after the scroll: anonymous "
            f"{med(r.rss_anon_mb for r in results):.0f} MB, file-backed "
            f"{med(r.rss_file_mb for r in results):.0f} MB (Qt's libraries and the database "
            "pages SQLite reads through its memory map, up to models.db's mmap_size)",
        ),
    ]  # fmt: skip


def main(argv: list[str]) -> int:
    """`python -m desk_app.bench_board FOLDER`: one run's figures as a JSON line."""
    run = measure(Path(argv[0]))
    print("board-bench " + json.dumps(asdict(run)), flush=True)
    return 0


__all__ = [
    "BOARD_OPEN",
    "FILTER_TARGET_MS",
    "FRAME_TARGET_MS",
    "OPEN_TARGET_MS",
    "RSS_TARGET_MB",
    "board_dir",
    "board_figures",
    "prepare_board_desk",
]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
