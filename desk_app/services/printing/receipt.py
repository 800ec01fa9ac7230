"""The walk-in receipt (受理回执), printed right after a case is registered.

One A4 sheet in two parts cut apart along a dashed line, as offices print
them: the upper half is the receipt handed to the visitor (回执联), the lower
half the stub the visitor signs and the center files (存根联).

The receipt says who received what and when: center, case number, the
verification code and a QR code carrying only those two (see `codes`), the
received time (Asia/Shanghai), the clerk, the applicants' names, the matter,
what happens next and by when (triage the same day: DOMAIN.md's default,
fixed until the triage issue makes limits configurable), and how to ask about
progress (the center's phone, the code, the query address when configured).

A case registered before verification codes existed has none: printing its
receipt gives it one first, in a unit of work of its own (a recorded patch,
synced like any change).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from desk_app.models import Case, DeskIdentity, Party, User
from desk_app.models.db import Database
from desk_app.services import search
from desk_app.services.cases import new_verify_code
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.printing import codes, write_file
from desk_app.services.printing.fonts import FontSet, load_fonts
from desk_app.services.printing.layout import (
    PAGE_H,
    PAGE_W,
    build_pdf,
    chinese_date,
    hanging_lines,
)
from desk_app.services.roles import Actor, Role, require
from desk_app.services.settings import CENTER_PHONE, PROGRESS_URL

#: Applicants named on the receipt; a larger group visit is "甲、乙 … 等 N 人".
MAX_NAMES = 6


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed on a receipt, read from the database and the settings."""

    center_name: str
    case_no: str
    verify_code: str
    title: str
    received_at: datetime
    clerk: str
    applicants: tuple[str, ...]
    voided: bool = False
    center_phone: str = ""
    #: The progress-query address of this case ("" when the center has none).
    progress_url: str = ""

    @property
    def qr_value(self) -> str:
        return self.progress_url or codes.qr_text(self.case_no, self.verify_code)

    @property
    def received_local(self) -> datetime:
        return self.received_at.astimezone(SHANGHAI)


# --- data -------------------------------------------------------------------------------


def read_receipt(db: Database, case_id: uuid.UUID) -> ReceiptData:
    """The receipt's data as stored (settings not applied; the code may be "").

    Raises:
        DeskError: the case is not on this desk.
    """
    with db.read() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise DeskError("找不到该案件：它可能尚未同步到本窗口，请核对后重新查询")
        identity = s.get(DeskIdentity, 1)
        clerk = s.scalar(select(User.full_name).where(User.username == case.registered_by))
        names = s.scalars(
            select(Party.name)
            .where(Party.case_id == case_id, Party.role == "applicant", Party.voided_at.is_(None))
            .order_by(Party.sort_order)
        ).all()
        return ReceiptData(
            center_name=identity.center_name if identity is not None else "",
            case_no=case.case_no,
            verify_code=case.verify_code,
            title=case.title,
            received_at=case.received_at,
            clerk=clerk or case.registered_by,
            applicants=tuple(names),
            voided=case.voided_at is not None,
        )


def ensure_verify_code(desk: Desk, actor: Actor, case_id: uuid.UUID) -> str:
    """The case's verification code, given one first if it has none (older cases)."""
    require(actor, Role.CLERK, Role.OFFICER)
    with desk.uow(actor) as uow:
        case = uow.session.get(Case, case_id)
        if case is None:
            raise DeskError("找不到该案件：它可能尚未同步到本窗口，请核对后重新查询")
        if not case.verify_code:
            case.verify_code = new_verify_code()
            uow.event(
                case_id,
                "verify_code_assigned",
                "补发查询验证码（打印受理回执）",
                {"verify_code": case.verify_code},
            )
        return case.verify_code


