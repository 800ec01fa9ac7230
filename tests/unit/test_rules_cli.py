"""`desk-app rules list|set`: deadline rules from the command line, used by the workflow."""

from __future__ import annotations

import io
import sys

import pytest
from sqlalchemy import select

from desk_app import cli
from desk_app.models import DeadlineRule, Outbox
from desk_app.services import deadlines


def run(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    return cli.main(argv)


def test_list_change_and_add_rules(desk, monkeypatch, capsys) -> None:
    base = ["--data-dir", str(desk.dirs.root), "rules"]
    assert run(monkeypatch, [*base, "list"]) == 0
    listed = capsys.readouterr().out
    assert "handle:petition\t办理\tpetition\t60 日\t可延长 30 日" in listed
    assert "return_window\t退单时限\t通用\t5 个工作日" in listed

    # Changing one value keeps the others; the change is an op like any edit.
    assert run(monkeypatch, [*base, "set", "handle:simple", "--days", "5", "--working"]) == 0
    assert "已修改期限规则 handle:simple" in capsys.readouterr().out
    assert run(monkeypatch, [*base, "set", "handle:14", "--stage", "handle", "--days", "10",
                             "--dispute-type", "14", "--basis", "交通事故"]) == 0  # fmt: skip
    with desk.db.read() as s:
        simple = s.scalars(select(DeadlineRule).where(DeadlineRule.code == "handle:simple")).one()
        assert (simple.days, simple.working_days, simple.complexity) == (5, True, "simple")
        ops = s.scalars(select(Outbox.kind).where(Outbox.entity == "deadline_rules")).all()
        assert sorted(ops) == ["create", "patch"]
        rules = deadlines.load_rules(s)
    # The new rule is the most specific for traffic cases and now decides their handling.
    found = deadlines.pick(rules, "handle", dispute_type_code="14", complexity="ordinary")
    assert found is not None and (found.code, found.days) == ("handle:14", 10)


def test_a_bad_rule_is_refused_with_a_reason(desk, monkeypatch, capsys) -> None:
    base = ["--data-dir", str(desk.dirs.root), "rules", "set", "x"]
    assert run(monkeypatch, [*base, "--stage", "nope", "--days", "400"]) == 1
    err = capsys.readouterr().err
    assert "阶段须为" in err and "期限天数须在 0 到 365 之间" in err
    with desk.db.read() as s:
        assert s.scalars(select(DeadlineRule).where(DeadlineRule.code == "x")).first() is None
