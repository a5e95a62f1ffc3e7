"""The package as a pip user gets it: built with `python -m build`, installed from the wheel
into a fresh virtualenv by that virtualenv's own pip, run without npm on PATH.

The wheel is built from the sdist (`python -m build` does both), so this also checks
that the sdist carries the web UI's libraries.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "defcoop" / "web" / "static" / "vendor"
MAP_DATA = "/static/vendor/world-atlas/countries-110m.json"
INSTALL_SECONDS = 300

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    """A fresh virtualenv with the built wheel installed, and the environment to run it."""

    bin: Path
    env: dict[str, str]
    wheel: Path


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    """Run a command; fail the test with its output when it fails."""
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=INSTALL_SECONDS, check=False
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """Build the sdist and wheel, install the wheel in a new venv with its own pip."""
    if not (VENDOR / "leaflet" / "leaflet.js").is_file():
        pytest.skip("the web UI's libraries are not built: run `make install` (npm) first")
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)])
    wheels = sorted(dist.glob("defcoop-*.whl"))
    assert len(wheels) == 1 and sorted(dist.glob("defcoop-*.tar.gz"))
    venv = work / "venv"
    # The interpreter the tests run on, not this virtualenv: a new venv gets the pip
    # that Python bundles, not an upgraded one.
    base = Path(getattr(sys, "_base_executable", sys.executable))
    _run([str(base), "-m", "venv", str(venv)])
    # No npm, no node, no project virtualenv: only the new venv's own commands.
    env = {
        "PATH": str(venv / "bin"),
        "HOME": os.environ.get("HOME", str(work)),
        "LANG": "C.UTF-8",
    }
    for name in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CERT"):
        if name in os.environ:
            env[name] = os.environ[name]
    _run([str(venv / "bin" / "pip"), "install", "--quiet", str(wheels[0])], env)
    yield Installed(bin=venv / "bin", env=env, wheel=wheels[0])


def test_the_venv_pip_is_the_bundled_one(installed: Installed) -> None:
    # pip 23.x is what Python 3.11/3.12 venvs start with; the install above used it
    version = _run([str(installed.bin / "pip"), "--version"], installed.env)
    assert re.match(r"pip \d+\.", version)


def test_the_command_runs_without_npm(installed: Installed) -> None:
    assert "npm" not in os.listdir(installed.bin)
    assert "Usage: defcoop" in _run([str(installed.bin / "defcoop"), "--help"], installed.env)


def test_spacy_is_not_installed_with_defcoop(installed: Installed) -> None:
    probe = "import importlib.util as u; print(u.find_spec('spacy') is None)"
    assert _run([str(installed.bin / "python"), "-c", probe], installed.env).strip() == "True"


def test_extract_runs_from_the_wheel(installed: Installed, tmp_path: Path) -> None:
    report = tmp_path / "drill.txt"
    report.write_text(
        " date 2023-05-17 By Test Wire\nDutch and Belgian naval divers began a joint "
        "mine-clearance exercise off Zeebrugge on Monday, the Belgian Navy said.\n",
        encoding="utf-8",
    )
    out = _run(
        [str(installed.bin / "defcoop"), "extract", str(report), "--format", "jsonl"],
        installed.env,
    )
    assert '"participants": ["BEL", "NLD"]' in out


def _free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    """Status and body of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_from_the_wheel_serves_the_map(installed: Installed, tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(installed.bin / "defcoop"),
        "serve",
        "--db",
        f"sqlite:///{tmp_path / 'store.db'}",
        "--port",
        str(port),
    ]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=installed.env, stdout=out, stderr=out)
        try:
            deadline = time.monotonic() + 60
            page = b""
            while time.monotonic() < deadline:
                assert server.poll() is None, log.read_text(encoding="utf-8")
                try:
                    status, page = _get(base + "/")
                    break
                except OSError:
                    time.sleep(0.3)
            assert status == 200, log.read_text(encoding="utf-8")
            assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', page)
            scripts = [a for a in assets if a.endswith(b".js")]
            assert any(b"/vendor/leaflet/" in a for a in scripts)
            assert len(scripts) >= 5
            for asset in [*assets, MAP_DATA.encode()]:
                status, body = _get(base + asset.decode())
                assert (asset, status) == (asset, 200)
                assert body
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert "not built" not in log.read_text(encoding="utf-8")
