"""`defcoop serve` run for real over a store the tests built, for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Server:
    """A running server: its base URL and the token its writes need ("" for none)."""

    url: str
    token: str


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll the server until it answers; fail with its output if it dies or never does."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"defcoop serve exited: {output}")
        try:
            with urllib.request.urlopen(url + "/api/events?limit=1", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"defcoop serve did not answer within {STARTUP_SECONDS} s")


@contextmanager
def serving(db_url: str, token: str = "", workers: int = 1) -> Iterator[Server]:
    """`defcoop serve` over a store on a free port, stopped (and reaped) on exit."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DEFCOOP_")}
    if token:
        environment["DEFCOOP_TOKEN"] = token
    command = ["serve", "--db", db_url, "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(
        [sys.executable, "-m", "defcoop", *command],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield Server(base, token)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
