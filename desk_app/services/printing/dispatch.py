"""The routing slip (矛盾纠纷交办单): what the center asks a unit to do in a case, and by when.

One A4 form, printed for the latest dispatch of a case (its lead unit's row
with the greatest `dispatched_at`, not voided; an earlier dispatch that came
back, 退单, has rows of its own and is not printed). Above the form the
center's name, the title, the slip number (the case number when the slip has
none) and the date of the dispatch; then a ruled table: the case (number,
name, dispute type, place, parties by name only, facts, claims), the lead unit
and the co-handling units, what is asked, the deadlines (handling, signing),
who dispatched it and when. Under it a note on the unit's right to send a
matter back (信访工作条例 art. 23: within 5 working days, with reasons), the
center's seal position, and the unit's signature block (签收).

Long facts or claims flow: a row that does not fit ends at the foot of the
page and continues on the next ("主要事实（续）"), under a short heading; the
note and the signature block are kept together. Times print in Asia/Shanghai;
a deadline (stored as the last moment of its Shanghai day) prints as its date.
ID numbers and phones are personal data and are not printed.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.models import Case, DeskIdentity, DisputeType, Division, User
from desk_app.models.routing import Assignment
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError
from desk_app.services.printing import write_file
from desk_app.services.printing.fonts import FontSet, load_fonts
from desk_app.services.printing.layout import (
    PAGE_H,
    PAGE_W,
    build_pdf,
    chinese_date,
    chinese_datetime,
    hanging_lines,
    local,
)
from desk_app.services.roles import Actor, Role, require

TITLE = "矛盾纠纷交办单"
#: What a unit that finds the matter outside its remit does (信访工作条例 art. 23).
RETURN_NOTE = "如认为不属于本单位职责范围，请于交办之日起5个工作日内说明理由退回"
NOT_DISPATCHED = "该案件尚未交办，没有交办单"


@dataclass(frozen=True)
class SlipData:
    """Everything printed on a routing slip, read from the database."""

    center_name: str
    #: The slip's own number, or the case number when the dispatch has none.
    slip_no: str
    case_no: str
    title: str
    #: The dispute type's name, with the sub-type in brackets when there is one.
    dispute_type: str
    #: The township and village names, then the place detail.
    place: str
    applicants: tuple[str, ...]
    respondents: tuple[str, ...]
    third_parties: tuple[str, ...]
    facts: str
    claims: str
    lead_unit: str
    co_units: tuple[str, ...]
    #: 交办事项: what the lead unit is asked to do.
    asked: str
    dispatched_at: datetime
    #: The dispatching officer's name (the username when the user is unknown here).
    dispatched_by: str
    #: The handling deadline (办理期限) and the signing deadline, stored as the last moment
    #: of their Shanghai day; None when not set.
    due_at: datetime | None = None
    sign_due_at: datetime | None = None

    @property
    def dispatched_local(self) -> datetime:
        return local(self.dispatched_at)


# --- data -------------------------------------------------------------------------------


def _find_case(session: Session, key: uuid.UUID | str) -> Case | None:
    if isinstance(key, uuid.UUID):
        return session.get(Case, key)
    text = key.strip()
    try:
        return session.get(Case, uuid.UUID(text))
    except ValueError:
        return session.scalar(select(Case).where(Case.case_no == text))


def _place(session: Session, case: Case) -> str:
    """勐龙镇景龙村 and the place detail: the division's names below the city."""
    names: list[str] = []
    code: str | None = case.division_code
    for _ in range(6):  # city, town, village: a loop in the parents cannot hang us
        if not code:
            break
        division = session.scalar(select(Division).where(Division.code == code))
        if division is None:
            break
        if division.level not in ("town", "village") and names:
            break
        names.insert(0, division.short_name if division.level == "village" else division.name)
        if division.level not in ("town", "village"):
            break
        code = division.parent_code
    where = "".join(names) or case.division_code
    detail = case.place_detail.strip()
    return f"{where}{detail}" if detail else where


def _dispute_type(session: Session, case: Case) -> str:
    name = session.scalar(
        select(DisputeType.name).where(DisputeType.code == case.dispute_type_code)
    )
    shown = name or case.dispute_type_code
    sub = case.dispute_subtype.strip()
    return f"{shown}（{sub}）" if sub and sub != shown else shown


