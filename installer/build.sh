#!/usr/bin/env bash
# Build the Front Desk one-folder bundle with PyInstaller (Linux; on Windows use build.ps1).
#
#   installer/build.sh                       -> dist/desk-app/desk-app
#   installer/build.sh --distpath DIR --workpath DIR [--clean]
#
# Extra arguments go to PyInstaller (with a spec file it honours --distpath, --workpath,
# --clean and --log-level). Uses the project's .venv (or $DESK_APP_VENV); runs `./dev setup`
# first only when that environment does not exist yet.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${DESK_APP_VENV:-$ROOT/.venv}
PYINSTALLER_REQ="pyinstaller>=6.10,<7"

say() { printf '\033[1m[build]\033[0m %s\n' "$*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
  say "no virtual environment at $VENV: running ./dev setup"
  ./dev setup
fi
PY="$VENV/bin/python"

stamp="$VENV/.desk-app-installed"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" != "$(sha256sum < pyproject.toml | cut -c1-16)" ]; then
  say "warning: pyproject.toml changed since $VENV was set up; run ./dev setup to update it"
fi

if ! "$PY" -c 'import PyInstaller' 2>/dev/null; then
  say "installing $PYINSTALLER_REQ into $VENV"
  "$PY" -m pip install -q --disable-pip-version-check "$PYINSTALLER_REQ"
fi

# Compile the translations (the spec ships every resources/i18n/*.qm).
for ts in resources/i18n/*.ts; do
  [ -e "$ts" ] || continue
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    say "compiling $ts"
    "$VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
  fi
done

# The printing font the spec ships (resources/fonts/): quick when it is already current.
"$PY" -m desk_app.devtools.fontbuild

# Where the bundle goes: PyInstaller's --distpath if given, else dist/.
DIST=dist
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --distpath) DIST=${args[i + 1]:-dist} ;;
    --distpath=*) DIST=${args[i]#--distpath=} ;;
  esac
done

say "building with $("$PY" -m PyInstaller --version 2>/dev/null | head -1 | sed 's/^/PyInstaller /')"
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level "${PYI_LOG_LEVEL:-WARN}" "$@" installer/desk_app.spec
BUNDLE="$DIST/desk-app"
[ -x "$BUNDLE/desk-app" ] || { say "no executable at $BUNDLE/desk-app"; exit 1; }
say "built in $(($(date +%s) - start)) s"
echo "bundle: $(cd "$BUNDLE" && pwd)  ($(du -sh "$BUNDLE" | cut -f1))"
