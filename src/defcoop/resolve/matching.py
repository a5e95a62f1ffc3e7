"""Whether two mentions, from two reports, tell of the same real event.

Two steps, so that a store of 100,000 mentions is never scanned whole: blocking
keys pick the few mentions worth comparing (same type and year, and a shared
partner or a shared name word), and `same_event` compares each pair. The
decision depends on the two mentions alone, never on what else is stored, so
the partition into events is the same whatever order reports arrive in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from defcoop.extract.names import name_key, same_series
from defcoop.nlp.dates import as_date, shifted_day
from defcoop.records import Mention

_YEAR = re.compile(r"(?:19|20)\d\d")
_SHORT_YEAR = re.compile(r"[\s-](\d\d)$")
_NAME_WORD = re.compile(r"[^\W\d_]{3,}")
_TRAILING_NUMBER = re.compile(r"(?:[\s\-–—]*(?:(?:19|20)\d\d|\d\d)\b)+$")
_MIN_HEAD = 4
_SERIES_PREFIX = 6  # same_series needs at least this many letters in common
# A named edition is told of for weeks: announced, opened, closed.
_NAMED_SLACK = timedelta(days=60)  # "TurAz Qartali" and "TurAz Eagle" share their head word
# How far apart two dates of one event may be (days).
_SLACK = {"exercise": 5, "training": 30, "agreement": 1, "meeting": 1, "transfer": 10}


def event_year(mention: Mention) -> int | None:
    """The year of the event: its name's, else its start's, else its end's."""
    if mention.name:
        found = _YEAR.findall(mention.name)
        if found:
            return int(found[-1])
        short = _SHORT_YEAR.search(mention.name)
        if short:
            return 2000 + int(short.group(1))
    for value in (mention.start, mention.end):
        if value:
            return int(value[:4])
    return None


def series_key(name: str) -> str:
    """The name without its year: the series an edition belongs to ("efes")."""
    return name_key(_TRAILING_NUMBER.sub("", _YEAR.sub(" ", name)).strip())


def _head(name: str) -> str | None:
    """The first word of a name, when it alone tells the series.

    Only a coined word does: "TurAz" in "TurAz Qartali" / "TurAz Eagle" (the same
    drills, named in two languages). An ordinary word does not: "Anatolian Eagle"
    and "Anatolian Phoenix" are two exercises.
    """
    words = _NAME_WORD.findall(name)
    if not words:
        return None
    word = words[0]
    coined = any(c.isupper() for c in word[1:]) and not word.isupper()
    head = name_key(word)
    return head if coined and len(head) >= _MIN_HEAD else None


def _news_span(mention: Mention) -> tuple[date, date] | None:
    """The days an undated, unnamed mention told as news may lie on: the fortnight up to
    its report's day, or the weeks after it when the event is still to come."""
    if mention.published is None or mention.background or mention.name:
        return None
    if mention.type not in ("meeting", "agreement", "transfer"):
        return None  # drills and courses run for weeks, many at once: a day says too little
    if mention.start or mention.end:
        return None
    day = mention.published
    if mention.status == "planned":
        return day, shifted_day(day, _NEWS_AHEAD)
    return shifted_day(day, -_NEWS_AGE), day


# How far from its report's day an undated event told as news may lie.
_NEWS_AGE = timedelta(days=14)
_NEWS_AHEAD = timedelta(days=60)


def key_year(mention: Mention) -> int | None:
    """The year a mention's keys carry: its event's, else (undated news) its news days'.

    Two mentions that `same_event` may join share it (an undated named agreement aside),
    which lets a bulk load resolve each type and year apart (`bulk.parts`).
    """
    year = event_year(mention)
    news = _news_span(mention)
    if year is None and news is not None:
        year = news[1].year
    return year


def blocking_keys(mention: Mention) -> tuple[str, ...]:
    """Keys under which a mention is stored, and (through `meets`) looks for its matches.

    A pair `same_event` may join meets on a key, and only mentions of one type and one
    `key_year` meet (the agreements' undated names aside): the keys pick exactly the
    pairs that keys of (type, year, partner) picked, in cells that stop growing with the
    store. Mentions compared by their dates meet in a week (a course, in four) and by
    their partners (`_partner_keys`); names meet by head, tail or coined first word.
    """
    year = key_year(mention)
    keys = list(_name_keys(mention, year))
    if year is not None:
        buckets = _date_buckets(mention)
        partners = _partner_keys(mention.participants)
        if buckets is not None:
            keys.extend(f"{mention.type}|{year}|{b}|{who}" for b in buckets for who in partners)
        elif mention.type == "agreement" and _known(mention) == 1:
            # "the 1992 agreement": matched on its year and the very same partners.
            codes = sorted(set(mention.participants))
            if len(codes) > 1:
                keys.append(f"agreement|{year}|{'+'.join(codes)}")
    return tuple(dict.fromkeys(keys))


