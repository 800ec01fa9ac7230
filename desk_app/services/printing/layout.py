"""What every printed document shares: the PDF canvas, one build at a time, dates, paragraphs.

The walk-in receipt (`receipt`) and the routing slip (`dispatch`) are drawn
with these and with `fonts.FontSet`; nothing here knows about either.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from desk_app.services.numbering import SHANGHAI
from desk_app.services.printing.fonts import FontSet

PAGE_W, PAGE_H = A4
#: One document at a time: ReportLab keeps per-document subset state on shared font objects.
BUILD_LOCK = threading.Lock()


def chinese_date(at: datetime) -> str:
    """2026年5月4日 (of `at` as given: convert to Asia/Shanghai first, see `local`)."""
    return f"{at.year}年{at.month}月{at.day}日"


def local(at: datetime) -> datetime:
    """A stored (aware UTC) time in Asia/Shanghai, as everything prints it."""
    return at.astimezone(SHANGHAI)


def chinese_datetime(at: datetime) -> str:
    """2026年5月4日 10:32, in Asia/Shanghai."""
    shown = local(at)
    return f"{chinese_date(shown)} {shown:%H:%M}"


def hanging_lines(
    fonts: FontSet, text: str, size: float, width: float, head: str | None = None
) -> list[tuple[float, str]]:
    """`text` wrapped to `width` as (indent, line) pairs.

    The second and later lines hang under the text after `head` ("申请人："), or
    by default after the number of a paragraph numbered "一、" (any one
    character and 、).
    """
    if head is None:
        head = text[:2] if text[1:2] == "、" else ""
    indent = fonts.width(head, size) if head and text.startswith(head) else 0.0
    lines = fonts.wrap(text, size, width)
    if indent and len(lines) > 1:
        rest = fonts.wrap(text[len(lines[0]) :], size, width - indent)
        lines = [lines[0], *rest]
    return [(indent if i else 0.0, line) for i, line in enumerate(lines)]


def build_pdf(
    fonts: FontSet, draw: Callable[[Canvas], None], *, title: str, author: str, subject: str
) -> bytes:
    """An A4 PDF drawn by `draw` (which ends each of its pages with `showPage`).

    Fonts are embedded as subsets; no unused, unembedded Helvetica gets into the file.
    """
    out = io.BytesIO()
    with BUILD_LOCK:
        canvas = Canvas(
            out,
            pagesize=A4,
            initialFontName=fonts.primary,
            pageCompression=1,
            lang="zh-CN",
        )
        canvas.setTitle(title)
        canvas.setAuthor(author)
        canvas.setCreator("desk-app")
        canvas.setSubject(subject)
        draw(canvas)
        canvas.save()
    return out.getvalue()
