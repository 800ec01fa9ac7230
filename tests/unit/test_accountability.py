"""Unit accountability (单位考评): every figure on a small desk built by the real workflow,
the assessment table's PDF (checked with poppler) and `desk-app print accountability`.

The desk (`build_desk`): June 2026 is the period; three units. 勐龙镇人民调解委员会
(LEAD) was given three cases in June (one fed back, one signed late and overdue,
one returned) and one in May fed back in June; 景洪市司法局 (OTHER) took the returned
case and one it paused; 勐龙镇司法所 (CO) only helps (co-handling rows never count)
and missed a joint mediation. A voided case and a voided supervision count nowhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from desk_app import cli
from desk_app.models import Case
from desk_app.models.routing import Supervision
from desk_app.services import accountability, joint, workflow
from desk_app.services.accountability import Report, UnitFigures, UnitRecord
from desk_app.services.cases import first_clock, register_case
from desk_app.services.desk import Desk
from desk_app.services.errors import PermissionDenied, ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.printing import accountability as printout
from desk_app.services.printing import fonts
from desk_app.services.roles import Actor
from tests.conftest import actor_of, sample_case

LEAD = "532801103-TWH"  # 勐龙镇人民调解委员会
CO = "532801103-SFS"  # 景洪市司法局勐龙镇司法所
OTHER = "JH-SFJ"  # 景洪市司法局
NAMES = {LEAD: "勐龙镇人民调解委员会", CO: "景洪市司法局勐龙镇司法所", OTHER: "景洪市司法局"}
#: The period: June 2026 (Shanghai dates), and the moment open cases are counted at.
JUNE = (date(2026, 6, 1), date(2026, 6, 30))
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=SHANGHAI).astimezone(UTC)
#: CJK Ext B U+20000: a real character, but in none of the fonts here.
NO_FONT_HAS = "\U00020000"


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def _triage(unit: str, co: tuple[str, ...] = ()) -> workflow.TriageInput:
    level = "city" if unit.startswith("JH-") else "town"
    return workflow.TriageInput(
        level=level, track="mediation", complexity="ordinary", unit_code=unit,
        co_unit_codes=co, note="属地调处",
    )  # fmt: skip


BEHALF = workflow.UnitStepInput(on_behalf=True, text="已办理")
DISPATCH = workflow.DispatchInput(asked="请组织双方调解并于期限内反馈")
RETURN_REASON = "属于林业部门职责"


@dataclass(frozen=True)
class Built:
    cases: dict[str, uuid.UUID]
    case_nos: dict[str, str]


def _act(desk: Desk, actor: Actor, case_id: uuid.UUID, steps: list[tuple[str, Any, datetime]]):
    for action, data, when in steps:
        with desk.uow(actor) as uow:
            uow.now = when
            workflow.RUNNERS[action](uow, case_id, data)


def build_desk(desk: Desk) -> Built:
    """The June desk of the module docstring, through the real workflow at fixed times."""
    officer = actor_of(desk, "admin")
    clerk = actor_of(desk, "clerk1")
    ids: dict[str, uuid.UUID] = {}
    nos: dict[str, str] = {}
    for key, received in (
        ("A", at(6, 8, 9)), ("B", at(6, 8, 9)), ("C", at(6, 8, 9)), ("D", at(6, 8, 9)),
        ("E", at(5, 25, 9)), ("V", at(6, 8, 9)),
    ):  # fmt: skip
        ref = register_case(desk, clerk, sample_case(f"纠纷{key}"))
        with desk.db.write_session() as s, s.begin():
            clock = first_clock(s, received)
            s.execute(
                sa.update(Case).where(Case.id == ref.id).values(received_at=received, **clock)
            )
        ids[key], nos[key] = ref.id, ref.case_no

    routed = [("triage", _triage(LEAD, (CO,)), at(6, 8, 9, 30)), ("dispatch", DISPATCH, at(6, 8))]
    # A: signed in time, fed back after exactly 10 days.
    _act(desk, officer, ids["A"], [
        *routed, ("sign", BEHALF, at(6, 8, 11)), ("start", BEHALF, at(6, 8, 12)),
        ("feedback", BEHALF, at(6, 18)),
    ])  # fmt: skip
    # B: signed two days after its signing deadline, still in handling (overdue by July).
    _act(desk, officer, ids["B"], [
        *routed, ("sign", BEHALF, at(6, 11)), ("start", BEHALF, at(6, 11, 11)),
    ])  # fmt: skip
    # C: returned by LEAD the next day, routed to OTHER, which never signs.
    _act(desk, officer, ids["C"], [
        *routed, ("return", workflow.UnitStepInput(on_behalf=True, text=RETURN_REASON), at(6, 9)),
        ("triage", _triage(OTHER), at(6, 10, 9)), ("dispatch", DISPATCH, at(6, 10)),
    ])  # fmt: skip
    # D: OTHER's, paused for the citizen (past its deadline, but the clock stands).
    _act(desk, officer, ids["D"], [
        ("triage", _triage(OTHER), at(6, 8, 9, 30)), ("dispatch", DISPATCH, at(6, 8)),
        ("sign", BEHALF, at(6, 8, 11)), ("start", BEHALF, at(6, 8, 12)),
        ("pause", workflow.PauseInput(reason="citizen", note="等待补交材料"), at(6, 9)),
    ])  # fmt: skip
    # E: dispatched in May, fed back in June after 11 days.
    _act(desk, officer, ids["E"], [
        ("triage", _triage(LEAD), at(5, 25, 9, 30)), ("dispatch", DISPATCH, at(5, 25)),
        ("sign", BEHALF, at(5, 25, 11)), ("start", BEHALF, at(5, 25, 12)),
        ("feedback", BEHALF, at(6, 5)),
    ])  # fmt: skip
    # V: dispatched to LEAD, then voided: nothing of it counts.
    _act(desk, officer, ids["V"], routed)

    def supervision(key: str, level: str, unit: str, when: datetime, **kw: Any) -> Supervision:
        return Supervision(
            case_id=ids[key], level=level, unit_code=unit, unit_name=NAMES[unit], at=when,
            by="admin", message=kw.pop("message", "请加快办理"), **kw,
        )  # fmt: skip

    with desk.uow(officer) as uow:
        uow.now = at(7, 1, 8)
        for row in (
            supervision("B", "urge", LEAD, at(6, 10)),
            supervision("B", "listed", LEAD, at(6, 15), message="挂牌督办：超期未办结",
                        response="已组织调解，正在整改", responded_at=at(6, 17)),
            supervision("B", "supervise", LEAD, at(6, 30, 23, 30)),  # the period's last hour
            supervision("B", "urge", LEAD, at(7, 1, 0)),  # the next period's first moment
            supervision("B", "urge", LEAD, at(6, 12), voided_at=at(6, 13), void_reason="误录"),
            supervision("V", "urge", LEAD, at(6, 12)),
            supervision("C", "notice", OTHER, at(6, 20), message="通报：逾期未签收"),
            supervision("D", "interview", OTHER, at(6, 25), message="约谈主要负责人"),
        ):  # fmt: skip
            uow.add(row)

    # A joint mediation on B: CO does not come. One on A is cancelled (counts nowhere).
    with desk.uow(officer) as uow:
        uow.now = at(6, 15, 9)
        held = joint.convene(uow, ids["B"], joint.ConveneInput(
            scheduled_at=at(6, 16, 9), place="勐龙镇综治中心", matter="宅基地纠纷",
            unit_codes=(LEAD, CO, OTHER),
        ))  # fmt: skip
        cancelled = joint.convene(uow, ids["A"], joint.ConveneInput(
            scheduled_at=at(6, 17, 9), place="勐龙镇综治中心", matter="宅基地纠纷",
            unit_codes=(LEAD, CO),
        ))  # fmt: skip
    with desk.uow(officer) as uow:
        uow.now = at(6, 16, 12)
        joint.record(uow, held, [
            joint.Attendance(LEAD, True), joint.Attendance(OTHER, True),
            joint.Attendance(CO, False, "另有公务"),
        ], "双方达成初步意向")  # fmt: skip
        joint.cancel(uow, cancelled, "当事人外出")

    with desk.db.write_session() as s, s.begin():
        s.execute(sa.update(Case).where(Case.id == ids["V"]).values(voided_at=at(6, 20)))
    return Built(ids, nos)


@pytest.fixture
def built(desk: Desk) -> Built:
    return build_desk(desk)


def _figures(desk: Desk, first: date, last: date) -> list[UnitFigures]:
    since, until = accountability.bounds(first, last)
    with desk.db.read() as s:
        return accountability.unit_figures(s, since, until, NOW)


def _row(f: UnitFigures) -> dict[str, Any]:
    return {
        "dispatched": f.dispatched, "open": f.open_now, "overdue": f.overdue_now,
        "returned": f.returned, "late": f.signed_late, "handled": f.handled,
        "avg": f.avg_handling_days, "levels": {k: v for k, v in f.supervisions.items() if v},
        "summoned": f.summoned, "absent": f.absent,
    }  # fmt: skip


# --- figures ----------------------------------------------------------------------------


def test_every_figure_of_june(desk, built) -> None:
    figures = _figures(desk, *JUNE)
    # Most serious first: OTHER has a 通报 and a 约谈, LEAD one 挂牌督办, CO none.
    assert [f.unit_code for f in figures] == [OTHER, LEAD, CO]
    assert [f.unit_name for f in figures] == [NAMES[OTHER], NAMES[LEAD], NAMES[CO]]
    assert [f.level for f in figures] == ["city", "town", "town"]
    other, lead, co = (_row(f) for f in figures)
    # A, B and C in June (E came in May; V is void); C came back; B was signed late; A and
    # E fed back (10 and 11 days); open: A and E (fed back) and B, overdue only B.
    assert lead == {
        "dispatched": 3, "open": 3, "overdue": 1, "returned": 1, "late": 1, "handled": 2,
        "avg": pytest.approx(10.5), "levels": {"urge": 1, "listed": 1, "supervise": 1},
        "summoned": 1, "absent": 0,
    }  # fmt: skip
    # C (never signed: overdue) and D (paused: not overdue).
    assert other == {
        "dispatched": 2, "open": 2, "overdue": 1, "returned": 0, "late": 0, "handled": 0,
        "avg": None, "levels": {"notice": 1, "interview": 1}, "summoned": 1, "absent": 0,
    }  # fmt: skip
    # Co-handling rows count nowhere: CO is here for the meeting it missed.
    assert co == {
        "dispatched": 0, "open": 0, "overdue": 0, "returned": 0, "late": 0, "handled": 0,
        "avg": None, "levels": {}, "summoned": 1, "absent": 1,
    }  # fmt: skip
    assert (figures[0].serious, figures[1].serious, figures[2].serious) == (2, 1, 0)

    total = _row(accountability.totals(figures))
    assert total == {
        "dispatched": 5, "open": 5, "overdue": 2, "returned": 1, "late": 1, "handled": 2,
        "avg": pytest.approx(10.5),
        "levels": {"urge": 1, "supervise": 1, "listed": 1, "notice": 1, "interview": 1},
        "summoned": 3, "absent": 1,
    }  # fmt: skip


def test_another_period_counts_only_its_own_steps(desk, built) -> None:
    may = _figures(desk, date(2026, 5, 1), date(2026, 5, 31))
    # E's dispatch and signature; open cases are counted now whatever the period. One
    # overdue case each: then the reference table's order (city departments first).
    assert [f.unit_code for f in may] == [OTHER, LEAD]
    assert _row(may[1]) == {
        "dispatched": 1, "open": 3, "overdue": 1, "returned": 0, "late": 0, "handled": 0,
        "avg": None, "levels": {}, "summoned": 0, "absent": 0,
    }  # fmt: skip
    assert (may[0].dispatched, may[0].open_now, may[0].overdue_now) == (0, 2, 1)
    # The first of July holds one urging, nothing else of June.
    july = _figures(desk, date(2026, 7, 1), date(2026, 7, 1))
    lead = next(f for f in july if f.unit_code == LEAD)
    assert lead.supervisions == {"urge": 1} and lead.dispatched == lead.handled == 0


def test_open_cases_are_counted_at_the_moment_given(desk, built) -> None:
    since, until = accountability.bounds(*JUNE)
    with desk.db.read() as s:
        early = accountability.unit_figures(s, since, until, at(6, 9, 12))
    lead = next(f for f in early if f.unit_code == LEAD)
    other = next(f for f in early if f.unit_code == OTHER)
    # On 9 June B's signing deadline (end of the 9th) had not passed; C is with OTHER now
    # and counted there (the moment given is only for open and overdue).
    assert (lead.open_now, lead.overdue_now) == (3, 0)
    assert (other.open_now, other.overdue_now) == (2, 0)


def test_a_handful_of_grouped_queries_whatever_the_number_of_units(desk, built) -> None:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    since, until = accountability.bounds(*JUNE)
    sa.event.listen(desk.db.engine, "before_cursor_execute", count)
    try:
        with desk.db.read() as s:
            accountability.unit_figures(s, since, until, NOW)
    finally:
        sa.event.remove(desk.db.engine, "before_cursor_execute", count)
    selects = [q for q in statements if q.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 5, selects
    assert all("GROUP BY" in q for q in selects[:4])


def test_a_unit_records_are_its_supervisions_returns_and_absences(desk, built) -> None:
    since, until = accountability.bounds(*JUNE)
    with desk.db.read() as s:
        lead = accountability.unit_records(s, LEAD, since, until)
        co = accountability.unit_records(s, CO, since, until)
        other = accountability.unit_records(s, OTHER, since, until)
    assert [(r.kind, r.at) for r in lead] == [
        ("return", at(6, 9)), ("urge", at(6, 10)), ("listed", at(6, 15)),
        ("supervise", at(6, 30, 23, 30)),
    ]  # fmt: skip
    ret, _urge, listed, _sup = lead
    assert (ret.case_no, ret.message, ret.label) == (built.case_nos["C"], RETURN_REASON, "退单")
    assert (listed.label, listed.message, listed.by) == (
        "挂牌督办",
        "挂牌督办：超期未办结",
        "管理员甲",
    )
    assert (listed.response, listed.responded_at) == ("已组织调解，正在整改", at(6, 17))
    assert [(r.kind, r.case_no, r.message, r.label) for r in co] == [
        ("absent", built.case_nos["B"], "另有公务", "联合调解缺席")
    ]
    assert [r.kind for r in other] == ["notice", "interview"]


def test_the_report_lists_serious_records_in_the_table_order(desk, built) -> None:
    since, until = accountability.bounds(*JUNE)
    with desk.db.read() as s:
        report = accountability.report(s, since, until, NOW)
    assert [(r.unit_code, r.kind) for r in report.serious] == [
        (OTHER, "notice"), (OTHER, "interview"), (LEAD, "listed"),
    ]  # fmt: skip
    assert report.period == "2026年6月1日至2026年6月30日"


def test_only_center_staff_read_the_figures(desk, built) -> None:
    since, until = accountability.bounds(*JUNE)
    with pytest.raises(PermissionDenied):
        accountability.load_report(desk, actor_of(desk, "clerk1"), since, until, NOW)
    report = accountability.load_report(desk, actor_of(desk, "admin"), since, until, NOW)
    assert len(report.figures) == 3


def test_periods() -> None:
    assert accountability.bounds(*JUNE) == (
        datetime(2026, 5, 31, 16, tzinfo=UTC), datetime(2026, 6, 30, 16, tzinfo=UTC),
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        accountability.bounds(date(2026, 6, 30), date(2026, 6, 1))
    assert "结束日期不能早于开始日期" in caught.value.fields["period"]
    today = date(2026, 1, 10)
    assert accountability.preset("this_year", today) == (date(2026, 1, 1), date(2026, 12, 31))
    assert accountability.preset("last_year", today) == (date(2025, 1, 1), date(2025, 12, 31))
    assert accountability.preset("this_month", today) == (date(2026, 1, 1), date(2026, 1, 31))
    assert accountability.preset("last_month", today) == (date(2025, 12, 1), date(2025, 12, 31))
    assert accountability.preset("this_month", date(2028, 2, 29)) == (
        date(2028, 2, 1), date(2028, 2, 29),
    )  # fmt: skip
    since, until = accountability.bounds(date(2026, 3, 8), date(2026, 3, 8))
    assert accountability.period_text(since, until) == "2026年3月8日"
    assert accountability.dates_of(since, until) == (date(2026, 3, 8), date(2026, 3, 8))


# --- the PDF -----------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run ./dev setup (poppler-utils)", pytrace=False)
    return path


def pdf_text(pdf: Path, page: int | None = None, *, raw: bool = False) -> str:
    """The text by layout, or (`raw`) in the order it was drawn."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        [_tool("pdftotext"), "-raw" if raw else "-layout", *pages, str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True)
    return {
        k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in out.stdout.splitlines())
    }


