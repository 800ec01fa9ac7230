"""The central connection's fields, its URL (TLS as query parameters) and the role check."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app.services import central_link
from desk_app.services.central_link import Connection
from desk_app.services.errors import PermissionDenied
from desk_app.services.settings import SYNC_URL
from desk_app.services.sync import secrets


def test_fields_and_url_round_trip_with_tls(tmp_path: Path) -> None:
    ca = tmp_path / "root.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    conn = Connection("db.example.gov.cn", 6543, "central", "desk", "verify-full", str(ca))
    assert central_link.validate(conn) == {}
    plain = central_link.plain_url(conn)
    assert plain.startswith(
        "postgresql+psycopg://desk@db.example.gov.cn:6543/central?sslmode=verify-full&sslrootcert="
    )
    assert central_link.from_url(plain) == conn
    assert central_link.url_of(conn, "s3cret").password == "s3cret"
    # libpq's default (prefer) is no parameter at all; a URL without one reads as prefer.
    default = Connection("10.53.1.20", 5432, "central", "desk")
    assert central_link.plain_url(default) == "postgresql+psycopg://desk@10.53.1.20:5432/central"
    assert central_link.from_url(central_link.plain_url(default)) == default
    assert central_link.from_url("") == Connection()


def test_validation_says_what_each_field_needs(tmp_path: Path) -> None:
    errors = central_link.validate(Connection("", 0, "", "", "verify-full", ""))
    assert set(errors) == {"host", "port", "database", "user", "ca_file"}
    assert "CA 证书" in errors["ca_file"]
    missing = Connection("h", 5432, "d", "u", "verify-full", str(tmp_path / "none.crt"))
    assert "找不到" in central_link.validate(missing)["ca_file"]
    assert "端口" in central_link.validate(Connection("h:5432", 5432, "d", "u"))["host"]


def test_the_stored_password_is_found_for_a_changed_tls_mode(desk, monkeypatch) -> None:
    monkeypatch.delenv("DESK_APP_CENTRAL_PASSWORD", raising=False)
    conn = Connection("127.0.0.1", 5432, "central", "desk")
    assert central_link.stored_password(desk, conn) is None
    plain = central_link.plain_url(conn)
    desk.settings.set(SYNC_URL, plain)
    secrets.store_password(desk.dirs.root, plain, "kept")
    encrypted = Connection("127.0.0.1", 5432, "central", "desk", "require")
    assert central_link.stored_password(desk, encrypted) == "kept"


def test_only_an_administrator_may_test_or_enroll(desk, clerk) -> None:
    conn = Connection("127.0.0.1", 1, "central", "desk")
    with pytest.raises(PermissionDenied):
        central_link.check(desk, clerk, conn, "x", "0.1.0")
    with pytest.raises(PermissionDenied):
        central_link.enroll_desk(desk, clerk, conn, "x", "532801", "0.1.0")
