"""A throwaway PostgreSQL cluster on loopback, for integration and fault tests and the bench.

`start_cluster()` initialises a cluster in a new folder under /tmp, starts it on a free
port of 127.0.0.1 and adds a `desk` role (password `desk`); `remove_cluster()` stops it
and removes the folder. See /work/shared/TESTING.md, "PostgreSQL for integration and
fault tests". Developer tooling only: the app never imports this module, and it must not
import pytest (tests/integration/conftest.py turns its errors into test failures).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg import sql

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found: "
    "run `./dev test` (which installs them) or `apt-get install postgresql`."
)
# Durability is worthless for a throwaway cluster; turning it off makes it much faster.
SERVER_OPTIONS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c password_encryption=scram-sha-256"
)
IS_ROOT = os.geteuid() == 0


class ClusterSetupError(RuntimeError):
    """This machine cannot run a throwaway cluster (no `postgres` user, no `runuser`)."""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)


def _has_server(bindir: Path) -> bool:
    return all((bindir / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres"))


def find_bindir() -> Path | None:
    """The newest PostgreSQL server bin directory: Debian's layout, `pg_config`, then PATH."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    for bindir in debian:
        if _has_server(bindir):
            return bindir
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out and _has_server(Path(out)):
            return Path(out)
    initdb = shutil.which("initdb")
    if initdb:
        bindir = Path(initdb).resolve().parent
        if _has_server(bindir):
            return bindir
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _clean_env() -> dict[str, str]:
    """This environment without libpq's PG* variables, with English messages."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_MESSAGES"] = "C"
    return env


@dataclass
class PgServer:
    """A running throwaway cluster. The `postgres` superuser is reached over the socket
    (trust); the `desk` role (password `desk`) over TCP on 127.0.0.1 (scram-sha-256)."""

    port: int
    bindir: Path
    datadir: Path
    sockdir: Path
    logfile: Path
    host: str = "127.0.0.1"
    running: bool = field(default=False, compare=False)
    startup_seconds: float = field(default=0.0, compare=False)

    # --- URLs -------------------------------------------------------------------------

    def superuser_url(self, db: str = "postgres") -> str:
        """SQLAlchemy URL of the `postgres` superuser over the Unix socket (trust)."""
        sock = quote(str(self.sockdir), safe="/")
        return f"postgresql+psycopg://postgres@/{db}?host={sock}&port={self.port}"

    def url(self, db: str, password: bool = True) -> str:
        """SQLAlchemy URL of the `desk` role over TCP; without the password if asked."""
        user = "desk:desk" if password else "desk"
        return f"postgresql+psycopg://{user}@{self.host}:{self.port}/{db}"

    def conninfo(self, db: str = "postgres", superuser: bool = True) -> str:
        """A libpq conninfo for psycopg.connect: superuser over the socket, or `desk` over TCP."""
        if superuser:
            return f"host={self.sockdir} port={self.port} user=postgres dbname={db}"
        return f"host={self.host} port={self.port} user=desk password=desk dbname={db}"

    # --- SQL as the superuser ---------------------------------------------------------

    def execute(
        self, query: str | sql.Composed, params: tuple[object, ...] = (), db: str = "postgres"
    ) -> list[tuple[Any, ...]]:
        """Run one statement as the superuser (autocommit); its rows, if it returns any."""
        with psycopg.connect(self.conninfo(db), autocommit=True, connect_timeout=10) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else []

    def create_database(self, name: str) -> str:
        """CREATE DATABASE name OWNER desk; the desk-role URL (with password) of it."""
        self.execute(sql.SQL("CREATE DATABASE {} OWNER desk").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.terminate_backends(name)
        self.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def terminate_backends(self, db: str) -> int:
        """End every other session on `db` (as an administrator would); how many were ended."""
        rows = self.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (db,),
        )
        return sum(1 for (ok,) in rows if ok)

    # --- process control --------------------------------------------------------------

    def _run(self, tool: str, *args: str, timeout: float = 60) -> None:
        cmd = [str(self.bindir / tool), *args]
        if IS_ROOT:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(
            cmd, capture_output=True, text=True, env=_clean_env(), timeout=timeout, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
                f"\n--- server log ---\n{self.log_tail()}"
            )

    def _pg_ctl(self, action: str, *args: str) -> None:
        opts = f"-c listen_addresses={self.host} -p {self.port} -k {self.sockdir} {SERVER_OPTIONS}"
        self._run("pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile), "-w", "-t", "60",
                  "-o", opts, *args, action)  # fmt: skip

    def start(self) -> None:
        self._pg_ctl("start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-m", mode)
        self.running = False

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")
        self.running = True

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _start_server(root: Path, bindir: Path) -> PgServer:
    """initdb in `root`/data, start on a free port, add the `desk` role.

    Raises:
        ClusterSetupError: running as root without a `postgres` user or `runuser`.
        RuntimeError: initdb or pg_ctl failed (the message has their output and the log).
    """
    data, sock = root / "data", root / "sock"
    data.mkdir()
    sock.mkdir()
    if IS_ROOT:
        # initdb refuses to run as root: the cluster belongs to the `postgres` user.
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise ClusterSetupError(
                f"running as root but there is no `postgres` user. {INSTALL_HINT}"
            ) from None
        if not shutil.which("runuser"):
            raise ClusterSetupError("running as root but `runuser` (util-linux) is missing")
        for p in (root, data, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
    server = PgServer(
        port=free_port(), bindir=bindir, datadir=data, sockdir=sock, logfile=root / "server.log"
    )
    server._run("initdb", "-D", str(data), "-U", "postgres", "-E", "UTF8",
                "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256",
                "--no-sync")  # fmt: skip
    # The free port may be taken between finding it and binding it: try a few.
    for attempt in range(3):
        try:
            server.start()
            break
        except RuntimeError:
            if attempt == 2:
                raise
            server.port = free_port()
    try:
        server.execute("CREATE ROLE desk LOGIN CREATEDB PASSWORD 'desk'")
    except BaseException:
        # The caller never gets the server: do not leave it running.
        with contextlib.suppress(Exception):
            server.stop("immediate")
        raise
    return server


def cluster_root() -> Path:
    """A new folder for a cluster, readable by the `postgres` user.

    Under /tmp, not $TMPDIR: the `postgres` user must reach it, and the socket path must
    stay short (Unix socket paths are limited to about 100 bytes).
    """
    base = "/tmp" if os.path.isdir("/tmp") else None
    root = Path(tempfile.mkdtemp(prefix="desk-pg-", dir=base))
    root.chmod(0o755)
    return root


def start_cluster(bindir: Path) -> PgServer:
    """A running cluster from `bindir` in a new folder (see `cluster_root`); its
    `startup_seconds` set. On failure the folder is removed and the error raised."""
    root = cluster_root()
    try:
        t0 = time.perf_counter()
        server = _start_server(root, bindir)
        server.startup_seconds = time.perf_counter() - t0
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


def remove_cluster(server: PgServer) -> None:
    """Stop the cluster (immediately, best effort) and remove its folder."""
    if server.running or (server.datadir / "postmaster.pid").exists():
        with contextlib.suppress(Exception):  # best effort at teardown
            server.stop("immediate")
    shutil.rmtree(server.datadir.parent, ignore_errors=True)


__all__ = [
    "INSTALL_HINT",
    "SERVER_OPTIONS",
    "ClusterSetupError",
    "PgServer",
    "cluster_root",
    "find_bindir",
    "free_port",
    "remove_cluster",
    "start_cluster",
]