def receipt_data(desk: Desk, actor: Actor, case_id: uuid.UUID) -> ReceiptData:
    """The receipt of a case as it will print: with its code and the center's settings."""
    data = read_receipt(desk.db, case_id)
    if data.voided:
        raise DeskError(f"案件 {data.case_no} 已作废，不能打印受理回执")
    if not data.verify_code:
        data = replace(data, verify_code=ensure_verify_code(desk, actor, case_id))
    template = desk.settings.get(PROGRESS_URL).strip()
    return replace(
        data,
        center_phone=desk.settings.get(CENTER_PHONE).strip(),
        progress_url=(
            codes.progress_address(template, data.case_no, data.verify_code) if template else ""
        ),
    )


def find_case(db: Database, text: str) -> uuid.UUID:
    """The one case a case number (full or short form) or a verification code names.

    Raises:
        DeskError: no case, or more than one, matches.
    """
    query = text.strip()
    case_no, code = codes.parse_scanned(query)
    with db.read() as s:
        if code:
            ids = codes.case_ids_by_code(s, code)
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                raise DeskError(f"验证码 {code} 对应多个案件：请改用受理编号")
        exact = s.scalar(select(Case.id).where(Case.case_no == (case_no or query)))
        if exact is not None:
            return exact
    if search.classify(query) == "case_no":
        rows = search.lookup(db, query, limit=10)
        if len(rows) == 1:
            return rows[0].id
        if len(rows) > 1:
            numbers = "、".join(r.case_no for r in rows[:5])
            raise DeskError(f"“{query}”对应多个案件（{numbers}）：请输入完整的受理编号")
    raise DeskError(f"找不到受理编号或验证码为“{query}”的案件：请核对后重试")


# --- wording ------------------------------------------------------------------------------


def applicant_names(names: Sequence[str], shown: int = MAX_NAMES) -> str:
    """甲、乙、丙, or 甲、乙 等 5 人 when only `shown` of them are named."""
    if len(names) <= shown:
        return "、".join(names)
    return "、".join(names[:shown]) + f" 等 {len(names)} 人"


def notice_items(data: ReceiptData) -> list[str]:
    """The numbered notice: what happens next, by when, and how to ask about progress."""
    day = chinese_date(data.received_local)
    ways = ["到本中心窗口查询"]
    if data.center_phone:
        ways.append(f"拨打电话 {data.center_phone} 查询")
    if data.progress_url:
        ways.append("用手机扫描右上方二维码查询")
    return [
        f"一、您反映的事项已登记受理。本中心将于受理当日（{day}）内完成研判，"
        "确定办理层级和责任单位。",
        "二、事项交办后，由责任单位依法依规办理，办理情况和结果将及时告知您。",
        f"三、查询办理进度：凭受理编号和验证码{'，或'.join(ways)}。"
        "验证码仅用于查询本件，请妥善保管本回执，再次来访时请出示。",
    ]


# --- drawing ------------------------------------------------------------------------------

MARGIN = 22 * mm
CUT_Y = PAGE_H / 2
BODY = 12.0  # 小四
SMALL = 10.5  # 五号
LABEL_W = 4 * BODY
ROW = BODY * 1.6


