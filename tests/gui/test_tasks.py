"""The background-task helper: results and errors come back on the GUI thread."""

from __future__ import annotations

import subprocess
import sys
import threading

from desk_app.services.errors import DeskError


def test_results_come_back_on_the_gui_thread(qtbot, runner):
    seen: list[tuple[object, bool]] = []
    worker_threads: list[bool] = []

    def work() -> int:
        worker_threads.append(threading.current_thread() is threading.main_thread())
        return 42

    runner.run(
        work, lambda r: seen.append((r, threading.current_thread() is threading.main_thread()))
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert seen == [(42, True)]
    assert worker_threads == [False]
    assert runner.running == 0


def test_signals_keep_the_reference_count_of_true():
    # PySide6 6.12.0 drops a reference to True at every Signal.emit(), and the app aborts
    # once True's count reaches zero; pyproject.toml keeps that release out. Measured in a
    # fresh process, where nothing else takes or drops references meanwhile.
    code = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication, QObject, Signal\n"
        "app = QCoreApplication([])\n"
        "class R(QObject):\n"
        "    done = Signal(object)\n"
        "r = R(); got = []; r.done.connect(got.append)\n"
        "before = sys.getrefcount(True)\n"
        "for _ in range(1000): r.done.emit(None)\n"
        "print(sys.getrefcount(True) - before)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert abs(int(out.stdout.strip())) < 10


def test_expected_errors_go_to_on_error(qtbot, runner):
    errors: list[DeskError] = []

    def fail() -> None:
        raise DeskError("身份证号校验位不正确")

    runner.run(fail, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert errors[0].message == "身份证号校验位不正确"


def test_programming_errors_are_reported_with_their_traceback(qtbot, runner, caplog):
    def broken() -> None:
        raise ZeroDivisionError("oops")

    with qtbot.waitSignal(runner.unexpected_error, timeout=5_000) as signal:
        runner.run(broken, on_error=lambda exc: None)
    message, traceback_text = signal.args
    assert message == "oops"
    assert "ZeroDivisionError" in traceback_text and "broken" in traceback_text
    assert "background task failed" in caplog.text
