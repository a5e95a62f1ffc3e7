"""Report ids every page and API answer can carry in a URL path.

An id with '/' (or '.' or '..' alone) has no URL path that reaches it, and a very long
one exceeds what the paths accept: such ids are refused at input, with the reason,
rather than stored out of reach.
"""

from __future__ import annotations

import re

MAX_REPORT_ID = 500
REPORT_ID_RULE = (
    f"at most {MAX_REPORT_ID} characters, no '/' and no control characters, not '.' or '..'"
)
# The schema's form of the rule, for the raw value (which is stripped, and taken as
# absent when blank): blank, or some character other than a dot or a space.
REPORT_ID_PATTERN = (
    r"^(?:[^/\x00-\x1f\x7f-\x9f]*[^/.\s\x00-\x1f\x7f-\x9f][^/\x00-\x1f\x7f-\x9f]*|\s*)$"
)
_UNFIT = re.compile(r"[/\x00-\x1f\x7f-\x9f]")


def report_id_problem(report_id: str) -> str | None:
    """Why a (stripped) report id cannot be stored, or None when it can."""
    if len(report_id) > MAX_REPORT_ID:
        return f"is {len(report_id)} characters long, over the limit of {MAX_REPORT_ID}"
    found = _UNFIT.search(report_id)
    if found is not None:
        what = "'/'" if found.group() == "/" else f"the control character {found.group()!r}"
        return f"contains {what}, which no page or API path can carry"
    if report_id in (".", ".."):
        return f"is {report_id!r}, which no page or API path can carry"
    return None