def slip_data(session: Session, case_no_or_id: uuid.UUID | str) -> SlipData:
    """The slip of the latest dispatch of a case (by case number or id).

    Raises:
        DeskError: no such case here, the case is void, or it was never dispatched.
    """
    case = _find_case(session, case_no_or_id)
    if case is None:
        raise DeskError(f"找不到案件“{case_no_or_id}”：它可能尚未同步到本窗口，请核对后重新查询")
    if case.voided_at is not None:
        raise DeskError(f"案件 {case.case_no} 已作废，不能打印交办单")
    lead = session.scalars(
        select(Assignment)
        .where(
            Assignment.case_id == case.id,
            Assignment.role == "lead",
            Assignment.voided_at.is_(None),
        )
        .order_by(Assignment.dispatched_at.desc(), Assignment.created_at.desc())
        .limit(1)
    ).first()
    if lead is None:
        raise DeskError(f"{NOT_DISPATCHED}（{case.case_no}）")
    co_units = session.scalars(
        select(Assignment.unit_name)
        .where(
            Assignment.case_id == case.id,
            Assignment.role == "co",
            Assignment.dispatched_at == lead.dispatched_at,
            Assignment.voided_at.is_(None),
        )
        .order_by(Assignment.created_at, Assignment.id)
    ).all()
    identity = session.get(DeskIdentity, 1)
    dispatcher = session.scalar(select(User.full_name).where(User.username == lead.dispatched_by))
    parties = [p for p in case.parties if p.voided_at is None]

    def names(role: str) -> tuple[str, ...]:
        return tuple(p.name for p in parties if p.role == role)

    return SlipData(
        center_name=identity.center_name if identity is not None else "",
        slip_no=lead.slip_no.strip() or case.case_no,
        case_no=case.case_no,
        title=case.title,
        dispute_type=_dispute_type(session, case),
        place=_place(session, case),
        applicants=names("applicant"),
        respondents=names("respondent"),
        third_parties=names("third_party"),
        facts=case.facts.strip(),
        claims=case.claims.strip(),
        lead_unit=lead.unit_name,
        co_units=tuple(dict.fromkeys(co_units)),
        asked=lead.asked.strip(),
        dispatched_at=lead.dispatched_at,
        dispatched_by=dispatcher or lead.dispatched_by,
        due_at=lead.due_at or case.handle_due_at,
        sign_due_at=lead.sign_due_at,
    )


# --- wording ------------------------------------------------------------------------------

#: Printed where a field was left empty at registration (never an empty cell).
EMPTY = "（未填写）"


def deadline_date(at: datetime) -> str:
    """A deadline's date (it is stored as the last moment of its Shanghai day)."""
    return chinese_date(local(at))


def party_lines(data: SlipData) -> list[str]:
    """申请人：甲、乙 / 被申请人：丙 / 第三人：丁 (names only, no ID numbers)."""
    lines = [
        f"{label}：{'、'.join(names)}"
        for label, names in (
            ("申请人", data.applicants),
            ("被申请人", data.respondents),
            ("第三人", data.third_parties),
        )
        if names
    ]
    return lines or [EMPTY]


def deadline_lines(data: SlipData) -> list[str]:
    """The handling deadline, then when to sign for the slip."""
    lines = [
        f"{deadline_date(data.due_at)}前办结并反馈办理结果"
        if data.due_at is not None
        else "按有关规定期限办理"
    ]
    if data.sign_due_at is not None:
        lines.append(f"请于{deadline_date(data.sign_due_at)}前签收")
    return lines


def note_items(data: SlipData) -> list[str]:
    """The notes under the table: handling and feedback, and how to send the matter back."""
    co = "，协办单位应积极配合" if data.co_units else ""
    return [
        f"一、请承办单位在办理期限内依法依规办理{co}，办结后将办理结果书面反馈本中心。",
        f"二、{RETURN_NOTE}，不得推诿、拖延。",
    ]


def check_printable(data: SlipData, fonts: FontSet) -> None:
    """Refuse (naming it) a character of the case's text that no font can print."""
    for what, text in (
        ("中心名称", data.center_name),
        ("交办单编号", data.slip_no),
        ("受理编号", data.case_no),
        ("案件名称", data.title),
        ("纠纷类型", data.dispute_type),
        ("发生地点", data.place),
        ("当事人姓名", "、".join(data.applicants + data.respondents + data.third_parties)),
        ("主要事实", data.facts),
        ("诉求", data.claims),
        ("承办单位", data.lead_unit),
        ("协办单位", "、".join(data.co_units)),
        ("交办事项", data.asked),
        ("交办人姓名", data.dispatched_by),
    ):
        fonts.check(text, what)


