"""The sync part of the status bar: online or not, progress, last sync, conflicts, warnings.

`SyncStatusPanel.show_status` draws a `SyncStatus` from the sync worker; it holds
no state of its own beyond what it shows.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QWidget

from desk_app.services.numbering import SHANGHAI
from desk_app.workers.sync_worker import SyncPhase, SyncStatus

GREEN, BLUE, GREY, RED, AMBER = "#2e7d32", "#1565c0", "#757575", "#c62828", "#b26a00"
WARNING_WIDTH = 360


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    line.setFixedHeight(14)
    return line


def _local(at: datetime) -> datetime:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(SHANGHAI)


class SyncStatusPanel(QWidget):
    #: The open-conflicts badge was clicked (the main window opens the review screen).
    conflicts_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        self.warning_label = QLabel()
        self.warning_label.setObjectName("sync_warning")
        self.warning_label.setStyleSheet(f"color: {AMBER};")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("sync_progress")
        self.progress_bar.setFixedWidth(120)
        self.progress_bar.setMaximumHeight(14)
        self.progress_text = QLabel()
        self.progress_text.setObjectName("sync_progress_text")
        self.state_label = QLabel()
        self.state_label.setObjectName("sync_state")
        self.state_label.setTextFormat(Qt.TextFormat.RichText)
        self.last_label = QLabel()
        self.last_label.setObjectName("sync_last")
        self.conflicts_label = QLabel()
        self.conflicts_label.setObjectName("sync_conflicts")
        self.conflicts_label.setTextFormat(Qt.TextFormat.RichText)
        self.conflicts_label.linkActivated.connect(lambda _link: self.conflicts_clicked.emit())
        self.conflicts_label.setStyleSheet(
            f"color: white; background: {RED}; border-radius: 7px; padding: 0 6px;"
        )
        for widget in (
            self.warning_label,
            self.progress_bar,
            self.progress_text,
            self.state_label,
            _separator(),
            self.last_label,
            self.conflicts_label,
            _separator(),
        ):
            row.addWidget(widget)
        self.status = SyncStatus()
        self.show_status(self.status)

    # --- drawing -------------------------------------------------------------------------

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        self._show_state(status)
        self._show_progress(status)
        self._show_last(status)
        self._show_warning(status)
        if status.open_conflicts is None:
            self.conflicts_label.hide()
        else:
            words = self.tr("Conflicts: %n", "", status.open_conflicts)
            self.conflicts_label.setText(
                f'<a href="conflicts" style="color: white; text-decoration: none;">{words}</a>'
            )
            self.conflicts_label.setToolTip(
                self.tr("Changes that clashed with another desk's, waiting for an officer.")
            )
            self.conflicts_label.setVisible(status.open_conflicts > 0)

    def state_text(self) -> str:
        """The indicator's words without the dot (for tests and tooltips)."""
        return self._words(self.status)[0]

    def _words(self, status: SyncStatus) -> tuple[str, str]:
        phase = status.phase
        if phase == SyncPhase.SYNCING:
            return self.tr("Syncing…"), BLUE
        if phase == SyncPhase.SYNCED:
            return self.tr("Online · synced"), GREEN
        if phase == SyncPhase.OFFLINE:
            return self.tr("Offline"), RED
        if phase == SyncPhase.FAILED and status.unexpected:
            return self.tr("Sync error"), RED
        if phase == SyncPhase.FAILED:
            return self.tr("Online · sync paused"), AMBER
        if phase == SyncPhase.NOT_ENROLLED:
            return self.tr("Not connected to the center"), GREY
        if phase == SyncPhase.STOPPED:
            return self.tr("Sync stopped"), GREY
        return self.tr("Connecting…"), GREY

    def _show_state(self, status: SyncStatus) -> None:
        words, color = self._words(status)
        self.state_label.setText(f'<span style="color:{color}">●</span> {words}')
        self.state_label.setToolTip(self._state_tip(status))

    def _state_tip(self, status: SyncStatus) -> str:
        phase = status.phase
        lines: list[str] = []
        if phase == SyncPhase.NOT_ENROLLED:
            lines.append(
                self.tr(
                    "This desk is not connected to the center's database yet. An administrator "
                    "can connect it under Settings → Central connection. Everything keeps "
                    "working here; changes wait on this desk until then."
                )
            )
        elif phase == SyncPhase.OFFLINE:
            lines.append(self.tr("The center cannot be reached: %1").replace("%1", status.error))
            lines.append(self._retry_line(status))
            lines.append(
                self.tr("Everything keeps working here; changes are sent once it is back.")
            )
        elif phase == SyncPhase.FAILED:
            lines.append(self.tr("The center answered but sync did not go through: %1")
                         .replace("%1", status.error))  # fmt: skip
            lines.append(self._retry_line(status))
        elif phase == SyncPhase.SYNCING:
            lines.append(self.tr("Sending this desk's changes and fetching the center's."))
            if status.progress:
                lines.append(status.progress)
        elif phase == SyncPhase.SYNCED:
            lines.append(self.tr("Connected to the center; this desk is up to date."))
            if status.summary:
                lines.append(self.tr("Last round: %1").replace("%1", status.summary))
        lines.append(self.tr("Waiting to sync: %n change(s)", "", status.pending))
        return "\n".join(line for line in lines if line)

    def _retry_line(self, status: SyncStatus) -> str:
        if status.retry_in is None:
            return ""
        return self.tr("Retrying by itself in about %n second(s).", "", round(status.retry_in))

    def _show_progress(self, status: SyncStatus) -> None:
        busy = status.phase == SyncPhase.SYNCING
        self.progress_bar.setVisible(busy)
        self.progress_text.setVisible(busy and bool(status.progress or status.first_sync))
        if not busy:
            return
        first = status.first_sync
        if first is not None:
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(round(first.fraction * 1000))
            self.progress_bar.setTextVisible(False)
            text = self.tr("First sync: %1%").replace("%1", str(first.percent))
            if status.progress:
                text += f"（{status.progress}）"
            tip = self.tr(
                "This desk's first sync fetches every matter of its scope from the center. "
                "It may take a while; if it is interrupted it goes on from where it stopped."
            )
        else:
            self.progress_bar.setRange(0, 0)  # busy: the engine's rounds have no known end
            text = status.progress
            tip = self.tr("Sync in progress")
        self.progress_text.setText(text)
        self.progress_bar.setToolTip(tip)
        self.progress_text.setToolTip(tip)

    def _show_last(self, status: SyncStatus) -> None:
        at = status.last_success_at
        if at is None:
            self.last_label.setText(self.tr("Never synced"))
            self.last_label.setToolTip(
                self.tr("No sync with the center has finished on this desk yet.")
            )
            return
        local = _local(at)
        today = datetime.now(SHANGHAI).date()
        when = (
            local.strftime("%H:%M")
            if local.date() == today
            else self.tr("%1-%2 %3")
            .replace("%1", str(local.month))
            .replace("%2", str(local.day))
            .replace("%3", local.strftime("%H:%M"))
        )
        self.last_label.setText(self.tr("Last sync %1").replace("%1", when))
        self.last_label.setToolTip(
            self.tr("Last successful sync: %1").replace("%1", local.strftime("%Y-%m-%d %H:%M:%S"))
        )

    def warning_text(self) -> str:
        status = self.status
        if status.phase == SyncPhase.FAILED and status.error:
            if status.unexpected:
                return self.tr("Sync error: %1 (details in the log)").replace("%1", status.error)
            return status.error
        if status.warnings and status.phase in (SyncPhase.SYNCED, SyncPhase.SYNCING):
            return "；".join(status.warnings)
        return ""

    def _show_warning(self, status: SyncStatus) -> None:
        text = self.warning_text()
        self.warning_label.setVisible(bool(text))
        if not text:
            return
        shown = QFontMetrics(self.warning_label.font()).elidedText(
            f"⚠ {text}", Qt.TextElideMode.ElideRight, WARNING_WIDTH
        )
        self.warning_label.setText(shown)
        self.warning_label.setToolTip(text)
