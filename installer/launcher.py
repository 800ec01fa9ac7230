"""Entry point of the frozen bundle (PyInstaller): the same as the `desk-app` console script."""

import sys

from desk_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