class _Sheet:
    def __init__(self, canvas: Canvas, fonts: FontSet) -> None:
        self.c = canvas
        self.f = fonts

    def field(
        self, x: float, y: float, label: str, value: str, width: float, max_lines: int = 2
    ) -> float:
        """A `label：value` row (value wrapped under itself, cut with … after `max_lines`)."""
        self.f.draw_spread(self.c, x, y, label, BODY, LABEL_W)
        self.f.draw(self.c, x + LABEL_W, y, "：", BODY)
        left = x + LABEL_W + BODY
        lines = self.f.wrap(value, BODY, width - (left - x))
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            last = lines[-1]
            while last and self.f.width(last + "…", BODY) > width - (left - x):
                last = last[:-1]
            lines[-1] = last + "…"
        for line in lines:
            self.f.draw(self.c, left, y, line, BODY)
            y -= ROW
        return y

    def names_that_fit(self, names: Sequence[str], width: float, lines: int = 2) -> str:
        """The applicants' names, as many as fit on `lines` lines, then "等 N 人"."""
        value_width = width - LABEL_W - BODY
        for shown in range(min(len(names), MAX_NAMES), 0, -1):
            text = applicant_names(names, shown)
            if len(self.f.wrap(text, BODY, value_width)) <= lines:
                return text
        return applicant_names(names, 1)

    def paragraph(self, x: float, y: float, text: str, size: float, width: float) -> float:
        """A paragraph whose second and later lines hang under its text (after "一、")."""
        for indent, line in hanging_lines(self.f, text, size, width):
            self.f.draw(self.c, x + indent, y, line, size)
            y -= size * 1.6
        return y

    def qr(self, value: str, x: float, y: float, size: float) -> None:
        """The QR code of `value` in a `size` square at (x, y), its quiet zone outside it.

        Drawn here from the encoder's modules, a rectangle per run of dark modules:
        renderPDF would add an unused, unembedded Helvetica to the file.
        """
        # Imported here: the barcode package loads every barcode kind (0.1 s) on import.
        from reportlab.graphics.barcode import qrencoder

        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(value)
        code.make()
        count = code.getModuleCount()
        module = size / count
        self.c.saveState()
        self.c.setFillColorRGB(0, 0, 0)
        for r, row in enumerate(code.modules):
            top = y + size - (r + 1) * module
            for dark, group in itertools.groupby(enumerate(row), key=lambda cell: bool(cell[1])):
                cells = list(group)
                if dark:
                    left = x + cells[0][0] * module
                    self.c.rect(left, top, len(cells) * module, module, stroke=0, fill=1)
        self.c.restoreState()


def _receipt_half(sheet: _Sheet, data: ReceiptData) -> None:
    c, f = sheet.c, sheet.f
    right = PAGE_W - MARGIN
    f.draw(c, right, PAGE_H - 10 * mm, "第一联  交来访人收执", 9, align="right")
    f.draw(c, PAGE_W / 2, PAGE_H - 19 * mm, data.center_name, 15, align="center", spacing=1)
    f.draw(c, PAGE_W / 2, PAGE_H - 31 * mm, "受理回执", 22, align="center", spacing=8, bold=True)

    qr_size = 30 * mm
    qr_x, qr_top = right - qr_size, PAGE_H - 37 * mm
    sheet.qr(data.qr_value, qr_x, qr_top - qr_size, qr_size)
    caption = "扫码查询办理进度" if data.progress_url else "再次来访请出示此码"
    f.draw(c, qr_x + qr_size / 2, qr_top - qr_size - 4 * mm, caption, 8, align="center")

    width = qr_x - 6 * mm - MARGIN
    y = PAGE_H - 43 * mm
    y = sheet.field(MARGIN, y, "受理编号", data.case_no, width)
    y = sheet.field(MARGIN, y, "验证码", data.verify_code, width)
    y = sheet.field(MARGIN, y, "申请人", sheet.names_that_fit(data.applicants, width), width)
    y = sheet.field(MARGIN, y, "事项", data.title, width)
    received = f"{chinese_date(data.received_local)} {data.received_local:%H:%M}"
    y = sheet.field(MARGIN, y, "受理时间", received, width)
    y = sheet.field(MARGIN, y, "受理人", data.clerk, width)

    y -= 2 * mm
    f.draw(c, MARGIN, y, "办理告知", BODY, bold=True)
    y -= ROW
    for item in notice_items(data):
        y = sheet.paragraph(MARGIN, y, item, SMALL, right - MARGIN)

    # The seal goes over the center's name; the date sits centred under it, or beside it
    # when a long title and many names leave no room above the cut.
    seal = f"{data.center_name}（盖章）"
    day = chinese_date(data.received_local)
    sign_y = min(CUT_Y + 20 * mm, y - 6 * mm)
    if sign_y - ROW >= CUT_Y + 5 * mm:
        f.draw(c, right - 2 * BODY, sign_y, seal, BODY, align="right")
        centre = right - 2 * BODY - f.width(seal, BODY) / 2
        f.draw(c, centre, sign_y - ROW, day, BODY, align="center")
    else:
        f.draw(c, right, max(sign_y, CUT_Y + 5 * mm), f"{seal}    {day}", BODY, align="right")


