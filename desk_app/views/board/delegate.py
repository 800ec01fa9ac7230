"""A card on the board, painted (no widget per card).

    ┃ 景综〔2026〕D01-00042     重访 风险 督办
    ┃ 邻里纠纷 · 玉香
    ┃ 勐龙镇调委会                    超期 3 天

The bar on the left and the time left take the warning's colour: red when a
deadline has passed (超期未办理, 逾期未反馈), amber when it is near (临期), grey
while the clock is paused. The marks: a repeat visit, a risk of turning into a
public-security or criminal case, urgent, a group matter, and the highest
supervision rung raised.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desk_app.services.board import Card
from desk_app.services.supervision import LEVELS as SUPERVISION_LEVELS
from desk_app.views.board.model import BoardModel
from desk_app.views.sync_status import AMBER, GREY, RED

Index = QModelIndex | QPersistentModelIndex

#: Space around a card, inside it, and the width of its warning bar.
MARGIN, PAD, BAR = 4, 6, 4
#: The warning colours.
COLOURS = {"no_feedback": RED, "overdue": RED, "near_due": AMBER}
#: The marks' colours.
MARK_COLOURS = {
    "repeat": "#6a1b9a",
    "risk": RED,
    "urgent": "#d84315",
    "group": "#1565c0",
    "supervision": "#8e0000",
}


# Flags made once: a card is painted with a dozen of them, and each `|` or lookup of a
# Qt enum member is a call into Python's enum machinery (a tenth of a card's time).
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter
_ELIDE_MIDDLE = Qt.TextElideMode.ElideMiddle
_ELIDE_RIGHT = Qt.TextElideMode.ElideRight
_SELECTED = QStyle.StateFlag.State_Selected
_ANTIALIASING = QPainter.RenderHint.Antialiasing
_NO_PEN = Qt.PenStyle.NoPen
_BASE, _MID, _HIGHLIGHT, _TEXT = (
    QPalette.ColorRole.Base,
    QPalette.ColorRole.Mid,
    QPalette.ColorRole.Highlight,
    QPalette.ColorRole.Text,
)


class CardDelegate(QStyledItemDelegate):
    """Paints the board's cards from `BoardModel.card` (no round trip through roles)."""

    def __init__(self, model: BoardModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._font_key = ""
        self._bold = QFont()
        self._small = QFont()
        self._line = 16
        self._colours = {k: QColor(v) for k, v in {**COLOURS, **MARK_COLOURS}.items()}
        self._grey = QColor(GREY)
        self._white = QColor("white")
        self._marks = {
            "repeat": self.tr("Repeat"),
            "risk": self.tr("Risk"),
            "urgent": self.tr("Urgent"),
            "group": self.tr("Group"),
        }

    def _fonts(self, font: QFont) -> None:
        key = font.key()
        if key == self._font_key:
            return
        self._font_key = key
        self._bold = QFont(font)
        self._bold.setBold(True)
        self._small = QFont(font)
        self._small.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        self._line = QFontMetrics(font).lineSpacing()

    def card_height(self, font: QFont) -> int:
        self._fonts(font)
        return 3 * self._line + 2 * PAD + 4 + 2 * MARGIN

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(200, self.card_height(option.font))

    # --- texts ---------------------------------------------------------------------------------

    def time_left(self, card: Card) -> str:
        """超期 3 天 / 剩余 5 小时 / 暂停计时: the card's clock in words."""
        if card.deadline is None:
            return ""
        if card.paused:
            return self.tr("Clock paused")
        seconds = card.deadline - self.model.now.timestamp()
        hours = int(abs(seconds)) // 3600
        days = hours // 24
        if seconds < 0:
            if card.kind == "no_feedback":
                if days:
                    return self.tr("Feedback %n day(s) late", "", days)
                return self.tr("Feedback late")
            if days:
                return self.tr("%n day(s) overdue", "", days)
            if hours:
                return self.tr("%n hour(s) overdue", "", hours)
            return self.tr("Just overdue")
        if days:
            return self.tr("%n day(s) left", "", days)
        if hours:
            return self.tr("%n hour(s) left", "", hours)
        return self.tr("Under an hour left")

    def marks(self, card: Card) -> list[tuple[str, str]]:
        """The card's marks: (text, colour key)."""
        out = []
        if card.repeat:
            out.append((self._marks["repeat"], "repeat"))
        if card.police_risk:
            out.append((self._marks["risk"], "risk"))
        if card.urgent:
            out.append((self._marks["urgent"], "urgent"))
        if card.group_matter:
            out.append((self._marks["group"], "group"))
        if card.supervision:
            # Two characters say the rung (挂牌督办 -> 挂牌); the tooltip says it whole.
            label = SUPERVISION_LEVELS.get(card.supervision, card.supervision)[:2]
            out.append((label, "supervision"))
        return out

    def unit_line(self, card: Card) -> str:
        if card.lead_unit:
            return self.model.names.unit(card.lead_unit)
        if card.level == "upper":
            return self.tr("Upper center")
        return self.tr("Not routed yet")

    # --- painting ------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        font: QFont = option.font
        self._fonts(font)
        palette: QPalette = option.palette
        outer: QRect = option.rect
        state = option.state
        rect = outer.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        selected = bool(state & _SELECTED)
        card = self.model.card(index)

        painter.save()
        painter.setRenderHint(_ANTIALIASING, True)
        base = palette.color(_BASE)
        border = palette.color(_MID)
        if selected:
            border = palette.color(_HIGHLIGHT)
            base = QColor(base)
            tint = palette.color(_HIGHLIGHT)
            base.setRed((base.red() * 7 + tint.red()) // 8)
            base.setGreen((base.green() * 7 + tint.green()) // 8)
            base.setBlue((base.blue() * 7 + tint.blue()) // 8)
        painter.setPen(QPen(border, 2 if selected else 1))
        painter.setBrush(base)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setRenderHint(_ANTIALIASING, False)
        if card is None:  # not read yet: a blank card, filled in a moment
            painter.restore()
            return
        warn = self._colours.get(card.kind)
        if card.paused:
            warn = self._grey
        if warn is not None:
            painter.fillRect(rect.left() + 1, rect.top() + 1, BAR, rect.height() - 1, warn)

        text = palette.color(_TEXT)
        left = rect.left() + BAR + PAD
        width = rect.right() - PAD - left
        line = self._line
        top = rect.top() + PAD

        # Line 1: the case number, with the marks beside it where they fit, else on line 2.
        painter.setFont(self._bold)
        bold = painter.fontMetrics()
        number_width = bold.horizontalAdvance(card.case_no)
        painter.setFont(self._small)
        small = painter.fontMetrics()
        marks = [(label, small.horizontalAdvance(label) + 8, c) for label, c in self.marks(card)]
        marks_width = sum(w + 3 for _label, w, _c in marks)
        on_first = bool(marks) and number_width + 6 + marks_width <= width
        line_of_marks = top if on_first else top + line + 2
        x = rect.right() - PAD
        height = small.height() + 2
        for label, w, colour in reversed(marks):
            if x - w < left + 40:
                break  # the tooltip names every mark
            x -= w
            badge = QRect(x, line_of_marks + (line - height) // 2, w, height)
            painter.setPen(_NO_PEN)
            painter.setBrush(self._colours[colour])
            painter.setRenderHint(_ANTIALIASING, True)
            painter.drawRoundedRect(badge, 3, 3)
            painter.setRenderHint(_ANTIALIASING, False)
            painter.setPen(self._white)
            painter.drawText(badge, _CENTRE, label)
            x -= 3
        first_room = x - left if on_first else width
        second_room = width if on_first or not marks else x - left
        painter.setFont(self._bold)
        painter.setPen(text)
        painter.drawText(
            QRect(left, top, first_room, line),
            _LEFT,
            bold.elidedText(card.case_no, _ELIDE_MIDDLE, first_room),
        )

        # Line 2: the dispute type and the first applicant.
        painter.setFont(font)
        metrics = painter.fontMetrics()
        kind = self.model.names.dispute_types.get(card.dispute_type, card.dispute_type)
        who = f"{kind} · {card.applicant}" if card.applicant else kind
        painter.drawText(
            QRect(left, top + line + 2, second_room, line),
            _LEFT,
            metrics.elidedText(who, _ELIDE_RIGHT, second_room),
        )

        # Line 3: the unit (grey), and the time left on the right in the warning's colour.
        y = top + 2 * line + 4
        clock = self.time_left(card)
        clock_width = 0
        if clock:
            painter.setFont(self._bold)
            clock_width = bold.horizontalAdvance(clock)
            painter.setPen(warn if warn is not None else self._grey)
            painter.drawText(
                QRect(left, y, width, line),
                _RIGHT,
                clock,
            )
            painter.setFont(font)
        room = max(0, width - clock_width - 8)
        painter.setPen(self._grey)
        painter.drawText(
            QRect(left, y, room, line),
            _LEFT,
            metrics.elidedText(self.unit_line(card), _ELIDE_RIGHT, room),
        )
        painter.restore()


__all__ = ["COLOURS", "CardDelegate"]