# --- layout -------------------------------------------------------------------------------

MARGIN: float = 25 * mm
TABLE_W = PAGE_W - 2 * MARGIN
BOTTOM: float = 20 * mm
BODY = 12.0  # 小四
SMALL = 10.5  # 五号
LEAD = BODY * 1.5
PAD_X: float = 2.5 * mm
PAD_Y: float = 1.8 * mm
LABEL_W: float = 24 * mm
#: Width of the value beside the first label of a two-pair row (案件编号 | … | 纠纷类型 | …).
PAIR_W: float = 62 * mm
#: Where the table starts on the first page and on a continuation page.
FIRST_TOP: float = PAGE_H - 54 * mm
NEXT_TOP: float = PAGE_H - 38 * mm
SIGN_BOX_H: float = 34 * mm
NOTE_GAP: float = 5 * mm
NOTE_LEAD = SMALL * 1.6
#: From the last line of the note down to the center's seal line, and from the date to the box.
SEAL_GAP: float = 9 * mm
BOX_GAP: float = 6 * mm

Line = tuple[float, str]  # (indent, text)


def _baseline(line_top: float) -> float:
    """The baseline of BODY text centred in a LEAD-high line box whose top is `line_top`."""
    return line_top - LEAD / 2 - 0.36 * BODY


@dataclass(frozen=True)
class _Cell:
    width: float
    lines: tuple[Line, ...]
    label: bool = False


@dataclass(frozen=True)
class _Row:
    cells: tuple[_Cell, ...]

    @property
    def height(self) -> float:
        return max(len(c.lines) for c in self.cells) * LEAD + 2 * PAD_Y

    @property
    def splittable(self) -> bool:
        return len(self.cells) == 2

    def split(self, count: int) -> tuple[_Row, _Row]:
        """This row with its first `count` value lines, and the rest as "（续）"."""
        label, value = self.cells
        head = _Row((label, replace(value, lines=value.lines[:count])))
        more = (label.lines[0], (0.0, "（续）"))
        tail = _Row((replace(label, lines=more), replace(value, lines=value.lines[count:])))
        return head, tail


@dataclass
class _Page:
    rows: list[_Row]
    #: The note, the seal and the signature block go on this page (the last).
    tail: bool = False


