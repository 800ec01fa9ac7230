"""The repeat-visitor panel beside the intake form (重复来访).

It lists what `services.repeats.find_earlier` found for the people on the
form: one entry per earlier case, painted by `EarlierCaseDelegate` (no widget
per row). A click on an entry (or Enter) asks to open that case; its button (or
Space) marks the new case as a repeat visit of it, or takes the mark back. The
form owns the lookups; the panel only shows and asks.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.repeats import EarlierCase
from desk_app.views.widgets.form import ERROR_STYLE

Index = QModelIndex | QPersistentModelIndex

PANEL_WIDTH = 290
MARK_TINT = "#fff4e5"
_MUTED = "color: palette(placeholder-text);"


class EarlierCasesModel(QAbstractListModel):
    """Earlier cases found, in the order the service ranked them."""

    CaseRole = Qt.ItemDataRole.UserRole + 1
    MarkedRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[EarlierCase] = []
        self.marked: uuid.UUID | None = None

    def set_rows(self, rows: Sequence[EarlierCase]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[EarlierCase]:
        return list(self._rows)

    def age_text(self, days: int) -> str:
        """How long ago a case was received: 今天, 昨天, 3 天前, 2 个月前, 1 年前."""
        if days <= 0:
            return self.tr("today")
        if days == 1:
            return self.tr("yesterday")
        if days < 60:
            return self.tr("%n day(s) ago", "", days)
        if days < 730:
            return self.tr("%n month(s) ago", "", days // 30)
        return self.tr("%n year(s) ago", "", days // 365)

    def match_text(self, case: EarlierCase) -> str:
        """What matched, and whose: 相同证件号码、电话：玉香."""
        labels = {
            "id_number": self.tr("ID number"),
            "phone": self.tr("phone"),
            "name": self.tr("name in the village"),
        }
        kinds = "、".join(labels[k] for k in case.kinds)
        return self.tr("Same %1: %2").replace("%1", kinds).replace("%2", case.party_name)

    def row_at(self, row: int) -> EarlierCase:
        return self._rows[row]

    def set_marked(self, case_id: uuid.UUID | None) -> None:
        self.marked = case_id
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        case = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return case.case_no
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(
                p for p in (case.case_no, case.title, case.place, self.match_text(case)) if p
            )
        if role == Qt.ItemDataRole.UserRole:
            return case.id
        if role == self.CaseRole:
            return case
        if role == self.MarkedRole:
            return case.id == self.marked
        return None


class EarlierCaseDelegate(QStyledItemDelegate):
    """Paints an earlier case in four lines with a mark button; reports clicks on either."""

    # A click on the entry (its row), or on its mark button.
    open_clicked = Signal(int)
    mark_clicked = Signal(int)

    PAD = 6

    def _bold(self, option: QStyleOptionViewItem) -> QFont:
        font = QFont(option.font)
        font.setBold(True)
        return font

    def button_text(self, marked: bool) -> str:
        return self.tr("✓ Repeat visit") if marked else self.tr("Mark as repeat visit")

    def button_rect(self, option: QStyleOptionViewItem, marked: bool) -> QRect:
        """The mark button: top right of the entry, as wide as its longer caption."""
        rect: QRect = option.rect
        fm: QFontMetrics = option.fontMetrics
        width = 16 + max(
            fm.horizontalAdvance(self.button_text(True)),
            fm.horizontalAdvance(self.button_text(False)),
        )
        return QRect(
            rect.right() - self.PAD - width + 1, rect.top() + self.PAD, width, fm.height() + 8
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        fm: QFontMetrics = option.fontMetrics
        height = 2 * self.PAD + fm.height() + 8 + 3 * fm.lineSpacing() + 2
        rect: QRect = option.rect
        return QSize(max(rect.width(), 200), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        case = index.data(EarlierCasesModel.CaseRole)
        model = index.model()
        if not isinstance(case, EarlierCase) or not isinstance(model, EarlierCasesModel):
            return
        marked = bool(index.data(EarlierCasesModel.MarkedRole))
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        if marked:  # the earlier case this visit repeats: tinted like the mark below the list
            opt.backgroundBrush = QBrush(QColor(MARK_TINT))
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        painter.save()
        painter.setPen(opt.palette.color(QPalette.ColorRole.Midlight))
        painter.drawLine(opt.rect.bottomLeft(), opt.rect.bottomRight())
        painter.restore()

        rect: QRect = opt.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        palette: QPalette = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = text if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        fm: QFontMetrics = opt.fontMetrics
        line = fm.lineSpacing()
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        button = self.button_rect(opt, marked)
        painter.save()
        # The case number in bold beside the mark button.
        bold = self._bold(opt)
        painter.setFont(bold)
        painter.setPen(text)
        number = QRect(rect.left(), button.top(), button.left() - rect.left() - 6, button.height())
        painter.drawText(
            number,
            left,
            QFontMetrics(bold).elidedText(
                case.case_no, Qt.TextElideMode.ElideMiddle, number.width()
            ),
        )
        painter.setFont(opt.font)
        # The matter.
        top = button.bottom() + 2
        painter.drawText(
            QRect(rect.left(), top, rect.width(), line),
            left,
            fm.elidedText(case.title, Qt.TextElideMode.ElideRight, rect.width()),
        )
        # Its status in a frame, then how long ago, type and place.
        status_width = fm.horizontalAdvance(case.status_label) + 10
        status = QRect(rect.left(), top + line + 1, status_width, line - 2)
        painter.setPen(muted)
        painter.drawRoundedRect(status, 3, 3)
        painter.setPen(text)
        painter.drawText(status, Qt.AlignmentFlag.AlignCenter, case.status_label)
        facts = " · ".join(
            p for p in (model.age_text(case.age_days), case.dispute_type, case.place) if p
        )
        rest = QRect(status.right() + 6, top + line, rect.right() - status.right() - 6, line)
        painter.setPen(muted)
        painter.drawText(
            rest, left, fm.elidedText(facts, Qt.TextElideMode.ElideRight, rest.width())
        )
        # What matched: an ID number in the text colour, weaker matches muted.
        painter.setPen(text if "id_number" in case.kinds else muted)
        painter.drawText(
            QRect(rect.left(), top + 2 * line, rect.width(), line),
            left,
            fm.elidedText(model.match_text(case), Qt.TextElideMode.ElideRight, rect.width()),
        )
        painter.restore()
        button_opt = QStyleOptionButton()
        button_opt.rect = button
        button_opt.text = self.button_text(marked)
        button_opt.palette = palette
        button_opt.fontMetrics = fm
        button_opt.state = QStyle.StateFlag.State_Enabled | (
            QStyle.StateFlag.State_On | QStyle.StateFlag.State_Sunken
            if marked
            else QStyle.StateFlag.State_Raised
        )
        style.drawControl(QStyle.ControlElement.CE_PushButton, button_opt, painter, widget)

    def editorEvent(
        self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and index.isValid()
        ):
            marked = bool(index.data(EarlierCasesModel.MarkedRole))
            if self.button_rect(option, marked).contains(event.position().toPoint()):
                self.mark_clicked.emit(index.row())
            else:
                self.open_clicked.emit(index.row())
            return True
        return super().editorEvent(event, model, option, index)


class RepeatPanel(QFrame):
    """Earlier cases of the people on the form, and the repeat-visit mark of the new case."""

    # Open this earlier case (its id).
    open_requested = Signal(object)
    # Mark the new case as a repeat visit of this earlier case (an `EarlierCase`).
    mark_requested = Signal(object)
    # Take the mark back.
    unmark_requested = Signal()
    # An answer is on show (the number of earlier cases).
    results_shown = Signal(int)
    # The number of earlier cases on show changed (0 also while there is nothing to look up).
    count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("repeat_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(PANEL_WIDTH)
        self.can_open = True
        self.marked_id: uuid.UUID | None = None

        self.title = QLabel(self.tr("Earlier visits"))
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.status = QLabel()
        self.status.setObjectName("repeat_status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(_MUTED)
        self.model = EarlierCasesModel(self)
        self.delegate = EarlierCaseDelegate(self)
        self.list = QListView()
        self.list.setObjectName("repeat_list")
        self.list.setModel(self.model)
        self.list.setItemDelegate(self.delegate)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMouseTracking(True)
        self.list.setSpacing(1)
        self.list.installEventFilter(self)
        self.delegate.open_clicked.connect(self._open_row)
        self.delegate.mark_clicked.connect(self._toggle_row)

        self.marked_label = QLabel()
        self.marked_label.setObjectName("repeat_marked")
        self.marked_label.setWordWrap(True)
        self.marked_label.setTextFormat(Qt.TextFormat.RichText)
        self.marked_label.linkActivated.connect(self._open_link)
        self.unmark_button = QPushButton(self.tr("Unmark"))
        self.unmark_button.setObjectName("repeat_unmark")
        self.unmark_button.clicked.connect(self.unmark_requested)
        self.error = QLabel()
        self.error.setObjectName("error_repeat_of_id")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.mark_box = QFrame()
        self.mark_box.setObjectName("repeat_mark_box")
        self.mark_box.setStyleSheet(
            f"QFrame#repeat_mark_box {{ background: {MARK_TINT}; border: 1px solid #f0c36d;"
            " border-radius: 4px; }"
        )
        mark_row = QHBoxLayout(self.mark_box)
        mark_row.setContentsMargins(6, 4, 6, 4)
        mark_row.addWidget(self.marked_label, 1)
        mark_row.addWidget(self.unmark_button, 0, Qt.AlignmentFlag.AlignTop)
        self.mark_box.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 100)
        layout.addStretch(1)  # keeps title and hint at the top while the list is hidden
        layout.addWidget(self.mark_box)
        layout.addWidget(self.error)
        self.show_idle()

    # --- what the form tells it ---------------------------------------------------------

    def show_idle(self) -> None:
        """Nothing to look up yet: say what will appear here."""
        self.model.set_rows([])
        self.status.setText(
            self.tr(
                "Type a party's ID number or phone, or pick the village and type a name: "
                "earlier cases of the same person show here."
            )
        )
        self.list.hide()
        self.count_changed.emit(0)

    def show_searching(self) -> None:
        if not self.model.rowCount():
            self.status.setText(self.tr("Looking for earlier cases…"))

    def set_results(self, rows: Sequence[EarlierCase]) -> None:
        self.model.set_rows(rows)
        self.model.set_marked(self.marked_id)
        n = len(rows)
        if n:
            self.status.setText(
                self.tr(
                    "%n earlier case(s) of these people. Click one to open it; its button "
                    "marks this visit as a repeat of it.",
                    "",
                    n,
                )
                if self.can_open
                else self.tr(
                    "%n earlier case(s) of these people. Its button marks this case as a "
                    "repeat visit of it.",
                    "",
                    n,
                )
            )
        else:
            self.status.setText(self.tr("No earlier case of these people."))
        self.list.setVisible(bool(n))
        self.count_changed.emit(n)
        self.results_shown.emit(n)

    def set_failed(self, message: str) -> None:
        self.model.set_rows([])
        self.list.hide()
        self.status.setText(message)
        self.count_changed.emit(0)

    def set_marked(self, case_id: uuid.UUID | None, case_no: str = "") -> None:
        """Show the new case's mark (None: not a repeat visit)."""
        self.marked_id = case_id
        self.model.set_marked(case_id)
        self.set_error("")
        if case_id is None:
            self.mark_box.hide()
            return
        shown = html.escape(case_no) if case_no else self.tr("an earlier case")
        link = f'<a href="{case_id}">{shown}</a>' if self.can_open and case_no else shown
        # The number on a line of its own: a narrow label would break it at 〕.
        self.marked_label.setText(
            html.escape(self.tr("This visit is a repeat visit of the earlier case:"))
            + "<br>"
            + link
        )
        self.mark_box.show()

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # --- what the user does --------------------------------------------------------------

    def _open_row(self, row: int) -> None:
        self.list.setCurrentIndex(self.model.index(row))
        if self.can_open:
            self.open_requested.emit(self.model.row_at(row).id)

    def _toggle_row(self, row: int) -> None:
        self.list.setCurrentIndex(self.model.index(row))
        case = self.model.row_at(row)
        if case.id == self.marked_id:
            self.unmark_requested.emit()
        else:
            self.mark_requested.emit(case)

    def _open_link(self, link: str) -> None:
        if self.can_open:
            self.open_requested.emit(uuid.UUID(link))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            current = self.list.currentIndex()
            if current.isValid() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open_row(current.row())
                return True
            if current.isValid() and event.key() == Qt.Key.Key_Space:
                self._toggle_row(current.row())
                return True
        return super().eventFilter(watched, event)
