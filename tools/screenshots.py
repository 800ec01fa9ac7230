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
    window.show_area("search")
    window.search_page.search(args.query)
    shot("search")
    page = window.search_page
    if page.model.rowCount():
        page.open_case(page.model.row_at(0).id)
        shot("search_detail")
    window.lock()
    app.processEvents()
    window.grab().save(str(out / "locked.png"))
    print(f"saved to {out}")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
