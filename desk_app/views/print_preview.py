"""Print preview: a document built off the GUI thread, shown with QtPdf, printed or saved.

`PrintPreviewDialog(runner, build, title, file_name)` runs `build` (a service
call returning PDF bytes) on the task runner and shows the pages. "Print…"
asks for a printer (QPrintDialog) and prints on the runner too: QtPdf renders
each page to an image (`print_pdf`), drawn onto white because QtPdf leaves the
background transparent. "Save as PDF…" writes the very bytes shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desk_app.services.errors import DeskError
from desk_app.services.printing import write_file
from desk_app.views.widgets.form import ERROR_STYLE
from desk_app.workers.tasks import TaskRunner

# Pages go to the printer as images at this resolution at most: an A4 page at 300 dpi is a
# 2480 x 3508 image (35 MB), one page at a time; sharper than that laser printers hardly show.
MAX_PRINT_DPI = 300

_UNSAFE_FILENAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def page_image(document: QPdfDocument, page: int, dpi: int) -> QImage:
    """Page `page` rendered at `dpi` onto white (QtPdf renders a transparent background)."""
    points = document.pagePointSize(page)
    size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
    rendered = document.render(page, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Print every page of `pdf` on `printer`, as images; the number of pages printed.

    Runs on a worker thread (Qt supports painting on a QPrinter there); the
    document is loaded anew in that thread.
    """
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise DeskError("文书无法打开，未能打印：请关闭预览后重试")
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    printer.setFullPage(True)  # page coordinates are the paper's; the PDF has its own margins
    painter = QPainter()
    if not painter.begin(printer):
        raise DeskError("打印机无法开始打印：请检查打印机是否连接、有纸，然后重试")
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            image = page_image(document, page, dpi)
            target = printer.pageLayout().fullRectPixels(printer.resolution())
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target.setSize(scaled)
            painter.drawImage(target, image)
    finally:
        painter.end()
    return document.pageCount()


class PrintPreviewDialog(QDialog):
    """The pages of a document being built, then shown, with Print…, Save as PDF… and Close."""

    # The document is built and on show.
    ready = Signal()
    # Building, printing or saving failed (the message, also shown in the dialog).
    failed = Signal(str)
    # The document went to the printer (the number of pages).
    printed = Signal(int)
    # The document was saved (the file's path).
    saved = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        build: Callable[[], bytes],
        title: str,
        file_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.file_name = file_name
        self.pdf: bytes | None = None
        self.setWindowTitle(title)
        self.setObjectName("print_preview")

        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self.view = QPdfView()
        self.view.setObjectName("pdf_view")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setDocument(self.document)
        self.message = QLabel(self.tr("Preparing the document…"))
        self.message.setObjectName("preview_message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)

        self.status = QLabel()
        self.status.setObjectName("preview_status")
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton(self.tr("Save as P&DF…"))
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button = QPushButton(self.tr("&Close"))
        self.close_button.clicked.connect(self.reject)
        for button in (self.print_button, self.save_button):
            button.setEnabled(False)
            button.setAutoDefault(False)
        self.close_button.setAutoDefault(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.resize(760, 700)

        runner.run(build, self._built, self._failed)

    # --- building ------------------------------------------------------------------------

    def _built(self, pdf: bytes) -> None:
        if not isValid(self):
            return  # closed (and deleted) before the document was ready
        self.pdf = pdf
        self._buffer.close()
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            self._failed(DeskError(self.tr("The document could not be shown.")))
            return
        self.stack.setCurrentWidget(self.view)
        for button in (self.print_button, self.save_button):
            button.setEnabled(True)
        self.print_button.setDefault(True)
        self.print_button.setFocus()
        self.ready.emit()

    def _failed(self, exc: DeskError) -> None:
        if not isValid(self):
            return
        self.message.setText(exc.message)
        self.message.setStyleSheet(ERROR_STYLE)
        self.stack.setCurrentWidget(self.message)
        self.failed.emit(exc.message)

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")

    def _action_failed(self, exc: DeskError) -> None:
        if not isValid(self):
            return
        self._show_status(exc.message, error=True)
        self.failed.emit(exc.message)

    # --- printing and saving -----------------------------------------------------------------

    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.file_name)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        return printer

    def print_document(self) -> None:
        """Ask for a printer, then print on the runner."""
        if self.pdf is None:
            return
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Print on `printer` (already set up) on the runner."""
        pdf = self.pdf
        if pdf is None:
            return
        self._printer = printer  # kept alive until the job ends
        self.print_button.setEnabled(False)
        self._show_status(self.tr("Printing…"))

        def done(pages: int) -> None:
            if not isValid(self):
                return
            self.print_button.setEnabled(True)
            self._show_status(self.tr("Sent to the printer."))
            self.printed.emit(pages)

        def failed(exc: DeskError) -> None:
            if not isValid(self):
                return
            self.print_button.setEnabled(True)
            self._action_failed(exc)

        self.runner.run(lambda: print_pdf(pdf, printer), done, failed)

    def suggested_path(self) -> Path:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = _UNSAFE_FILENAME.sub("_", self.file_name).strip(" .") or "document"
        return Path(folder or Path.home()) / f"{name}.pdf"

    def save_pdf(self) -> None:
        """Ask where, then write the PDF on the runner."""
        if self.pdf is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save as PDF"), str(self.suggested_path()), self.tr("PDF files (*.pdf)")
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        pdf = self.pdf
        if pdf is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")

        def done(_result: object) -> None:
            if not isValid(self):
                return
            self._show_status(self.tr("Saved to %1").replace("%1", str(path)))
            self.saved.emit(str(path))

        self.runner.run(lambda: write_file(path, pdf), done, self._action_failed)