def row_of(text: str, name: str) -> list[str]:
    """The cells of the table line whose second cell is `name` (or whose first is 合计)."""
    for line in text.splitlines():
        cells = line.split()
        if cells[:1] == [name] or cells[1:2] == [name]:
            return cells
    raise AssertionError(f"no row for {name}")


def test_the_pdf_has_the_title_period_rows_totals_and_serious_records(
    desk, built, tmp_path
) -> None:
    since, until = accountability.bounds(*JUNE)
    pdf = tmp_path / "june.pdf"
    pdf.write_bytes(printout.accountability_pdf(desk, actor_of(desk, "admin"), since, until, NOW))
    info = pdf_info(pdf)
    assert info["Pages"] == "1" and info["Page size"] == "841.89 x 595.276 pts (A4)", info
    assert info["Title"] == "责任单位考评情况统计表（2026年6月1日至2026年6月30日）"
    text = pdf_text(pdf)
    whole = flat(text)
    for expected in (
        "景洪市综治中心", "责任单位考评情况统计表", "统计期间：2026年6月1日至2026年6月30日",
        "生成时间：2026年7月1日09:00", "一、各责任单位办理及督办情况", "督办情况（次）",
        "二、挂牌督办、通报、约谈情况", "第1页共1页",
    ):  # fmt: skip
        assert expected in whole, expected
    # 序号, 单位, 交办 在办 超期 退单 超时签收 反馈 平均天数, 催办 督办 挂牌 通报 约谈, 缺席.
    assert row_of(text, NAMES[OTHER]) == [
        "1", NAMES[OTHER], "2", "2", "1", "0", "0", "0", "—", "0", "0", "0", "1", "1", "0",
    ]  # fmt: skip
    assert row_of(text, NAMES[LEAD]) == [
        "2", NAMES[LEAD], "3", "3", "1", "1", "1", "2", "10.5", "1", "1", "1", "0", "0", "0",
    ]  # fmt: skip
    assert row_of(text, NAMES[CO])[2:] == ["0"] * 6 + ["—"] + ["0"] * 5 + ["1"]
    assert row_of(text, "合计") == [
        "合计", "5", "5", "2", "1", "1", "2", "10.5", "1", "1", "1", "1", "1", "1",
    ]  # fmt: skip
    # The serious records, OTHER's first; the response with its date, or 未回复. (In
    # content order: a cell's lines follow each other, whatever the row's other cells.)
    raw = flat(pdf_text(pdf, raw=True))
    records = raw[raw.index("二、挂牌督办") :]
    assert records.index("通报：逾期未签收") < records.index("约谈主要负责人")
    assert records.index("约谈主要负责人") < records.index("挂牌督办：超期未办结")
    assert "已组织调解，正在整改（2026年6月17日）" in records
    assert records.count("（未回复）") == 2
    assert built.case_nos["C"] in records and built.case_nos["B"] in records

    out = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True)
    used = [line.split() for line in out.stdout.splitlines()[2:]]
    assert used and all(row[-5:-3] == ["yes", "yes"] for row in used), out.stdout


