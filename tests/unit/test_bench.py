"""`desk-app bench`: the figures' JSON shape, with real start-up runs on a small demo folder."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from desk_app import bench, cli


def test_bench_prints_a_table_and_writes_figures_as_json(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", None)
    out = tmp_path / "bench.json"
    demo = tmp_path / "demo"
    args = ["bench", "--cases", "60", "--lookup-cases", "60", "--runs", "1", "--sync-runs", "1",
            "--json", str(out), "--demo-dir", str(demo)]  # fmt: skip
    assert cli.main(args) == 0
    table = capsys.readouterr().out
    figures = json.loads(out.read_text(encoding="utf-8"))["figures"]
    names = [f["name"] for f in figures]
    assert names == [
        "cold_start_login", "cold_start_main_window", "rss_after_start", "save_case_p95",
        "lookup_case_no_p95", "lookup_id_number_p95", "lookup_phone_p95", "lookup_name_p95",
        "repeat_lookup_p95", "receipt_pdf",
        "board_open_50k_ms", "board_filter_50k_ms", "board_scroll_median_frame_ms", "board_rss_mb",
        "sync_push_50k_ops", "sync_first_pull_100k_cases", "sync_gui_stall_ms",
    ]  # fmt: skip
    for f in figures:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", f["name"])
        assert isinstance(f["value"], float) and f["value"] > 0
        assert f["unit"] in ("ms", "MB")
        assert isinstance(f["target"], float)
        assert f["runs"] and all(isinstance(r, float) for r in f["runs"])
        assert f["met"] == (f["value"] <= f["target"])
        assert f["name"] in table
        assert ("MISSED" in table) or f["met"]
    login = figures[0]
    assert login["target"] == pytest.approx(1.5 * login["baseline"], abs=0.02)
    assert login["ratio"] == pytest.approx(login["value"] / login["baseline"], abs=0.002)
    # Sync against a throwaway PostgreSQL, each beside its bare baseline of the same run;
    # 60 cases give fewer ops and cases than the figures' names say, and the notes say so.
    push, pull = figures[-3:-1]
    for sync in (push, pull):
        assert sync["baseline"] > 0 and len(sync["baseline_runs"]) == len(sync["runs"]) == 1
        assert sync["ratio"] == pytest.approx(sync["value"] / sync["baseline"], abs=0.002)
        assert sync["target"] == pytest.approx(2 * sync["baseline"], abs=0.02)
    ops = int(re.search(r"SyncEngine\.push of (\d+) outbox ops", push["note"])[1])
    assert 60 < ops < 50_000 and f"only {ops} ops in the demo outbox" in push["note"]
    assert f"{ops} applied" in push["note"]
    # The demo's 60 cases and those the saving figure registered: all of them arrive.
    cases = int(re.search(r"(\d+) cases arrive", pull["note"])[1])
    assert cases > 60 and f"only {cases} cases in the demo folder" in pull["note"]
    # The GUI stays responsive while the sync worker works off the demo's outbox.
    stall = figures[-1]
    assert stall["target"] == 50.0 and stall["baseline"] > 0 and len(stall["runs"]) == 1
    backlog = int(re.search(r"push of (\d+) outbox ops", stall["note"])[1])
    assert backlog == ops and f"only {backlog} ops in the demo outbox" in stall["note"]
    # The board: 50,000 open cases made from the 60 demo cases, in a fresh app process.
    board = {f["name"]: f for f in figures if f["name"].startswith("board_")}
    assert "50000 open cases" in board["board_open_50k_ms"]["note"]
    assert "of 50000 cases left" in board["board_filter_50k_ms"]["note"]
    assert "1000 cards, one card per frame" in board["board_scroll_median_frame_ms"]["note"]
    assert board["board_rss_mb"]["target"] == 350.0
    # The demo folder is reused on the next run.
    marker = json.loads((demo / "bench-demo.json").read_text(encoding="utf-8"))
    assert marker["cases"] == 60


def test_a_missed_target_is_printed_as_missed():
    import io

    slow = bench.Figure(
        "cold_start_login", "ms", [900.0, 950.0, 1000.0], target=400.0, baseline_runs=[300.0]
    )
    fine = bench.Figure("rss_after_start", "MB", [120.0], target=250.0)
    buffer = io.StringIO()
    bench.print_table([slow, fine], buffer)
    lines = buffer.getvalue().splitlines()
    assert lines[2].startswith("cold_start_login") and lines[2].endswith("MISSED")
    assert lines[3].endswith("met")
    assert slow.as_json()["met"] is False and slow.as_json()["ratio"] == round(950 / 300, 3)


def test_the_board_desk_holds_exactly_its_open_cases_in_every_open_status(tmp_path: Path):
    """A demo made without the lifecycle has every case waiting for triage, more of them
    than the board's desk wants: it takes the most recent, spread over the open statuses,
    and archives the rest."""
    import sqlite3

    from desk_app import bench_board
    from desk_app.services import demo

    root = tmp_path / "demo"
    desk = demo.ensure_demo_desk(root)
    try:
        demo.generate(desk, 120, seed=3, lifecycle=False)
    finally:
        desk.close()
    folder, _now = bench_board.prepare_board_desk(root, lambda _m: None, open_cases=50)
    with sqlite3.connect(folder / "desk.db") as conn:
        statuses = dict(
            conn.execute(
                "SELECT status, count(*) FROM cases WHERE voided_at IS NULL GROUP BY status"
            ).fetchall()
        )
        newest = {
            r[0]
            for r in conn.execute(
                "SELECT status FROM cases WHERE voided_at IS NULL "
                "ORDER BY received_at DESC LIMIT 50"
            )
        }
    open_ = {s: n for s, n in statuses.items() if s in bench_board.OPEN_WEIGHTS}
    assert sum(open_.values()) == 50
    assert {"in_progress", "signed", "fed_back"} <= set(open_)
    assert set(statuses) - set(open_) == {"archived"}
    assert newest <= set(bench_board.OPEN_WEIGHTS)  # the most recent are the open ones
