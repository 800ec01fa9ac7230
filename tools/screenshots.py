"""Render the app's screens to PNG files, to look at them (offscreen or under Xvfb).

    .venv/bin/python tools/screenshots.py --data-dir DIR --user admin --out shots/ [--size 1366x768]

The password comes from DESK_APP_PASSWORD. Not part of the app; a developer's tool.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--out", default="shots")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--language", default=None)
    parser.add_argument("--query", default="玉香", help="what to look up on the search page")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from desk_app.app import configure_app, install_translations
    from desk_app.paths import DataDir
    from desk_app.services.cases import CaseRef
    from desk_app.services.desk import open_desk
    from desk_app.services.users import login
    from desk_app.views.login import LoginDialog
    from desk_app.views.main_window import MainWindow
    from desk_app.workers.tasks import TaskRunner

    app = QApplication(sys.argv[:1])
    dirs = DataDir(Path(args.data_dir))
    configure_app(app, dirs)
    if args.language:
        install_translations(app, args.language)
    desk = open_desk(dirs.root)
    actor = login(desk.db, args.user, os.environ["DESK_APP_PASSWORD"])
    runner = TaskRunner()
    width, height = (int(v) for v in args.size.split("x"))

    dialog = LoginDialog(runner, lambda u, p: None, last_user=args.user)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "login.png"))
    dialog.close()

    window = MainWindow(desk, actor, runner)
    window.resize(width, height)
    window.show()

    def settle() -> None:
        for _ in range(3):
            runner.wait()
            for _ in range(5):
                app.processEvents()

    def shot(name: str) -> None:
        settle()
        window.grab().save(str(out / f"{name}_{width}x{height}.png"))

    for key in ("intake", "settings"):
        window.show_area(key)
        shot(f"main_{key}")
    window.show_area("intake")
    window.intake_tabs.setCurrentWidget(window.enquiries_page)
    shot("enquiries")
    window.intake_tabs.setCurrentWidget(window.intake_form)
    window.intake_form.save()  # empty: every required field says what it needs
    shot("intake_errors")
    repeat_visitor(window, desk, settle)
    shot("intake_repeats")
    window.show_area("search")
    window.search_page.search(args.query)
    shot("search")
    page = window.search_page
    if page.model.rowCount():
        page.open_case(page.model.row_at(0).id)
        shot("search_detail")
        row = page.model.row_at(0)
        if not row.voided:
            preview = window.show_receipt(CaseRef(row.id, row.case_no, row.status))
            settle()
            preview.grab().save(str(out / "receipt_preview.png"))
            preview.close()
    repeat = _marked_repeat(desk)
    if repeat is not None:
        window.open_case(repeat)
        shot("search_detail_repeat")
    sync_states(window, desk, settle, shot, out)
    central_dialog(window, runner, settle, out)
    window.lock()
    app.processEvents()
    window.grab().save(str(out / "locked.png"))
    print(f"saved to {out}")
    window.close()
    return 0


def repeat_visitor(window, desk, settle) -> None:  # type: ignore[no-untyped-def]
    """The intake form with a visitor who came before: the person with the most cases,
    typed in, the earlier cases listed beside the form and the newest marked."""
    from sqlalchemy import text

    window.show_area("intake")
    window.intake_tabs.setCurrentWidget(window.intake_form)
    form = window.intake_form
    with desk.db.read() as s:
        row = s.execute(
            text(
                "SELECT p.name, p.id_number, p.phone, c.division_code FROM parties p "
                "JOIN cases c ON c.id = p.case_id WHERE p.id_number != '' "
                "AND p.voided_at IS NULL AND c.voided_at IS NULL AND p.role = 'applicant' "
                "GROUP BY p.id_number ORDER BY count(*) DESC, p.id_number LIMIT 1"
            )
        ).first()
    if row is None:
        return
    settle()
    form.reset()
    applicant = form.editors[0]
    applicant.name.setText(row.name)
    applicant.id_number.setText(row.id_number)
    applicant.phone.setText(row.phone)
    town = form._village_town.get(row.division_code, row.division_code)
    form.town.setCurrentIndex(form.town.findData(town))
    if town != row.division_code:
        form.village.setCurrentIndex(form.village.findData(row.division_code))
    form.lookup_repeats()
    settle()
    rows = form.repeat_panel.model.rows()
    if rows:
        form.set_repeat_of(rows[0].id, rows[0].case_no)
        form.repeat_panel.list.setCurrentIndex(
            form.repeat_panel.model.index(1 if len(rows) > 1 else 0)
        )


def sync_states(window, desk, settle, shot, out) -> None:  # type: ignore[no-untyped-def]
    """The status bar in each sync state: a worker attached (not started) and its status
    signal fed the states the real worker reports."""
    from datetime import UTC, datetime, timedelta

    from desk_app.services.sync_status import FirstSync
    from desk_app.workers.sync_worker import SyncPhase, SyncStatus, SyncWorker

    worker = SyncWorker(desk, "0.1.0")
    window.attach_sync(worker)
    window.show_area("intake")
    pending = desk.pending_ops()
    earlier = datetime.now(UTC) - timedelta(minutes=42)
    states = {
        "not_enrolled": SyncStatus(SyncPhase.NOT_ENROLLED, pending=pending),
        "offline": SyncStatus(
            SyncPhase.OFFLINE, online=False, pending=pending, last_success_at=earlier,
            error="连不上中心数据库（拒绝连接）：请检查网络、主机和端口", retry_in=16,
        ),
        "first_sync": SyncStatus(
            SyncPhase.SYNCING, online=True, pending=pending, progress="已拉取 36000 行",
            first_sync=FirstSync(41_250, 96_400),
        ),
        "syncing": SyncStatus(
            SyncPhase.SYNCING, online=True, pending=pending, last_success_at=earlier,
            progress="已推送 1800 项",
        ),
        "synced": SyncStatus(
            SyncPhase.SYNCED, online=True, last_success_at=datetime.now(UTC),
            summary="推送 12 项（成功 12，冲突 0，拒绝 0），拉取 40 行", open_conflicts=2,
        ),
        "clock_warning": SyncStatus(
            SyncPhase.SYNCED, online=True, last_success_at=datetime.now(UTC),
            warnings=(
                "本机时钟比中心快约 8 分钟，请校准系统时间（同步不依赖时钟，但登记时间会不准）",
            ),
        ),
        "version_warning": SyncStatus(
            SyncPhase.FAILED, online=True, pending=pending, last_success_at=earlier,
            error="本程序版本 0.1.0 低于中心要求的 0.2.0：请升级后再同步（待同步的更改会保留）",
            retry_in=60,
        ),
    }  # fmt: skip
    for name, status in states.items():
        worker.status_changed.emit(status)
        shot(f"status_{name}")
        settle()
        window.statusBar().grab().save(str(out / f"statusbar_{name}.png"))
    worker.stop()


def central_dialog(window, runner, settle, out) -> None:  # type: ignore[no-untyped-def]
    """中心连接: filled in for a server that does not answer, tested; then a field error."""
    window.show_area("settings")
    dialog = window.settings_page.open_central_dialog()
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(1)
    dialog.database.setText("central")
    dialog.user.setText("desk")
    dialog.password.setText("secret")
    dialog.tls.setCurrentIndex(dialog.tls.findData("require"))
    dialog.scope.setText("532801103")
    dialog.test_connection()
    settle()
    dialog.grab().save(str(out / "central_dialog_unreachable.png"))
    dialog.tls.setCurrentIndex(dialog.tls.findData("verify-full"))
    dialog.test_connection()
    settle()
    dialog.grab().save(str(out / "central_dialog_errors.png"))
    dialog.close()


def _marked_repeat(desk):  # type: ignore[no-untyped-def]
    """A case marked as a repeat visit whose earlier case has later ones too, if any."""
    import uuid

    from sqlalchemy import text

    with desk.db.read() as s:
        found = s.execute(
            text(
                "SELECT c.repeat_of_id FROM cases c WHERE c.repeat_of_id IS NOT NULL "
                "AND c.voided_at IS NULL GROUP BY c.repeat_of_id ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar()
    return uuid.UUID(found) if found else None


if __name__ == "__main__":
    raise SystemExit(main())