def _long_report(units: int, records: int) -> Report:
    since, until = accountability.bounds(date(2026, 1, 1), date(2026, 12, 31))
    figures = [
        UnitFigures(
            unit_code=f"U{i:03d}",
            unit_name=f"第{i:03d}号西双版纳傣族自治州景洪市某某乡镇人民政府社会治安综合治理办公室",
            dispatched=i, open_now=1, handled=2, handling_days=5.0,
            supervisions={"listed": 1} if i % 10 == 0 else {},
        )
        for i in range(1, units + 1)
    ]  # fmt: skip
    serious = [
        UnitRecord(
            "listed", since + timedelta(days=i), f"U{i:03d}", f"第{i:03d}号单位", uuid.uuid4(),
            f"景综〔2026〕D03-{i:05d}", "管理员甲", f"督办事项{i:03d}：" + "请加快办理。" * 8,
        )
        for i in range(1, records + 1)
    ]  # fmt: skip
    return Report(since, until, NOW, figures, serious)


def test_a_long_table_continues_under_its_header_on_numbered_pages(tmp_path) -> None:
    report = _long_report(units=90, records=40)
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(printout.render(report, "景洪市综治中心"))
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 4
    texts = [flat(pdf_text(pdf, n)) for n in range(1, pages + 1)]
    seen: list[str] = []
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页共{pages}页" in text
        tags = re.findall(r"第(\d{3})号西双版纳", text)
        if tags:  # a page of the units' table: its header row again
            assert "序号责任单位交办在办超期退单" in text, number
            assert "督办情况（次）" in text, number
        if number > 1:
            assert "责任单位考评情况统计表（续）" in text
        seen += tags
    # Every unit once, in order, none lost or doubled at a page break; names wrap whole.
    assert seen == [f"{i:03d}" for i in range(1, 91)]
    assert sum(t.count("人民政府社会治安综合治理办公室") for t in texts) == 90
    last_units = max(n for n, t in enumerate(texts) if "西双版纳" in t)
    assert "合计" in texts[last_units] and "第090号" in texts[last_units]
    # The records' table, its header on each of its pages.
    record_pages = [t for t in texts if "督办事项" in t]
    assert len(record_pages) >= 2
    assert all("序号责任单位类别案件编号日期督办内容单位回复" in t for t in record_pages)
    assert sum(len(re.findall(r"督办事项\d{3}：", t)) for t in record_pages) == 40


