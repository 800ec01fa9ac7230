"""`desk-app holidays list|load`: the holiday table from the command line."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from desk_app import cli
from desk_app.models import HolidayYear, Outbox

NOTICE_2027 = {
    "year": 2027,
    "holidays": ["2027-01-01..2027-01-03", "2027-02-06..2027-02-12"],
    "workdays": ["2027-02-20"],
    "source": "测试用 2027 年安排",
}


def run(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_list_then_load_a_year(desk, tmp_path: Path, monkeypatch, capsys) -> None:
    base = ["--data-dir", str(desk.dirs.root), "holidays"]
    assert run(monkeypatch, [*base, "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2004\t程序内置") and lines[-1].startswith("2026\t程序内置")
    assert "chinesecalendar" in lines[-1]

    path = tmp_path / "2027.json"
    path.write_text(json.dumps(NOTICE_2027, ensure_ascii=False), encoding="utf-8")
    assert run(monkeypatch, [*base, "load", str(path)]) == 0
    assert "已载入 2027 年节假日安排：放假 10 天，调休上班 1 天" in capsys.readouterr().out
    with desk.db.read() as s:
        assert s.scalars(select(HolidayYear.year)).all() == [2027]
        op = s.scalars(select(Outbox).where(Outbox.entity == "holiday_years")).one()
    assert op.user_id.startswith("cli:")

    assert run(monkeypatch, [*base, "load", str(path)]) == 0
    assert "未变化 2027 年" in capsys.readouterr().out
    assert run(monkeypatch, [*base, "list"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == "2027\t管理员载入\t放假 10 天\t调休上班 1 天\t测试用 2027 年安排"


def test_load_refuses_a_clerk_and_a_bad_file(desk, tmp_path: Path, monkeypatch, capsys) -> None:
    base = ["--data-dir", str(desk.dirs.root), "holidays"]
    path = tmp_path / "2027.txt"
    path.write_text("year: 2027\nholidays: 2027-01-01\nworkdays: 2027-01-04\n", encoding="utf-8")
    assert run(monkeypatch, [*base, "load", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("desk-app: ") and "周六或周日" in err and err.count("\n") == 1

    path.write_text("year: 2027\nholidays: 2027-01-01\n", encoding="utf-8")
    monkeypatch.setenv("DESK_APP_PASSWORD", "clerk-pass-1")
    assert run(monkeypatch, [*base, "--user", "clerk1", "load", str(path)]) == 1
    assert "无权" in capsys.readouterr().err
    with desk.db.read() as s:
        assert s.scalars(select(HolidayYear)).all() == []
