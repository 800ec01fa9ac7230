"""The PyInstaller bundle: build it, then run the frozen app on a fresh data folder.

Slow (a full PyInstaller build, about half a minute on two cores): marked `installer`,
so `pytest -m "not installer"` leaves it out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.installer

ROOT = Path(__file__).resolve().parents[2]
IS_WIN = sys.platform == "win32"
PASSWORD = "bundle-pass-1"
BUILD_TIMEOUT = 900
RUN_TIMEOUT = 120


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def pyinstaller_installed() -> bool:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build dist/desk-app into a temporary folder (workpath there too); removed afterwards."""
    if not pyinstaller_installed():
        pytest.fail(
            "PyInstaller is not installed in this environment, so the bundle cannot be built: "
            'run ./dev setup (the dev extras include it) or pip install "pyinstaller>=6.10,<7"',
            pytrace=False,
        )
    out = tmp_path_factory.mktemp("bundle")
    dist, work = out / "dist", out / "build"
    paths = ["--distpath", str(dist), "--workpath", str(work)]
    if IS_WIN:  # installer/build.ps1 also sets up the environment; the spec is what matters here
        spec = str(ROOT / "installer" / "desk_app.spec")
        cmd = [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            *paths,
            spec,
        ]
    else:
        cmd = ["bash", str(ROOT / "installer" / "build.sh"), *paths]
    # Build with the environment running the tests (normally the project's .venv).
    env = {**os.environ, "DESK_APP_VENV": sys.prefix}
    result = subprocess.run(
        cmd,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=BUILD_TIMEOUT,
    )
    assert result.returncode == 0, f"bundle build failed:\n{result.stdout}\n{result.stderr}"
    folder = dist / "desk-app"
    assert folder.is_dir(), result.stdout + result.stderr
    yield folder
    shutil.rmtree(out, ignore_errors=True)  # ~150 MB; pytest would keep it for three runs


def executable(bundle: Path, *, gui: bool = False) -> Path:
    """The bundle's program: on Windows desk-app.exe (windowed) or desk-app-cli.exe (console)."""
    if IS_WIN:
        return bundle / ("desk-app.exe" if gui else "desk-app-cli.exe")
    return bundle / "desk-app"


def run(
    bundle: Path,
    args: list[str],
    *,
    gui: bool = False,
    stdin: str = "",
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_APP_")}
    env.update({"QT_QPA_PLATFORM": "offscreen", **(extra_env or {})})
    return subprocess.run(
        [str(executable(bundle, gui=gui)), *args],
        input=stdin,
        env=env,
        capture_output=True,
        timeout=RUN_TIMEOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


def test_version_is_the_one_in_pyproject(bundle: Path) -> None:
    result = run(bundle, ["--version"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"desk-app {project_version()}"


def test_init_then_smoke_on_a_fresh_data_folder(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "demo"
    init = run(
        bundle,
        [
            "--data-dir",
            str(data),
            "init",
            "--center",
            "景洪市综治中心",
            "--desk-code",
            "D03",
            "--admin",
            "admin",
        ],
        stdin=f"{PASSWORD}\n",
    )
    assert init.returncode == 0, init.stderr
    assert "窗口 D03" in init.stdout
    assert (data / "desk.db").is_file()

    login = {"DESK_APP_USER": "admin", "DESK_APP_PASSWORD": PASSWORD}
    smoke = run(bundle, ["--data-dir", str(data), "--smoke"], gui=True, extra_env=login)
    assert smoke.returncode == 0, smoke.stderr

    # The smoke run really logs in: a wrong password fails it.
    wrong = {**login, "DESK_APP_PASSWORD": "not-the-password"}
    refused = run(bundle, ["--data-dir", str(data), "--smoke"], gui=True, extra_env=wrong)
    assert refused.returncode == 1, refused.stderr[-4000:]


def test_bundle_carries_its_files_and_leaves_out_unused_qt(bundle: Path) -> None:
    internal = bundle / "_internal"
    migrations = internal / "desk_app" / "models" / "migrations" / "local"
    assert (migrations / "env.py").is_file() and (migrations / "script.py.mako").is_file()
    shipped = {p.name for p in (migrations / "versions").glob("*.py")}
    source = {p.name for p in (ROOT / "desk_app/models/migrations/local/versions").glob("*.py")}
    assert shipped == source
    for json_file in (ROOT / "resources" / "data").glob("*.json"):
        assert (internal / "resources" / "data" / json_file.name).is_file()
    for qm in (ROOT / "resources" / "i18n").glob("*.qm"):
        assert (internal / "resources" / "i18n" / qm.name).is_file()
    assert (internal / f"desk_app-{project_version()}.dist-info" / "METADATA").is_file()

    names = [p.name.lower() for p in internal.rglob("*")]
    for unwanted in (
        "webengine",
        "qt6quick",
        "qt6qml",
        "qt63d",
        "multimedia",
        "virtualkeyboard",
        "tkinter",
        "_tkinter",
        "pygments",
    ):
        found = [n for n in names if unwanted in n]
        assert not found, f"{unwanted} should not be in the bundle: {found[:5]}"


def test_smoke_on_a_demo_folder_made_by_the_bundle(bundle: Path, tmp_path: Path) -> None:
    from desk_app.services.demo import DEMO_ACCOUNTS

    data = tmp_path / "demo"
    made = run(bundle, ["--data-dir", str(data), "demo", "--cases", "300", "--seed", "3"])
    assert made.returncode == 0, made.stderr
    assert "已生成 300 件案件" in made.stdout
    login = {"DESK_APP_USER": "clerk1", "DESK_APP_PASSWORD": DEMO_ACCOUNTS["clerk1"].password}
    smoke = run(bundle, ["--data-dir", str(data), "--smoke"], gui=True, extra_env=login)
    assert smoke.returncode == 0, smoke.stderr
