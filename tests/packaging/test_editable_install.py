"""The README's by-hand install: `pip install -e '.[dev]'` in a new virtualenv, with the
pip that virtualenv starts with (23.x on Python 3.11/3.12), not an upgraded one.

Installing every development dependency afresh takes minutes; they are already in the
virtualenv the tests run in, so the new one sees them (and nothing of defcoop) through a
site directory of links. Its own pip still resolves every requirement of `.[dev]`,
builds defcoop's editable wheel with the build backend and installs the command; the
wheel test (test_wheel.py) covers pip fetching the run-time dependencies itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL_SECONDS = 300

pytestmark = pytest.mark.slow


def _run(command: list[str], env: dict[str, str]) -> str:
    """Run a command; fail the test with its output when it fails."""
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=INSTALL_SECONDS, check=False
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def _is_defcoop(name: str) -> bool:
    """An entry of site-packages that belongs to the installed defcoop: the package, its
    dist-info, the editable install's .pth (`_editable_impl_defcoop.pth` from hatchling,
    `__editable__.defcoop-...` from setuptools)."""
    return (
        name == "defcoop"
        or "defcoop-" in name
        or re.search(r"editable\w*defcoop", name) is not None
    )


def _dependencies_dir(work: Path) -> Path:
    """A site directory linking everything installed in the test's virtualenv but defcoop."""
    if sys.prefix == sys.base_prefix:
        pytest.skip("the tests do not run in a virtualenv (make install creates .venv)")
    site = Path(sysconfig.get_paths()["purelib"])
    linked = work / "dependencies"
    linked.mkdir()
    for entry in site.iterdir():
        if not _is_defcoop(entry.name):
            (linked / entry.name).symlink_to(entry)
    return linked


def test_the_readme_editable_install_works_with_the_venv_pip(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    base = Path(getattr(sys, "_base_executable", sys.executable))
    env = {"PATH": str(venv / "bin"), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    for name in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CERT"):
        if name in os.environ:
            env[name] = os.environ[name]
    _run([str(base), "-m", "venv", str(venv)], env)
    purelib = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        env,
    ).strip()
    # a site directory (its .pth files processed too), after the new venv's own
    dependencies = _dependencies_dir(tmp_path)
    Path(purelib, "dependencies.pth").write_text(
        f"import site; site.addsitedir({str(dependencies)!r})\n", encoding="utf-8"
    )
    pip = str(venv / "bin" / "pip")
    version = _run([pip, "--version"], env)
    assert str(venv) in version, version  # the new venv's own pip, as it came
    probe = [str(venv / "bin" / "python"), "-c", "import defcoop"]
    assert subprocess.run(probe, env=env, capture_output=True, check=False).returncode != 0

    _run([pip, "install", "-e", f"{ROOT}[dev]"], env)

    where = _run(
        [str(venv / "bin" / "python"), "-c", "import defcoop; print(defcoop.__file__)"], env
    )
    assert where.strip() == str(ROOT / "src" / "defcoop" / "__init__.py")
    assert "Usage: defcoop" in _run([str(venv / "bin" / "defcoop"), "--help"], env)
    assert "Usage: defcoop serve" in _run([str(venv / "bin" / "defcoop"), "serve", "--help"], env)
