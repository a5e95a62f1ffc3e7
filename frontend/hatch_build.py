"""Build hook: the sdist and the wheel carry the web UI's libraries, built by npm.

A source tree without them (a fresh clone) has them built here with `npm ci` and
`npm run build`; an sdist already carries them, so a wheel built from it needs no npm.
Editable installs skip this: `make install` builds them in place.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

VENDOR = Path("src", "defcoop", "web", "static", "vendor")
# One file of each library the pages load; all of them present means the build ran.
REQUIRED = (
    "leaflet/leaflet.js",
    "markercluster/leaflet.markercluster.js",
    "topojson-client/topojson-client.min.js",
    "world-atlas/countries-110m.json",
)


class WebVendorHook(BuildHookInterface):
    """Make sure the built front-end files are there before the package is assembled."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Build the front-end files when missing; fail, saying why, when that is impossible."""
        if version == "editable":
            return
        root = Path(self.root)
        vendor = root / VENDOR
        if all((vendor / name).is_file() for name in REQUIRED):
            return
        frontend = root / "frontend"
        npm = shutil.which("npm")
        if npm is None or not (frontend / "package-lock.json").is_file():
            missing = [name for name in REQUIRED if not (vendor / name).is_file()]
            raise RuntimeError(
                f"the web UI's libraries are missing from {vendor} ({', '.join(missing)}) "
                "and npm is not available to build them: install Node.js 18+ and npm, "
                "or build from an sdist that carries them"
            )
        for command in (
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            [npm, "run", "--silent", "build"],
        ):
            subprocess.run(command, cwd=frontend, check=True)