class _Slip:
    def __init__(self, data: SlipData, fonts: FontSet) -> None:
        self.d = data
        self.f = fonts

    # --- measuring ------------------------------------------------------------------------

    def _label(self, text: str) -> _Cell:
        return _Cell(LABEL_W, tuple((0.0, t) for t in text.split("\n")), label=True)

    def _value(self, width: float, texts: Sequence[str], hang: bool = False) -> _Cell:
        lines: list[Line] = []
        for text in texts:
            head = (text.partition("：")[0] + "：") if hang and "：" in text else ""
            lines += hanging_lines(self.f, text or EMPTY, BODY, width - 2 * PAD_X, head)
        return _Cell(width, tuple(lines))

    def _full(self, label: str, *texts: str, hang: bool = False) -> _Row:
        return _Row((self._label(label), self._value(TABLE_W - LABEL_W, texts, hang)))

    def _pair(self, label1: str, value1: str, label2: str, value2: str) -> _Row:
        rest = TABLE_W - 2 * LABEL_W - PAIR_W
        return _Row(
            (
                self._label(label1),
                self._value(PAIR_W, [value1]),
                self._label(label2),
                self._value(rest, [value2]),
            )
        )

    def rows(self) -> list[_Row]:
        d = self.d
        return [
            self._pair("案件编号", d.case_no, "纠纷类型", d.dispute_type),
            self._full("案件名称", d.title),
            self._full("发生地点", d.place),
            self._full("当事人", *party_lines(d), hang=True),
            self._full("主要事实", d.facts),
            self._full("诉求", d.claims),
            self._full("承办单位", d.lead_unit),
            self._full("协办单位", "、".join(d.co_units) or "无"),
            self._full("交办事项\n办理要求", d.asked),
            self._full("办理期限", *deadline_lines(d)),
            self._pair("交办人", d.dispatched_by, "交办时间", chinese_datetime(d.dispatched_at)),
        ]

    def notes(self) -> list[list[Line]]:
        width = TABLE_W - self.f.width("说明：", SMALL)
        return [hanging_lines(self.f, item, SMALL, width) for item in note_items(self.d)]

    def tail_height(self) -> float:
        note_lines = sum(len(n) for n in self.notes())
        note = NOTE_GAP + 0.8 * SMALL + (note_lines - 1) * NOTE_LEAD
        return note + SEAL_GAP + LEAD + BOX_GAP + SIGN_BOX_H

    def paginate(self) -> list[_Page]:
        pages = [_Page([])]
        room = FIRST_TOP - BOTTOM
        for row in self.rows():
            while row.height > room:
                fits = math.floor((room - 2 * PAD_Y) / LEAD + 1e-6)
                if row.splittable and fits >= 2:
                    head, row = row.split(fits)
                    pages[-1].rows.append(head)
                elif not pages[-1].rows:
                    break  # taller than a whole page and cannot be split: let it run
                pages.append(_Page([]))
                room = NEXT_TOP - BOTTOM
            pages[-1].rows.append(row)
            room -= row.height
        if self.tail_height() > room:
            pages.append(_Page([]))
        pages[-1].tail = True
        return pages

    # --- drawing --------------------------------------------------------------------------

    def first_heading(self, c: Canvas) -> None:
        f, d = self.f, self.d
        f.draw(c, PAGE_W / 2, PAGE_H - 24 * mm, d.center_name, 16, align="center", spacing=2)
        f.draw(c, PAGE_W / 2, PAGE_H - 38 * mm, TITLE, 22, align="center", spacing=6, bold=True)
        y = PAGE_H - 50 * mm
        f.draw(c, MARGIN, y, f"编号：{d.slip_no}", BODY)
        day = chinese_date(d.dispatched_local)
        f.draw(c, PAGE_W - MARGIN, y, f"交办日期：{day}", BODY, align="right")

    def next_heading(self, c: Canvas) -> None:
        f, d = self.f, self.d
        f.draw(c, PAGE_W / 2, PAGE_H - 24 * mm, f"{TITLE}（续页）", 16, align="center", bold=True)
        y = PAGE_H - 34 * mm
        f.draw(c, MARGIN, y, f"编号：{d.slip_no}", BODY)
        f.draw(c, PAGE_W - MARGIN, y, f"案件编号：{d.case_no}", BODY, align="right")

    def _text_block(self, c: Canvas, x: float, top: float, cell: _Cell, height: float) -> None:
        """A cell's lines: labels centred both ways (short ones spread), values from top left."""
        f = self.f
        if cell.label:
            top -= (height - len(cell.lines) * LEAD) / 2
        else:
            top -= PAD_Y
        for i, (indent, text) in enumerate(cell.lines):
            base = _baseline(top - i * LEAD)
            if not cell.label:
                f.draw(c, x + PAD_X + indent, base, text, BODY)
            elif len(text) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in text):
                spread = 4 * BODY
                f.draw_spread(c, x + (cell.width - spread) / 2, base, text, BODY, spread)
            else:
                f.draw(c, x + cell.width / 2, base, text, BODY, align="center")

    def table(self, c: Canvas, rows: Sequence[_Row], top: float) -> float:
        """Draw `rows` ruled from `top` down; return the table's bottom."""
        y = top
        c.saveState()
        c.setLineWidth(0.5)
        for row in rows:
            h = row.height
            x = MARGIN
            for cell in row.cells:
                c.rect(x, y - h, cell.width, h, stroke=1, fill=0)
                self._text_block(c, x, y, cell, h)
                x += cell.width
            y -= h
        if rows:
            c.setLineWidth(1.2)  # the outer frame, heavier
            c.rect(MARGIN, y, TABLE_W, top - y, stroke=1, fill=0)
        c.restoreState()
        return y

    def tail(self, c: Canvas, top: float) -> None:
        """The note, the center's seal and the unit's signature block, from `top` down."""
        f, d = self.f, self.d
        y = top - NOTE_GAP - 0.8 * SMALL
        label = "说明："
        f.draw(c, MARGIN, y, label, SMALL)
        left = MARGIN + f.width(label, SMALL)
        for i, (indent, text) in enumerate(line for note in self.notes() for line in note):
            if i:
                y -= NOTE_LEAD
            f.draw(c, left + indent, y, text, SMALL)

        # The seal goes over the center's name, the date centred under it.
        y -= SEAL_GAP
        right = PAGE_W - MARGIN - 2 * BODY
        seal = f"{d.center_name}（盖章）"
        f.draw(c, right, y, seal, BODY, align="right")
        day = chinese_date(d.dispatched_local)
        f.draw(c, right - f.width(seal, BODY) / 2, y - LEAD, day, BODY, align="center")

        top = y - LEAD - BOX_GAP
        c.saveState()
        c.setLineWidth(1.2)
        c.rect(MARGIN, top - SIGN_BOX_H, TABLE_W, SIGN_BOX_H, stroke=1, fill=0)
        c.setLineWidth(0.5)
        c.line(MARGIN + LABEL_W, top, MARGIN + LABEL_W, top - SIGN_BOX_H)
        c.restoreState()
        label_cell = _Cell(LABEL_W, ((0.0, "签收回执"),), label=True)
        self._text_block(c, MARGIN, top, label_cell, SIGN_BOX_H)
        x = MARGIN + LABEL_W + PAD_X
        f.draw(c, x, _baseline(top - PAD_Y), "签收单位（盖章）：", BODY)
        low = _baseline(top - SIGN_BOX_H + PAD_Y + LEAD)
        f.draw(c, x, low, "签收人：", BODY)
        when = f"签收时间：{'':6}年{'':4}月{'':4}日{'':4}时{'':4}分"
        f.draw(c, PAGE_W - MARGIN - PAD_X, low, when, BODY, align="right")

    def footer(self, c: Canvas, page: int, total: int) -> None:
        if total > 1:
            text = f"第 {page} 页  共 {total} 页"
            self.f.draw(c, PAGE_W / 2, 12 * mm, text, SMALL, align="center")

    def draw(self, c: Canvas) -> None:
        pages = self.paginate()
        for number, page in enumerate(pages, start=1):
            if number == 1:
                self.first_heading(c)
                top = FIRST_TOP
            else:
                self.next_heading(c)
                top = NEXT_TOP
            bottom = self.table(c, page.rows, top)
            if page.tail:
                self.tail(c, bottom)
            self.footer(c, number, len(pages))
            c.showPage()


