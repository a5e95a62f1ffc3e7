"""defcoop: sourced, de-duplicated records of defence cooperation from news reports."""

from __future__ import annotations
