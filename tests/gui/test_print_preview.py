"""The receipt preview: opens after a case is saved, prints through QPrinter, saves the PDF.

Printing goes to a PDF file (QPrinter's PdfFormat), so the whole path a real
printer gets (QtPdf page images on white, at the print resolution) is checked
by decoding the QR code from what was printed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtPrintSupport import QPrinter

from desk_app.services.cases import CaseRef
from desk_app.services.printing import codes, receipt
from desk_app.views.main_window import MainWindow
from desk_app.views.print_preview import PrintPreviewDialog
from desk_app.views.search_page import SearchPage


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run ./dev setup (poppler-utils, zbar-tools)")
    return path


@pytest.fixture
def window(qtbot, desk, clerk, runner) -> Iterator[MainWindow]:
    w = MainWindow(desk, clerk, runner)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    # Saving cases refreshes the status bar on the runner: no new refresh, and the answers
    # on their way arrive while the window still exists (it is deleted right after this).
    w._status_timer.stop()
    w._poll.stop()
    qtbot.waitUntil(lambda: runner.running == 0, timeout=10_000)


def _open_preview(qtbot, window: MainWindow, ref: CaseRef) -> PrintPreviewDialog:
    """Announce `ref` as the intake form does after saving; the preview it opens, loaded."""
    window.intake_form.case_registered.emit(ref)
    dialog = window.receipt_preview
    # The PDF is built on the runner and delivered through the event loop: not yet here.
    with qtbot.waitSignal(dialog.ready, timeout=20_000):
        pass
    return dialog


def test_the_receipt_preview_opens_after_a_case_is_saved(qtbot, window, make_case) -> None:
    ref = make_case()
    dialog = _open_preview(qtbot, window, ref)
    assert dialog.isVisible() and dialog.parent() is window
    assert ref.case_no in dialog.windowTitle()
    assert dialog.document.pageCount() == 1
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    assert dialog.stack.currentWidget() is dialog.view
    assert dialog.pdf is not None and dialog.pdf.startswith(b"%PDF-")
    # The page on show is the receipt (not blank): QtPdf draws its text dark on white.
    image = dialog.document.render(0, QSize(400, 566))
    dark = sum(
        1
        for x in range(0, 400, 4)
        for y in range(0, 283, 4)
        if image.pixelColor(x, y).alpha() > 0 and image.pixelColor(x, y).lightness() < 100
    )
    assert dark > 50


def test_printing_sends_page_images_on_white_that_still_scan(
    qtbot, window, make_case, desk, tmp_path
) -> None:
    ref = make_case()
    dialog = _open_preview(qtbot, window, ref)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    printer.setResolution(200)
    with qtbot.waitSignal(dialog.printed, timeout=30_000) as signal:
        dialog.print_to(printer)
    assert signal.args == [1]
    images = subprocess.run(
        [_tool("pdfimages"), "-list", str(printed)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(images) == 1 and " rgb " in images[0]  # one page image, no alpha channel
    subprocess.run(
        [_tool("pdftoppm"), "-r", "150", "-png", str(printed), str(tmp_path / "p")], check=True
    )
    scanned = subprocess.run(
        [_tool("zbarimg"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
         *map(str, sorted(tmp_path.glob("p*.png")))],
        capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    code = receipt.read_receipt(desk.db, ref.id).verify_code
    assert codes.parse_scanned(" ".join(scanned)) == (ref.case_no, code)


def test_save_as_pdf_writes_the_document_on_show(qtbot, window, make_case, tmp_path) -> None:
    ref = make_case()
    dialog = _open_preview(qtbot, window, ref)
    target = tmp_path / "回执"
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as signal:
        dialog.save_to(target)
    assert signal.args == [str(target) + ".pdf"]
    assert Path(signal.args[0]).read_bytes() == dialog.pdf
    assert dialog.suggested_path().name == f"受理回执_{ref.case_no}.pdf"


def test_a_failed_build_says_why_in_the_dialog(qtbot, window, make_case) -> None:
    from desk_app.services.cases import void_case

    ref = make_case()
    void_case(window.desk, window.actor, ref.id, "登记错误")
    window.intake_form.case_registered.emit(ref)
    dialog = window.receipt_preview
    with qtbot.waitSignal(dialog.failed, timeout=20_000) as signal:
        pass
    assert "已作废" in signal.args[0] and dialog.message.text() == signal.args[0]
    assert not dialog.print_button.isEnabled()


def test_closing_the_preview_before_the_document_is_ready_is_harmless(
    qtbot, window, make_case, runner
) -> None:
    window.intake_form.case_registered.emit(make_case())
    dialog = window.receipt_preview
    with qtbot.waitSignal(dialog.destroyed, timeout=5000):
        dialog.close()  # deleted on close, while the PDF is still being built
    qtbot.waitUntil(lambda: runner.running == 0, timeout=20_000)  # its answer finds no dialog


def test_the_case_detail_asks_for_the_receipt(qtbot, desk, clerk, runner, make_case) -> None:
    ref = make_case()
    page = SearchPage(desk, clerk, runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.detail.loaded, timeout=10_000):
        page.open_case(ref.id)
    assert page.detail.receipt_button.isEnabled()
    with qtbot.waitSignal(page.receipt_requested) as signal:
        page.detail.receipt_button.click()
    assert signal.args == [CaseRef(ref.id, ref.case_no, ref.status)]