def test_a_record_taller_than_a_page_is_split_and_marked(tmp_path) -> None:
    report = _long_report(units=3, records=1)
    message = "开始" + "请逐项说明整改情况。" * 300 + "结束"
    tall = replace(report, serious=[replace(report.serious[0], message=message)])
    pdf = tmp_path / "tall.pdf"
    pdf.write_bytes(printout.render(tall, "景洪市综治中心"))
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 3
    # In content order each drawn line is a line of its own (cells sharing a baseline
    # come first on it): the message's lines, page after page, give it back whole.
    alphabet = set(message)
    printed = []
    for n in range(1, pages + 1):
        raw = pdf_text(pdf, n, raw=True)
        printed += [
            ln.split()[-1]
            for ln in raw.splitlines()
            if ln.split() and set(ln.split()[-1]) <= alphabet
        ]
        if n > 1:
            assert "（续）" in raw and "序号" in raw  # the rest under the header again
    assert "".join(printed) == message


def test_nothing_to_report_says_so(tmp_path) -> None:
    since, until = accountability.bounds(*JUNE)
    pdf = tmp_path / "empty.pdf"
    pdf.write_bytes(printout.render(Report(since, until, NOW, [], []), "景洪市综治中心"))
    text = flat(pdf_text(pdf))
    assert flat(printout.NO_UNITS) in text and flat(printout.NO_SERIOUS) in text