def _cut_line(sheet: _Sheet) -> None:
    c, f = sheet.c, sheet.f
    label = "沿 此 线 剪 开"
    gap = f.width(label, 8) / 2 + 3 * mm
    c.saveState()
    c.setDash(4, 3)
    c.setLineWidth(0.5)
    c.line(12 * mm, CUT_Y, PAGE_W / 2 - gap, CUT_Y)
    c.line(PAGE_W / 2 + gap, CUT_Y, PAGE_W - 12 * mm, CUT_Y)
    c.restoreState()
    f.draw(c, PAGE_W / 2, CUT_Y - 1 * mm, label, 8, align="center")


def _stub_half(sheet: _Sheet, data: ReceiptData) -> None:
    c, f = sheet.c, sheet.f
    top = CUT_Y - 12 * mm
    right = PAGE_W - MARGIN
    f.draw(c, right, top + 4 * mm, "第二联  中心存档", 9, align="right")
    f.draw(c, PAGE_W / 2, top - 8 * mm, "受理回执存根", 18, align="center", spacing=4, bold=True)
    width = right - MARGIN
    y = top - 22 * mm
    y = sheet.field(MARGIN, y, "受理编号", data.case_no, width)
    y = sheet.field(MARGIN, y, "申请人", applicant_names(data.applicants), width)
    y = sheet.field(MARGIN, y, "事项", data.title, width)
    received = f"{chinese_date(data.received_local)} {data.received_local:%H:%M}"
    y = sheet.field(MARGIN, y, "受理时间", received, width)
    y = sheet.field(MARGIN, y, "受理人", data.clerk, width)
    y -= 4 * mm
    f.draw(c, MARGIN, y, "以上事项已受理，受理回执已交来访人收执。", BODY)
    y -= 16 * mm
    f.draw(c, MARGIN, y, "来访人签收：", BODY)
    c.setLineWidth(0.5)
    c.line(MARGIN + 6 * BODY, y - 2, MARGIN + 6 * BODY + 45 * mm, y - 2)
    f.draw(c, right, y, "年      月      日", BODY, align="right")


def check_printable(data: ReceiptData, fonts: FontSet) -> None:
    """Refuse (naming it) a character of the case's text that no font can print."""
    for what, text in (
        ("中心名称", data.center_name),
        ("受理编号", data.case_no),
        ("申请人姓名", "、".join(data.applicants)),
        ("事项标题", data.title),
        ("受理人姓名", data.clerk),
        ("中心电话", data.center_phone),
    ):
        fonts.check(text, what)


def build_receipt(data: ReceiptData, fonts: FontSet | None = None) -> bytes:
    """The receipt as PDF bytes: one A4 page, fonts embedded as subsets.

    Raises:
        MissingGlyph: a character that no font has (never printed as a blank).
    """
    fonts = fonts or load_fonts()
    check_printable(data, fonts)
    chosen = fonts

    def draw(canvas: Canvas) -> None:
        sheet = _Sheet(canvas, chosen)
        _receipt_half(sheet, data)
        _cut_line(sheet)
        _stub_half(sheet, data)
        canvas.showPage()

    return build_pdf(
        fonts, draw, title=f"受理回执 {data.case_no}", author=data.center_name, subject="受理回执"
    )


def receipt_pdf(desk: Desk, actor: Actor, case_id: uuid.UUID) -> bytes:
    """The receipt of a case as PDF bytes (gives an older case its code first)."""
    data = receipt_data(desk, actor, case_id)
    return build_receipt(data, load_fonts(desk.settings))


def write_receipt(desk: Desk, actor: Actor, case_id: uuid.UUID, path: Path) -> ReceiptData:
    """Write the receipt of a case to `path` (replaced whole, never left half-written)."""
    data = receipt_data(desk, actor, case_id)
    pdf = build_receipt(data, load_fonts(desk.settings))
    write_file(path, pdf)
    return data


__all__ = [
    "ReceiptData",
    "build_receipt",
    "ensure_verify_code",
    "find_case",
    "read_receipt",
    "receipt_data",
    "receipt_pdf",
    "write_receipt",
]
