"""The conflict review screen with two desks and a real central database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from desk_app.models import Case
from desk_app.models import central as schema
from desk_app.services import conflicts
from desk_app.views.conflicts_page import ConflictsPage
from desk_app.workers.tasks import TaskRunner
from tests.conftest import actor_of
from tests.gui.conftest import type_text
from tests.integration.test_sync import center, desks, engine_for, make_conflict

__all__ = ["center", "desks"]  # fixtures used by name


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.wait()


def test_a_conflict_is_settled_on_the_review_screen_and_reaches_the_other_desk(
    qtbot, desks, center, runner
):
    a, b, _ = desks
    _url, engine = center
    ref = make_conflict(desks, center)
    engine_for(a, center).sync_once()  # the conflict comes to desk A too
    page = ConflictsPage(a, actor_of(a, "admin"), runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded) as shown:
        page.reload()
    assert shown.args == [1]
    assert page.model.rowCount() == 1
    row = page.model.row_at(0)
    assert (row.case_no, row.desk_text, row.central_text) == (ref.case_no, "乙的标题", "甲的标题")
    assert "乙的标题" in page.keep_desk.text() and "甲的标题" in page.keep_central.text()
    # A merged value left empty is refused beside the field; nothing is settled.
    page.keep_merged.setChecked(True)
    page.merged.clear()
    page.settle_button.click()
    qtbot.waitUntil(lambda: page.errors.error_label("merged").isVisibleTo(page))
    assert page.errors.error_label("merged").text() == "请填写合并后的内容"
    assert conflicts.count_open(a.db) == 1
    page.merged.clear()
    type_text(page.merged, "甲乙商定的标题")
    with qtbot.waitSignal(page.resolved), qtbot.waitSignal(page.loaded) as reloaded:
        page.settle_button.click()
    assert reloaded.args == [0]
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    with b.db.read() as s:
        assert s.get(Case, ref.id).title == "甲乙商定的标题"  # type: ignore[union-attr]
    assert conflicts.count_open(b.db) == 0
    with engine.connect() as conn:
        assert (
            conn.execute(
                sa.select(sa.func.count())
                .select_from(schema.sync_conflict)
                .where(schema.sync_conflict.c.resolved_at.is_(None))
            ).scalar_one()
            == 0
        )


def test_a_clerk_sees_conflicts_but_cannot_settle_them(qtbot, desks, center, runner):
    a = desks[0]
    make_conflict(desks, center)
    engine_for(a, center).sync_once()
    page = ConflictsPage(a, actor_of(a, "clerk1"), runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.reload()
    assert page.model.rowCount() == 1
    assert not page.detail.isEnabled()
