"""The `desk-app` command line: conventions, init, backup, restore, users, --smoke."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app import cli
from desk_app.services.desk import open_desk
from desk_app.services.users import list_users, login


def run(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_init_reads_the_password_from_stdin(data_dir: Path, monkeypatch, capsys) -> None:
    code = run(
        monkeypatch,
        [
            "--data-dir",
            str(data_dir),
            "init",
            "--center",
            "景洪市综治中心",
            "--desk-code",
            "d07",
            "--admin",
            "boss",
        ],
        "boss-pass-1\n",
    )
    assert code == 0
    assert "窗口 D07" in capsys.readouterr().out
    desk = open_desk(data_dir)
    try:
        assert desk.identity.short_name == "景综" and desk.identity.desk_code == "D07"
        assert login(desk.db, "boss", "boss-pass-1").username == "boss"
    finally:
        desk.close()
    for name in ("desk.db", "attachments", "backups", "logs"):
        assert (data_dir / name).exists()


def test_init_refuses_bad_input_and_a_second_init(data_dir: Path, monkeypatch, capsys) -> None:
    args = ["--data-dir", str(data_dir), "init", "--center", "景洪市综治中心", "--admin", "boss"]
    assert run(monkeypatch, [*args, "--desk-code", "3"], "boss-pass-1\n") == 1
    err = capsys.readouterr().err
    assert err.startswith("desk-app: ") and "窗口编号" in err and err.count("\n") == 1
    assert run(monkeypatch, [*args, "--desk-code", "D01"], "boss-pass-1\n") == 0
    assert run(monkeypatch, [*args, "--desk-code", "D02"], "boss-pass-1\n") == 1
    assert "已经初始化" in capsys.readouterr().err


def test_wrong_usage_exits_2(monkeypatch) -> None:
    with pytest.raises(SystemExit) as info:
        run(monkeypatch, ["no-such-command"])
    assert info.value.code == 2


def test_the_data_folder_comes_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DESK_APP_DATA", str(tmp_path / "from-env"))
    assert (
        run(
            monkeypatch,
            ["init", "--center", "景洪市综治中心", "--desk-code", "D01", "--admin", "boss"],
            "boss-pass-1\n",
        )
        == 0
    )
    assert (tmp_path / "from-env" / "desk.db").is_file()


def test_users_are_managed_as_a_named_user_or_the_system_account(desk, monkeypatch, capsys) -> None:
    base = ["--data-dir", str(desk.dirs.root), "user"]
    # A clerk may not add users.
    monkeypatch.setenv("DESK_APP_PASSWORD", "clerk-pass-1")
    assert (
        run(
            monkeypatch,
            [*base, "--user", "clerk1", "add", "m1", "--name", "调解员甲", "--roles", "mediator"],
            "m1-pass-123\n",
        )
        == 1
    )
    assert "无权" in capsys.readouterr().err
    # The system account cli:<os user> may; it is recorded as such.
    assert (
        run(
            monkeypatch,
            [*base, "add", "m1", "--name", "调解员甲", "--roles", "调解员"],
            "m1-pass-123\n",
        )
        == 0
    )
    assert "m1" in {u.username for u in list_users(desk.db)}
    from sqlalchemy import select

    from desk_app.models import Outbox

    with desk.db.read() as s:
        op = s.scalars(select(Outbox).order_by(Outbox.seq.desc())).first()
    assert op is not None and op.user_id.startswith("cli:")
    assert run(monkeypatch, [*base, "disable", "m1"]) == 0
    assert not {u.username: u for u in list_users(desk.db)}["m1"].active


def test_backup_and_restore_commands(desk, make_case, monkeypatch, capsys) -> None:
    make_case()
    root = str(desk.dirs.root)
    assert run(monkeypatch, ["--data-dir", root, "backup"]) == 0
    copy = Path(capsys.readouterr().out.strip())
    assert copy.is_file()
    desk.close()
    assert run(monkeypatch, ["--data-dir", root, "restore", str(copy)]) == 0
    assert "已从" in capsys.readouterr().out
    assert run(monkeypatch, ["--data-dir", root, "restore", str(copy.with_name("missing.db"))]) == 1


def _smoke(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run(
        [sys.executable, "-m", "desk_app", "--data-dir", str(data_dir), "--smoke"],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_smoke_logs_in_and_paints_the_main_window(desk) -> None:
    desk.close()
    ok = _smoke(desk.dirs.root, DESK_APP_USER="admin", DESK_APP_PASSWORD="admin-pass-1")
    assert ok.returncode == 0, ok.stderr
    bad = _smoke(desk.dirs.root, DESK_APP_USER="admin", DESK_APP_PASSWORD="wrong-one-1")
    assert bad.returncode == 1 and "登录失败" in bad.stderr


def test_smoke_fails_on_an_uninitialised_folder(tmp_path: Path) -> None:
    result = _smoke(tmp_path / "empty")
    assert result.returncode == 1 and "尚未初始化" in result.stderr
    assert not (tmp_path / "empty" / "desk.db").exists()