def test_a_character_in_no_font_is_refused_by_name() -> None:
    report = _long_report(units=2, records=0)
    odd = replace(report.figures[0], unit_name=f"勐{NO_FONT_HAS}村民委员会")
    with pytest.raises(fonts.MissingGlyph) as caught:
        printout.render(replace(report, figures=[odd]), "景洪市综治中心")
    assert "单位名称" in caught.value.message and caught.value.char == NO_FONT_HAS


def test_cli_prints_the_table_of_a_period(desk, built, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    root = str(desk.dirs.root)
    desk.close()  # the command opens the folder itself
    out = tmp_path / "june.pdf"
    base = ["--data-dir", root, "print", "accountability"]
    assert cli.main([*base, "--from", "2026-06-01", "--to", "2026-06-30", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "2026年6月1日至2026年6月30日" in said and "3 个单位" in said and str(out) in said
    text = pdf_text(out)
    assert row_of(text, NAMES[LEAD])[2] == "3"  # --to is inclusive: all of June
    # The same day twice is a one-day period; the wrong way round is refused.
    assert cli.main([*base, "--from", "2026-06-30", "--to", "2026-06-30", "-o", str(out)]) == 0
    assert "统计期间：2026年6月30日" in flat(pdf_text(out))
    capsys.readouterr()
    assert cli.main([*base, "--from", "2026-06-30", "--to", "2026-06-01", "-o", str(out)]) == 1
    assert "结束日期不能早于开始日期" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli.main([*base, "--from", "2026/06/01", "--to", "2026-06-30", "-o", str(out)])
    assert usage.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
