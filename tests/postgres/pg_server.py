"""A throwaway PostgreSQL server for tests and benchmarks: initdb + pg_ctl in a temp dir.

Uses Debian's `postgresql` binaries (/usr/lib/postgresql/N/bin). PostgreSQL refuses
to run as root, so under root the server runs as `nobody`, which owns the data
directory. It listens on a free port of 127.0.0.1 and on a socket in its directory,
with fsync off: the data is thrown away afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

SERVICE_USER = "nobody"


def binaries() -> Path | None:
    """The newest installed PostgreSQL bin directory holding initdb and pg_ctl, or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if not found:
        on_path = shutil.which("initdb")
        return Path(on_path).parent if on_path and shutil.which("pg_ctl") else None
    return found[-1].parent


def _free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_service_user(command: list[str]) -> list[str]:
    """The command run as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SERVICE_USER, "--", *command]


@contextmanager
def running_server() -> Iterator[str]:
    """Start a server; yield the URL of its `postgres` database; stop and delete it."""
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    home = Path(tempfile.mkdtemp(prefix="defcoop-pg-"))
    data = home / "data"
    if os.geteuid() == 0:
        shutil.chown(home, user=SERVICE_USER)
    port = _free_port()
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run(
            _as_service_user([*initdb, "--no-locale", "--encoding=UTF8", "--no-sync"]),
            check=True,
            capture_output=True,
            cwd=home,
        )
        options = (
            f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        subprocess.run(
            _as_service_user([*pg_ctl, "-o", options, "-l", str(home / "log"), "-w", "start"]),
            check=True,
            capture_output=True,
            cwd=home,
        )
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                _as_service_user([*pg_ctl, "-m", "immediate", "-w", "stop"]),
                check=False,
                capture_output=True,
                cwd=home,
            )
    finally:
        shutil.rmtree(home, ignore_errors=True)


def new_database(server_url: str, prefix: str = "defcoop") -> str:
    """Create an empty database on the server; its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"