# A partner's key "CODE~any" is held by mentions of one partner or of many, "CODE~few"
# by mentions of a few (which meet each other on pairs of partners instead).
_FEW = 4  # partners up to which a mention meets others by pairs of partners
_ANY, _SOME = "~any", "~few"


def meets(key: str) -> tuple[str, ...]:
    """The keys a mention holding `key` finds its candidates under (symmetric: a key
    meets another exactly when that one meets it)."""
    if key.endswith(_ANY):
        return key, key[: -len(_ANY)] + _SOME
    if key.endswith(_SOME):
        return (key[: -len(_SOME)] + _ANY,)
    return (key,)


def met_under(key: str, index: Mapping[str, Iterable[int]]) -> set[int]:
    """The ids an index holds under the keys `key` meets."""
    return {i for met in meets(key) for i in index.get(met, ())}


def meeting_pairs(index: Mapping[str, Iterable[int]]) -> list[tuple[int, int]]:
    """Every pair of different ids of an index whose keys meet, smaller id first, sorted."""
    return sorted(
        {
            (min(x, y), max(x, y))
            for key, ids in index.items()
            for x in ids
            for y in met_under(key, index)
            if x != y
        }
    )


def _partner_keys(participants: tuple[str, ...]) -> list[str]:
    """Who a dated mention meets: `same_event` joins two mentions only when one's partners
    are among the other's and they share two (or the one of a single-partner mention).

    Mentions of a few partners meet each other on each pair of their partners, so that
    the pairs of one busy country never meet on it; a mention of one partner, or of many
    (a pair each would be too many keys), meets every other on each partner.
    """
    codes = sorted(set(participants))
    if len(codes) == 1 or len(codes) > _FEW:
        return [f"{code}{_ANY}" for code in codes]
    pairs = [f"{a}+{b}" for i, a in enumerate(codes) for b in codes[i + 1 :]]
    return [*pairs, *(f"{code}{_SOME}" for code in codes)]


def name_keys(mention: Mention) -> tuple[str, ...]:
    """The blocking keys of a mention's name alone. An undated named agreement holds no
    other, so it meets a named agreement of another year on these only (`bulk.parts`)."""
    return tuple(dict.fromkeys(_name_keys(mention, key_year(mention))))


def _name_keys(mention: Mention, year: int | None) -> list[str]:
    """Keys of a name: its series' first and last letters, its coined head word.

    `same_series` joins names equal, or one the head or the tail of the other, of at
    least `_SERIES_PREFIX` letters. An edition of a drill, course, visit or delivery
    matches only in its own year; an agreement's name is restated undated for years.
    """
    if not mention.name or (year is None and mention.type != "agreement"):
        return []
    scope = "" if mention.type == "agreement" else f"|{year}"
    series = series_key(mention.name)
    keys = [f"{mention.type}|series|{series[:_SERIES_PREFIX]}{scope}"]
    head = _head(mention.name)
    if head:
        keys.append(f"{mention.type}|name|{head}{scope}")
    if year is not None and len(series) > _SERIES_PREFIX:
        # "Winter Exercise" in "Joint Tactical Winter Exercise", between partners.
        tail = series[-_SERIES_PREFIX:]
        keys.extend(f"{mention.type}|tail|{tail}|{year}|{code}" for code in mention.participants)
    return keys


# Days of a date key's time cell: a week; a course's dates are looser (`_SLACK`).
_CELL_DAYS = {"training": 28}


