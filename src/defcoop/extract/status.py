"""Planned, ongoing or completed, from an event's dates, then tense and aspect."""

from __future__ import annotations

import re
from datetime import date

from defcoop.extract.context import POINT_TYPES
from defcoop.extract.drafts import Draft
from defcoop.extract.event_dates import ENDED
from defcoop.extract.tense_cues import COMPLETED, FUTURE, ONGOING
from defcoop.nlp.dates import as_date
from defcoop.records import Status

_RECENT_DAYS = 21
# The words of the act itself, for point events (lower case, as the trigger patterns).
_ACT_WORDS = {
    "meeting": re.compile(
        r"\b(?:meet|meets|met|meeting|talks|visit\w*|travel\w*|consultations|conference|"
        r"discuss\w*|receiv\w*|host\w*)\b"
    ),
    "agreement": re.compile(r"\b(?:sign\w*|ink\w*|conclud\w*|ratif\w*|adopt\w*)\b"),
    "transfer": re.compile(
        r"\b(?:deliver\w*|supply|supplies|donate\w*|sell\w*|transfer\w*|hand\w* over|"
        r"send\w*|ship\w*|buy\w*|purchas\w*|acquir\w*|arriv\w*|receiv\w*|provid\w*|"
        r"lease\w*|turn\w* over|construct\w*|buil[dt]\w*)\b"
    ),
}
# A point act told as under way on the day of the report.
_UNDER_WAY = re.compile(
    r"\b(?:is|are) (?:currently |now |presently )?(?:on (?:an?|his|her|their) (?:[\w-]+ ){0,2}"
    r"visit|visiting|in (?:the )?(?:[\w-]+ ){0,2}stages? of|being (?:built|delivered|"
    r"constructed|negotiated))\b"
)


_IN_PRINCIPLE = re.compile(r"\b(?:agreement|agreed|agreeing) in principle\b")
_FUTURE_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,8}?(?:is|are)\s+(?:scheduled|set|expected|due|planned|to be held)\b"
)


def _future_near(text: str, kind: str) -> bool:
    """Whether the future tense governs the act itself ("will meet", "to sign").

    A meeting reported in a sentence that also says "the drills will continue"
    is in the past; only a future cue shortly before the act's own word counts.
    """
    trigger = _ACT_WORDS.get(kind)
    if trigger is None:
        return FUTURE.search(text) is not None
    for match in trigger.finditer(text):
        if FUTURE.search(text[max(0, match.start() - 50) : match.end()]):
            return True
        # "talks are scheduled to take place", "the ministers are set to meet": the act
        # word as the subject of a future.
        if _FUTURE_AFTER.match(text, match.end()):
            return True
    return False


# The end of an exercise told in the past tense in any of its sentences.
_HAS_ENDED = re.compile(r"\b(?:concluded|ended|wrapped up|came to an end|drew to a close)\b")
# "the cadets successfully completed their training": a course is over.
_COURSE_ENDED = re.compile(
    r"\b(?:graduated|completed (?:their|the|its|his|her) (?:[\w-]+ ){0,2}(?:training|course|"
    r"programme|program))\b"
)


def _told_ended(sentence: str, kind: str) -> bool:
    """Whether a sentence says, in the past tense, that the event is over."""
    text = sentence.lower()
    ended = _HAS_ENDED.search(text) is not None or (
        kind == "training" and _COURSE_ENDED.search(text) is not None
    )
    return ended and FUTURE.search(text) is None


def event_status(
    draft: Draft, start: str | None, end: str | None, published: date
) -> Status | None:
    """Planned, ongoing or completed, from the dates and then from tense and aspect."""
    first = as_date(start, last=False)
    if first is not None and first > published:
        return "planned"
    last = as_date(end, last=True) if end else None
    if last is not None and last < published:
        return "completed"
    opener = draft.opener or draft.sentences[0]
    text = opener.sentence.text.lower()  # the trigger patterns are lower case
    precise_past = first is not None and start is not None and start.count("-") == 2
    future = _future_near(text, draft.type) if draft.type in POINT_TYPES else FUTURE.search(text)
    if future and not (precise_past and first is not None and first < published):
        return "planned"
    if draft.type == "agreement" and _IN_PRINCIPLE.search(text):
        return "planned"  # "struck an agreement in principle": the signing is still to come
    if draft.type in POINT_TYPES:
        # "is on an official visit", "are in the final stages of construction": under way.
        under_way = (
            _UNDER_WAY.search(text) is not None
            and COMPLETED.search(text) is None  # "who is on a visit, has met ...": done
            and (first is None or first >= published)
        )
        return "ongoing" if under_way else "completed"
    ended = ENDED.search(text) is not None or any(
        _told_ended(f.sentence.text, draft.type) for f in draft.sentences
    )
    if last == published and ended:
        return "completed"  # "wrapped up on Friday", told the same day
    if first is not None and last is not None and first <= published <= last:
        return "ongoing"
    if ended:
        return "completed"
    if ONGOING.search(text):
        if first is None or (published - first).days <= _RECENT_DAYS:
            return "ongoing"
        return "completed"
    if COMPLETED.search(text):
        return "completed"
    if first is not None and (published - first).days > _RECENT_DAYS:
        return "completed"
    return "ongoing"
