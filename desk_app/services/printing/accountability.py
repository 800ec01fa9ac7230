"""The unit assessment table (责任单位考评情况统计表): what year-end assessment needs, on paper.

A4 landscape. Above the table the center's name, the title, the period and
when it was made. Section 一 is one row per unit (`services.accountability`:
dispatches, open and overdue cases, returns, late signatures, feedback and the
average handling time, the supervision ladder by rung, missed joint
mediations), most serious first, a 合计 row under it and a note on what each
column counts; units with 挂牌督办, 通报 or 约谈 are shaded. Section 二 lists
those records (unit, case number, date, message, the unit's response).

Long unit names and texts wrap inside their cells; a table that runs over a
page continues on the next under its header row again (a row too tall for a
whole page is split, "（续）" marking the rest). Every page is numbered
"第 N 页 共 M 页". Times print in Asia/Shanghai.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desk_app.services import accountability
from desk_app.services.accountability import (
    SUPERVISION_LEVELS,
    Report,
    UnitFigures,
    UnitRecord,
)
from desk_app.services.desk import Desk
from desk_app.services.printing import write_file
from desk_app.services.printing.fonts import FontSet, load_fonts
from desk_app.services.printing.layout import build_pdf, chinese_date, chinese_datetime, local
from desk_app.services.roles import Actor

TITLE = "责任单位考评情况统计表"
SECTION_UNITS = "一、各责任单位办理及督办情况"
SECTION_SERIOUS = "二、挂牌督办、通报、约谈情况"
NO_UNITS = "统计期间内没有交办、督办或联合调解记录，也没有在办案件。"
NO_SERIOUS = "统计期间内没有挂牌督办、通报、约谈记录。"
NOTES = (
    "1. 交办、退单、超时签收、反馈、督办和联合调解缺席为统计期间内的件（次）数；"
    "在办、超期为生成时的件数（超期：单位仍在办理且已过签收或办理期限，暂停计时的除外）。",
    "2. 交办只计责任单位（牵头），不计协办单位；退单后重新交办的另计一次。",
    "3. 平均办理天数为统计期间内反馈的案件自交办至反馈的平均自然日数（含暂停计时）。",
    "4. 灰底为统计期间内有挂牌督办、通报或约谈记录的单位，其记录见第二部分。",
)

# --- layout -------------------------------------------------------------------------------

PAGE_W, PAGE_H = landscape(A4)
MARGIN: float = 15 * mm
TABLE_W = PAGE_W - 2 * MARGIN
TOP: float = PAGE_H - 14 * mm
BOTTOM: float = 16 * mm
#: Where the content starts on a continuation page (under its running head).
NEXT_Y: float = TOP - 7 * mm
BODY = 10.0
HEAD = 9.0
SMALL = 9.0
LEAD = BODY * 1.3
HEAD_LEAD = HEAD * 1.3
NOTE_LEAD = SMALL * 1.6
PAD_X: float = 1.5 * mm
PAD_Y: float = 1.1 * mm
SHADE = 0.88  # grey level of a serious unit's row

Line = str


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: str = "left"  # left | right | center
    #: The spanning header above this column ("" for none: the title spans both rows).
    group: str = ""


@dataclass(frozen=True)
class Row:
    cells: tuple[tuple[Line, ...], ...]
    shaded: bool = False
    #: Drawn as the table's closing row (合计): its first two cells joined.
    total: bool = False
    #: Never the last row on a page (the one before 合计).
    keep_with_next: bool = False

    @property
    def height(self) -> float:
        return max(len(c) for c in self.cells) * LEAD + 2 * PAD_Y

    def split(self, count: int) -> tuple[Row, Row]:
        """This row with its first `count` lines, and the rest (marked 续 in the first cell)."""
        head = replace(self, cells=tuple(c[:count] for c in self.cells))
        rest = tuple(c[count:] for c in self.cells)
        first = (*self.cells[0][:1], "（续）")
        return head, replace(self, cells=(first, *rest[1:]))


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


UNIT_COLUMNS = (
    Column("序号", 10 * mm, "center"),
    Column("责任单位", 67 * mm),
    Column("交办", 15 * mm, "right"),
    Column("在办", 15 * mm, "right"),
    Column("超期", 15 * mm, "right"),
    Column("退单", 15 * mm, "right"),
    Column("超时\n签收", 15 * mm, "right"),
    Column("反馈", 15 * mm, "right"),
    Column("平均办理\n天数", 19 * mm, "right"),
    *(
        Column(
            label if len(label) < 4 else f"{label[:2]}\n{label[2:]}",
            13 * mm,
            "right",
            "督办情况（次）",
        )
        for label in SUPERVISION_LEVELS.values()
    ),
    Column("联合调解\n缺席", 16 * mm, "right"),
)
RECORD_COLUMNS = (
    Column("序号", 10 * mm, "center"),
    Column("责任单位", 44 * mm),
    Column("类别", 18 * mm, "center"),
    Column("案件编号", 46 * mm),
    Column("日期", 31 * mm, "center"),
    Column("督办内容", 59 * mm),
    Column("单位回复", 59 * mm),
)


def _check_widths() -> None:
    for columns in (UNIT_COLUMNS, RECORD_COLUMNS):
        assert math.isclose(sum(c.width for c in columns), TABLE_W, abs_tol=0.5), columns


_check_widths()


# --- wording ------------------------------------------------------------------------------


def number(value: int) -> str:
    return str(value)


def days(value: float | None) -> str:
    """The average handling time, one decimal ("—" when nothing was fed back)."""
    return "—" if value is None else f"{value:.1f}"


def unit_cells(index: str, f: UnitFigures) -> list[str]:
    return [
        index,
        f.unit_name,
        number(f.dispatched),
        number(f.open_now),
        number(f.overdue_now),
        number(f.returned),
        number(f.signed_late),
        number(f.handled),
        days(f.avg_handling_days),
        *(number(f.supervision(level)) for level in SUPERVISION_LEVELS),
        number(f.absent),
    ]


def record_cells(index: int, r: UnitRecord) -> list[str]:
    response = r.response.strip()
    if response and r.responded_at is not None:
        response += f"（{chinese_date(local(r.responded_at))}）"
    return [
        str(index),
        r.unit_name,
        r.label,
        r.case_no,
        chinese_date(local(r.at)),
        r.message.strip() or "（无）",
        response or "（未回复）",
    ]


def check_printable(report: Report, center_name: str, fonts: FontSet) -> None:
    """Refuse (naming it) a character that no font can print."""
    fonts.check(center_name, "中心名称")
    for f in report.figures:
        fonts.check(f.unit_name, "单位名称")
    for r in report.serious:
        for what, text in (
            ("单位名称", r.unit_name),
            ("案件编号", r.case_no),
            ("督办内容", r.message),
            ("单位回复", r.response),
        ):
            fonts.check(text, what)


# --- drawing ------------------------------------------------------------------------------

Draw = Callable[[Canvas], object]


@dataclass
class _Page:
    ops: list[Draw] = field(default_factory=list)


class _Sheet:
    """Lays the document out page by page (as drawing operations), then draws it numbered."""

    def __init__(self, fonts: FontSet, report: Report, center_name: str) -> None:
        self.f = fonts
        self.report = report
        self.center_name = center_name
        self.pages: list[_Page] = []
        self.y = 0.0
        self.new_page()

    # --- measuring ------------------------------------------------------------------------

    def lines(self, text: str, width: float, size: float = BODY) -> tuple[str, ...]:
        return tuple(self.f.wrap(text, size, width - 2 * PAD_X)) or ("",)

    def row(self, columns: Sequence[Column], texts: Sequence[str], **kw: bool) -> Row:
        return Row(tuple(self.lines(t, c.width) for c, t in zip(columns, texts, strict=True)), **kw)

    # --- pages ----------------------------------------------------------------------------

    def op(self, draw: Draw) -> None:
        self.pages[-1].ops.append(draw)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        align: str = "left",
        spacing: float = 0.0,
        bold: bool = False,
    ) -> None:
        """Text on the current page (see `FontSet.draw`)."""
        f = self.f
        self.op(lambda c: f.draw(c, x, y, text, size, align=align, spacing=spacing, bold=bold))

    def new_page(self) -> None:
        first = not self.pages
        self.pages.append(_Page())
        rep = self.report
        period = f"统计期间：{rep.period}"
        made = f"生成时间：{chinese_datetime(rep.now)}"
        if first:
            center, y_center = self.center_name, TOP - 4 * mm
            y_title, y_info = TOP - 14 * mm, TOP - 23 * mm
            self.text(PAGE_W / 2, y_center, center, 14, align="center")
            self.text(PAGE_W / 2, y_title, TITLE, 20, align="center", spacing=3, bold=True)
            self.text(MARGIN, y_info, period, BODY)
            self.text(PAGE_W - MARGIN, y_info, made, BODY, align="right")
            self.y = y_info - 5 * mm
        else:
            y_head = TOP - 3 * mm
            head = f"{TITLE}（续）"
            self.text(MARGIN, y_head, head, BODY + 1, bold=True)
            self.text(PAGE_W - MARGIN, y_head, period, SMALL, align="right")
            self.y = NEXT_Y

    def room(self) -> float:
        return self.y - BOTTOM

    # --- blocks ---------------------------------------------------------------------------

    def heading(self, text: str, keep: float) -> None:
        """A section heading, kept on one page with the `keep` points after it."""
        if self.room() < LEAD + 2 * mm + keep:
            self.new_page()
        y = self.y - BODY - 1 * mm
        self.text(MARGIN, y, text, BODY + 2, bold=True)
        self.y = y - 3 * mm

    def paragraph(self, text: str, size: float = BODY, indent: float = 0.0) -> None:
        width = TABLE_W - indent
        lines = self.f.wrap(text, size, width)
        lead = size * 1.6
        for line in lines:
            if self.room() < lead:
                self.new_page()
            self.text(MARGIN + indent, self.y - size, line, size)
            self.y -= lead

    def header_height(self, columns: Sequence[Column]) -> float:
        grouped = any(c.group for c in columns)
        tallest = max(len(self.lines(c.title, c.width, HEAD)) for c in columns)
        single = tallest * HEAD_LEAD + 2 * PAD_Y
        return single + (HEAD_LEAD + 2 * PAD_Y if grouped else 0.0)

    def table_header(self, columns: Sequence[Column]) -> None:
        """The header row(s), at the current position: a group's title spans its columns."""
        f = self.f
        top = self.y
        height = self.header_height(columns)
        group_h = HEAD_LEAD + 2 * PAD_Y if any(c.group for c in columns) else 0.0
        x = MARGIN
        boxes: list[tuple[float, float, float, float, tuple[str, ...]]] = []
        i = 0
        while i < len(columns):
            col = columns[i]
            if not col.group:
                boxes.append((x, top, col.width, height, self.lines(col.title, col.width, HEAD)))
                x += col.width
                i += 1
                continue
            span = 1
            while i + span < len(columns) and columns[i + span].group == col.group:
                span += 1
            members = columns[i : i + span]
            width = sum(c.width for c in members)
            boxes.append((x, top, width, group_h, self.lines(col.group, width, HEAD)))
            for c in members:
                lines = self.lines(c.title, c.width, HEAD)
                boxes.append((x, top - group_h, c.width, height - group_h, lines))
                x += c.width
            i += span

        def draw(c: Canvas) -> None:
            c.saveState()
            c.setFillGray(0.94)
            c.setLineWidth(0.5)
            for bx, by, bw, bh, _lines in boxes:
                c.rect(bx, by - bh, bw, bh, stroke=1, fill=1)
            c.setFillGray(0)
            for bx, by, bw, bh, lines in boxes:
                first = by - (bh - len(lines) * HEAD_LEAD) / 2
                for n, line in enumerate(lines):
                    base = first - n * HEAD_LEAD - HEAD_LEAD / 2 - 0.36 * HEAD
                    f.draw(c, bx + bw / 2, base, line, HEAD, align="center")
            c.setLineWidth(1.0)
            c.rect(MARGIN, top - height, TABLE_W, height, stroke=1, fill=0)
            c.restoreState()

        self.op(draw)
        self.y = top - height

    def table_row(self, columns: Sequence[Column], row: Row) -> None:
        f = self.f
        top = self.y
        height = row.height

        def draw(c: Canvas) -> None:
            c.saveState()
            c.setLineWidth(0.5)
            if row.shaded:
                c.setFillGray(SHADE)
                c.rect(MARGIN, top - height, TABLE_W, height, stroke=0, fill=1)
                c.setFillGray(0)
            x = MARGIN
            cells = list(zip(columns, row.cells, strict=True))
            if row.total:  # 合计 spans the number and the unit columns
                (c0, _), (c1, _) = cells[0], cells[1]
                joined = Column("", c0.width + c1.width, "center")
                cells = [(joined, row.cells[1] or row.cells[0]), *cells[2:]]
            for col, lines in cells:
                c.rect(x, top - height, col.width, height, stroke=1, fill=0)
                # A cell shorter than its row sits in the middle of it (numbers beside a
                # unit name on two lines).
                first = top - (height - len(lines) * LEAD) / 2
                for n, line in enumerate(lines):
                    base = first - n * LEAD - LEAD / 2 - 0.36 * BODY
                    if col.align == "right":
                        f.draw(c, x + col.width - PAD_X, base, line, BODY, align="right")
                    elif col.align == "center":
                        f.draw(c, x + col.width / 2, base, line, BODY, align="center")
                    else:
                        f.draw(c, x + PAD_X, base, line, BODY)
                x += col.width
            c.restoreState()

        self.op(draw)
        self.y = top - height

    def frame(self, top: float) -> None:
        """The heavier outer line of the part of a table on this page."""
        bottom = self.y

        def draw(c: Canvas) -> None:
            c.saveState()
            c.setLineWidth(1.0)
            c.rect(MARGIN, bottom, TABLE_W, top - bottom, stroke=1, fill=0)
            c.restoreState()

        self.op(draw)

    def table(self, table: Table) -> None:
        """The table from the current position on, its header again on every page."""
        columns = table.columns
        head = self.header_height(columns)
        # A row taller than a continuation page's room is split; a shorter one moves whole.
        whole = NEXT_Y - BOTTOM - head
        rows = list(table.rows)
        if rows and self.room() < head + min(rows[0].height, 3 * LEAD + 2 * PAD_Y):
            self.new_page()
        top = self.y
        self.table_header(columns)
        fresh = True  # nothing under the header on this page yet
        while rows:
            row = rows.pop(0)
            needed = row.height + (rows[0].height if row.keep_with_next and rows else 0.0)
            if needed <= self.room() or (fresh and row.height <= self.room()):
                self.table_row(columns, row)
                fresh = False
                continue
            if row.height > whole:  # taller than any page: what fits goes here
                fits = math.floor((self.room() - 2 * PAD_Y) / LEAD + 1e-6)
                if fits >= 2:
                    part, row = row.split(fits)
                    self.table_row(columns, part)
            rows.insert(0, row)
            self.frame(top)
            self.new_page()
            top = self.y
            self.table_header(columns)
            fresh = True
        self.frame(top)

    # --- the document -----------------------------------------------------------------------

    def build(self) -> None:
        rep = self.report
        cols = UNIT_COLUMNS
        rows = [
            self.row(cols, unit_cells(str(i), f), shaded=f.serious > 0)
            for i, f in enumerate(rep.figures, start=1)
        ]
        if rows:
            rows[-1] = replace(rows[-1], keep_with_next=True)
        self.heading(SECTION_UNITS, self.header_height(cols) + LEAD * 2)
        if rows:
            rows.append(self.row(cols, unit_cells("", rep.total), total=True))
            self.table(Table(cols, tuple(rows)))
        else:
            self.paragraph(NO_UNITS)
        self.y -= 2 * mm
        for note in NOTES:
            self.paragraph(note, SMALL)

        self.y -= 4 * mm
        cols = RECORD_COLUMNS
        records = [self.row(cols, record_cells(i, r)) for i, r in enumerate(rep.serious, 1)]
        self.heading(SECTION_SERIOUS, self.header_height(cols) + LEAD * 2)
        if records:
            self.table(Table(cols, tuple(records)))
        else:
            self.paragraph(NO_SERIOUS)

    def draw(self, c: Canvas) -> None:
        c.setPageSize((PAGE_W, PAGE_H))
        total = len(self.pages)
        for number_, page in enumerate(self.pages, start=1):
            for op in page.ops:
                op(c)
            text = f"第 {number_} 页  共 {total} 页"
            self.f.draw(c, PAGE_W / 2, 9 * mm, text, SMALL, align="center")
            c.showPage()


