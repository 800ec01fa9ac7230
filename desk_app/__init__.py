"""Front Desk (desk_app): the walk-in reception desk of a 综治中心."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Looked up on first use: importlib.metadata costs start-up time.
    if name == "__version__":
        from importlib import metadata

        try:
            return metadata.version("desk-app")
        except metadata.PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    raise AttributeError(name)