def render_slip(data: SlipData, fonts: FontSet | None = None) -> bytes:
    """The routing slip as PDF bytes: A4, one page or more, fonts embedded as subsets.

    Raises:
        MissingGlyph: a character that no font has (never printed as a blank).
    """
    fonts = fonts or load_fonts()
    check_printable(data, fonts)
    return build_pdf(
        fonts,
        _Slip(data, fonts).draw,
        title=f"{TITLE} {data.slip_no}",
        author=data.center_name,
        subject=TITLE,
    )


# --- for the GUI and the command line -------------------------------------------------------


def _case_id(desk: Desk, case: uuid.UUID | str) -> uuid.UUID | str:
    """A case id for `slip_data`: a UUID as is, a number (full or short) or code looked up."""
    if isinstance(case, uuid.UUID):
        return case
    try:
        return uuid.UUID(case.strip())
    except ValueError:
        from desk_app.services.printing.receipt import find_case

        return find_case(desk.db, case)


def read_slip(desk: Desk, actor: Actor, case: uuid.UUID | str) -> SlipData:
    """The slip of a case (id, case number in full or short, or verification code).

    Any logged-in user may print it.
    """
    require(actor, *Role)
    key = _case_id(desk, case)
    with desk.db.read() as s:
        return slip_data(s, key)


def slip_pdf(desk: Desk, actor: Actor, case: uuid.UUID | str) -> bytes:
    """The routing slip of a case's latest dispatch as PDF bytes."""
    data = read_slip(desk, actor, case)
    return render_slip(data, load_fonts(desk.settings))


def print_slip(desk: Desk, actor: Actor, case: uuid.UUID | str, path: Path) -> SlipData:
    """Write the routing slip of a case to `path` (replaced whole, never left half-written)."""
    data = read_slip(desk, actor, case)
    write_file(path, render_slip(data, load_fonts(desk.settings)))
    return data


__all__ = [
    "NOT_DISPATCHED",
    "SlipData",
    "print_slip",
    "read_slip",
    "render_slip",
    "slip_data",
    "slip_pdf",
]
