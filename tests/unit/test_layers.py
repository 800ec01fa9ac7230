"""models/ and services/ never import Qt (import-linter checks the source; this checks runtime)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_every_service_loads_no_qt() -> None:
    code = (
        "import pkgutil, importlib, sys, desk_app.services, desk_app.models\n"
        "for pkg in (desk_app.models, desk_app.services):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if '.migrations' not in m.name: importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