def _date_buckets(mention: Mention) -> range | None:
    """The time cells a mention's dated matches must touch, or None when it has none.

    A mention covers the days of its dates widened by the type's slack before them:
    two spans `_dates_agree` keeps apart by at most the slack then share a day. Undated
    news covers its news days (the dated report's first day lies in them).
    """
    news = _news_span(mention)
    if news is not None:
        first, last = news
    elif _known(mention) >= 2:
        span = _span(mention)
        if span is None:
            return None
        slack = timedelta(days=_SLACK.get(mention.type, 7))
        first, last = shifted_day(min(span), -slack), max(span)
    else:
        return None
    days = _CELL_DAYS.get(mention.type, 7)
    return range(first.toordinal() // days, last.toordinal() // days + 1)


def _known(mention: Mention) -> int:
    """How precisely the mention dates its event: 0 not at all, 1 year, 2 month, 3 day."""
    return max(_precision(mention.start), _precision(mention.end))


def _span(mention: Mention) -> tuple[date, date] | None:
    """The days the mention's dates cover, or None when it has no date."""
    start = mention.start
    if start and mention.end and _precision(start) == 1 < _precision(mention.end):
        start = None  # a year from the name, and a precise end: the end says more
    first = as_date(start, last=False) if start else None
    last = (
        as_date(mention.end or mention.start, last=True) if (mention.end or mention.start) else None
    )
    if first is None and last is None:
        return None
    if first is None:
        assert last is not None
        return last - timedelta(days=45), last
    return first, last or first


def _dates_agree(a: Mention, b: Mention, slack: timedelta | None = None) -> bool | None:
    """Whether the dates of two mentions fit one event; None when either has none."""
    span_a, span_b = _span(a), _span(b)
    if span_a is None or span_b is None:
        return None
    slack = slack if slack is not None else timedelta(days=_SLACK.get(a.type, 7))
    gap = max(span_a[0] - span_b[1], span_b[0] - span_a[1], timedelta(0))
    return gap <= slack


def _places_agree(a: Mention, b: Mention) -> bool:
    """Whether two locations can be the site of one event: the same place, or one vaguer."""
    if a.location is None or b.location is None:
        return True
    if a.location.place_id and a.location.place_id == b.location.place_id:
        return True
    country_a, country_b = a.location.country, b.location.country
    if country_a and country_b and country_a != country_b:
        return False
    return _is_vague(a) or _is_vague(b)


def _is_vague(mention: Mention) -> bool:
    """Whether a mention places its event no closer than a country or a region."""
    place = mention.location
    return (
        place is None
        or place.place_id is None
        or place.name is None
        or (place.place_id.startswith("iso3166-2:") or place.name == place.country)
    )


def names_agree(a: str, b: str) -> bool:
    """Whether two names are spellings of one series: "EFES-2022" / "Efes 2022"."""
    key_a, key_b = series_key(a), series_key(b)
    if same_series(key_a, key_b):
        return True
    head_a, head_b = _head(a), _head(b)
    return head_a is not None and head_a == head_b


def _precision(value: str | None) -> int:
    """0 without a date, 1 year, 2 month, 3 day."""
    return 0 if not value else value.count("-") + 1


def _news_of(undated: Mention, dated: Mention) -> bool:
    """Whether a day-precise mention falls in the days an undated one told as news covers."""
    news = _news_span(undated)
    if news is None or _precision(dated.start) < 3:
        return False
    span = _span(dated)
    return span is not None and news[0] <= span[0] <= news[1]


def _unnamed_same(a: Mention, b: Mention) -> bool:
    """Type, partners, dates and place agree closely enough to be one unnamed event."""
    ours, theirs = set(a.participants), set(b.participants)
    if not (ours <= theirs or theirs <= ours) or len(ours & theirs) < min(
        2, len(ours), len(theirs)
    ):
        return False
    if not _places_agree(a, b):
        return False
    known_a, known_b = _known(a), _known(b)
    if not known_a or not known_b:
        # An undated report of news, and a report that dates it to a day in its days.
        return _news_of(a, b) or _news_of(b, a)
    if known_a == 1 or known_b == 1:
        # A year alone says little: only a signing of the same partners in the same
        # year ("the 1992 agreement", restated in many reports) is matched on it.
        return (
            a.type == "agreement" and known_a == known_b == 1 and ours == theirs and len(ours) > 1
        )
    return bool(_dates_agree(a, b))


def same_event(a: Mention, b: Mention) -> bool:
    """Whether two mentions from different reports tell of the same real event."""
    if a.type != b.type or (a.doc == b.doc and a.doc):
        return False
    year_a, year_b = event_year(a), event_year(b)
    if a.name and b.name and names_agree(a.name, b.name):
        if year_a is None or year_b is None:
            # "the Shusha Declaration", undated, restated after the signing.
            return a.type == "agreement"
        return year_a == year_b and _dates_agree(a, b, _NAMED_SLACK) is not False
    if a.name and b.name:
        return False  # two names that disagree: two exercises, however alike
    if year_a is not None and year_b is not None and year_a != year_b:
        return False
    return _unnamed_same(a, b)