def render(report: Report, center_name: str, fonts: FontSet | None = None) -> bytes:
    """The assessment table as PDF bytes: A4 landscape, fonts embedded as subsets.

    Raises:
        MissingGlyph: a character that no font has (never printed as a blank).
    """
    fonts = fonts or load_fonts()
    check_printable(report, center_name, fonts)
    sheet = _Sheet(fonts, report, center_name)
    sheet.build()
    return build_pdf(
        fonts, sheet.draw, title=f"{TITLE}（{report.period}）", author=center_name, subject=TITLE
    )


# --- for the GUI and the command line -------------------------------------------------------


def accountability_pdf(
    desk: Desk, actor: Actor, since: datetime, until: datetime, now: datetime | None = None
) -> bytes:
    """The assessment table of [since, until) as PDF bytes (open cases counted at `now`)."""
    report = accountability.load_report(desk, actor, since, until, now)
    return render(report, desk.identity.center_name, load_fonts(desk.settings))


def print_accountability(
    desk: Desk, actor: Actor, since: datetime, until: datetime, path: Path
) -> Report:
    """Write the assessment table to `path` (replaced whole, never left half-written)."""
    report = accountability.load_report(desk, actor, since, until)
    write_file(path, render(report, desk.identity.center_name, load_fonts(desk.settings)))
    return report


__all__ = ["TITLE", "accountability_pdf", "print_accountability", "render"]
