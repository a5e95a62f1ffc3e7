"""defcoop: sourced, de-duplicated records of defence cooperation from news reports.

The Python API::

    from datetime import date
    import defcoop

    for mention in defcoop.extract(text, published=date(2023, 9, 8)):
        print(mention.type, mention.participants, mention.start)

Importing defcoop loads no lexicon, gazetteer or spaCy pipeline: those load in
`Extractor.from_package()` (which `extract` calls). `Store` and the SQLAlchemy it
needs are imported on first use.
"""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING

from defcoop.errors import DefcoopError, InputError
from defcoop.ingest.readers import ReadOptions, read_inputs

# Bound after importing the pipeline on purpose: importing it loads the subpackage
# `defcoop.extract`, which would otherwise shadow the function of the same name.
from defcoop.pipeline import Extractor, extract
from defcoop.records import Evidence, Extraction, Location, Mention, Report

if TYPE_CHECKING:
    from defcoop.store.database import Store

try:
    __version__ = metadata.version("defcoop")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "DefcoopError",
    "Evidence",
    "Extraction",
    "Extractor",
    "InputError",
    "Location",
    "Mention",
    "ReadOptions",
    "Report",
    "Store",
    "__version__",
    "extract",
    "read_inputs",
]


def __getattr__(name: str) -> object:
    """Import `Store` (and SQLAlchemy) only when it is first asked for."""
    if name == "Store":
        from defcoop.store.database import Store

        globals()["Store"] = Store
        return Store
    raise AttributeError(f"module 'defcoop' has no attribute {name!r}")
