"""Which act of a sentence a date belongs to, when a sentence tells two: a deal and a
delivery, or a meeting and a deal."""

from __future__ import annotations

import re

from defcoop.records import DateSpan

# The acts a date may belong to when a sentence tells both a deal and a delivery:
# "received on October 8 the first of the jets ordered in 2016".
_DEAL_ACT = re.compile(r"\b(?:sign\w*|ink\w*|order\w*|contract\w*|deal)\b", re.I)
_DELIVERY_ACT = re.compile(
    r"\b(?:deliver\w*|receiv\w*|arriv\w*|hand\w* over|handover|turn\w* over|turnover|"
    r"took delivery|donat\w*|transfer\w*)\b",
    re.I,
)

# A meeting told with a deal: "signed at the end of the talks ... under an accord
# signed in 2023".
_MEETING_ACT = re.compile(r"\b(?:met|meet\w*|talks|visit\w*|consultations?|conference)\b", re.I)
# Drills or a course told with the deal they are held under: "the training is part of
# the cooperation agreement signed earlier this year".
_DRILL_ACT = re.compile(
    r"\b(?:train\w*|course\w*|drill\w*|exercis\w*|manoeuv\w*|maneuv\w*)\b", re.I
)
# A date that names a deal: "the 2022 deal", "a 2016 contract worth ...".
_DEAL_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:deal|contract|agreement|accord|order|memorandum)s?\b", re.I
)
_ACTS = {
    "exercise": (_DRILL_ACT, _DEAL_ACT),
    "training": (_DRILL_ACT, _DEAL_ACT),
    "agreement": (_DEAL_ACT, _DELIVERY_ACT),
    "transfer": (_DELIVERY_ACT, _DEAL_ACT),
    "meeting": (_MEETING_ACT, _DEAL_ACT),
}


def dates_another_act(kind: str, text: str, span: DateSpan) -> bool:
    """Whether a date belongs to the other act of a deal-and-delivery sentence: the act
    word nearest before it ("received in January ... under a deal signed in March")."""
    if kind not in _ACTS:
        return False
    own, other = _ACTS[kind]

    def distance(pattern: re.Pattern[str]) -> int | None:
        gaps = [span.start - m.end() for m in pattern.finditer(text, 0, span.start)]
        return min(gaps) if gaps else None

    if kind != "agreement" and _DEAL_AFTER.match(text, span.end):
        return True  # "the jets from the 2022 deal": the deal's year
    if own.search(text) is None:
        return False  # the sentence tells only one act: every date is its own
    mine, theirs = distance(own), distance(other)
    return theirs is not None and (mine is None or theirs < mine)
