"""Front Desk (desk_app): the walk-in reception desk of a 综治中心."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("desk-app")
except _metadata.PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0+unknown"
