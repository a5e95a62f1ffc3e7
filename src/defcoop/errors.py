"""Exceptions raised by defcoop.

DefcoopError
├── InputError            a report could not be read; names the input and the reason
│   ├── UnreadableInput   missing file, permission denied, binary data, wrong encoding
│   ├── MalformedInput    invalid JSON, a field of the wrong type, no text
│   ├── MissingDate       no publication date in the report nor given by the caller
│   ├── OversizedInput    more text than the configured limit
│   └── FetchError        a web address could not be fetched (network, HTTP status, robots.txt)
├── StoreError            the database could not be opened or written
│   └── UnknownEvent      an event id that is not in the store
├── ReportConflict        a report id stored with other content, and no replace asked
└── SettingError          a setting with an invalid value
"""

from __future__ import annotations


class DefcoopError(Exception):
    """Base of every error defcoop raises on purpose."""


class InputError(DefcoopError):
    """A report could not be read."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnreadableInput(InputError):
    """The input cannot be read as text."""


class MalformedInput(InputError):
    """The input is readable but is not a valid report."""


class MissingDate(InputError):
    """The report has no publication date and none was given."""


class OversizedInput(InputError):
    """The report is larger than the size limit."""


class FetchError(InputError):
    """A web address could not be fetched; `status` is the HTTP status when one came back."""

    def __init__(self, source: str, reason: str, status: int | None = None) -> None:
        super().__init__(source, reason)
        self.status = status


class StoreError(DefcoopError):
    """The store could not be opened or written."""


class UnknownEvent(StoreError):
    """No event with this id in the store."""


class ReportConflict(DefcoopError):
    """A report id is stored with other content and replacing it was not asked for."""


class SettingError(DefcoopError):
    """A setting has an invalid value."""
