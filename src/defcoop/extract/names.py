"""Proper names of exercises, agreements and courses.

"TurAz Falcon - 2021", "EFES-2022", "ATATURK-XI 2021", dubbed "Caucasian Eagle",
"Shusha Declaration on Allied Relations", "113th Term Static Parachute Basic
Course". Patterns run on the sentence text: names mix capitals inside words
("TurAz"), glue years to words ("SHAKTI2021") and use every kind of dash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from defcoop.extract.triggers import has_any
from defcoop.nlp.names_index import fold
from defcoop.records import EventType

_CAP = r"(?:[A-Z][\w’'.]*[\w’']|[A-Z])"  # a capitalized word: Falcon, TurAz, EFES, Atatürk
_DASH = r"\s*[-–—]\s*"
_YEAR = r"(?:19|20)\d\d"
_ROMAN = r"(?:[IVX]{1,5})"

# Words that open a capitalized run without being part of the name after them.
_LEAD = frozenset(
    """
    a an the in on at of for and or by to from with during since until after before as
    this that these those its their his her our it they he she we earlier later last next
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday ministry minister president also both between
    under within according over around about some nearly almost while when where
    """.split()
)
# Words that make a name only together with a proper word ("Joint Exercise" is no name).
_GENERIC = _LEAD | frozenset(
    """
    joint military naval air annual international multinational tactical special combined
    army navy force forces armed exercise exercises drill drills manoeuvres maneuvers
    bilateral trilateral large-scale live-fire command staff flight field first second third
    new exercise-2 major defence defense
    """.split()
)
_MONTHS = frozenset(
    """
    january february march april june july august september october november december
    published updated
    """.split()
)
_GENERIC_AGREEMENT = frozenset(
    "memorandum of understanding agreement mou protocol treaty declaration contract deal".split()
)

_YEAR_NAME = re.compile(
    rf"(?P<name>(?:{_CAP}(?:[ -](?:of the|of|de|la)?\s?)?){{0,4}}?{_CAP}"
    rf"(?:(?:{_DASH}|\s)(?:{_ROMAN}(?:\s+{_YEAR})?|{_YEAR})|-{_YEAR}|\s\d\d)|[A-Z]{{3,}}{_YEAR})\b"
)
# "SLINEX-24": an acronym with a two-digit year. "Tabuk-6", "Faisal-12 drills": an
# edition number, which names an exercise only right before the word for one.
_SHORT_YEAR_NAME = re.compile(r"(?P<name>\b[A-Z]{4,}-\d\d)\b(?!-)")
_EDITION_NAME = re.compile(
    rf"(?P<name>(?:{_CAP}\s){{0,2}}[A-Z][a-z]{{2,}}-\d{{1,2}})\b(?=\s+(?:[\w-]+\s+){{0,2}}"
    r"(?:exercises?|drills?|manoeuvres?|maneuvers?)\b)"
)
_EDITION_AFTER_NOUN = re.compile(
    rf"\b(?:exercises?|drills?|manoeuvres?|maneuvers?)\s+(?P<name>(?:{_CAP}\s){{0,2}}"
    r"[A-Z][a-z]{2,}-\d{1,2})\b(?!-)"
)
_NOT_EXERCISES = frozenset({"COVID"})
# A series acronym with no year ("the previous edition of SLINEX", "BALTOPS is the
# premier exercise"): a name only where an exercise word stands next to it.
_ACRONYM = re.compile(
    r"(?<![\w(/-])(?P<name>[A-Z]{5,})"
    r"(?![\w)/-]|\s\d|\s[IVX]+\b|\s*[-–—:]\s|\s*\)|\s*\(|,\s+[A-Z][a-z]+\.?\s+\d)"
)
_QUOTED = re.compile(r"[\"“‘«'](?P<name>[A-Z][^\"“”‘’«»]{1,60}?)[\"”’»'](?!\w)")
_INTRODUCED = re.compile(
    rf"\b(?:dubbed|codenamed|code-named|named|called|titled|Exercise|Operation)\s+"
    # "the Exercise Control of the Ground Forces": a staff, not an exercise's name.
    r"(?!(?:Control|Command|Directorate|Director|Planning|Headquarters|Staff|Division)\b)"
    rf"(?P<name>(?:{_CAP}(?:{_DASH}|\s+)){{0,4}}{_CAP}(?:{_DASH}(?:{_YEAR}|{_ROMAN}))?)"
)
_YEAR_FIRST = re.compile(
    rf"\b(?P<name>{_YEAR}\s+(?:{_CAP}\s+){{0,3}}{_CAP})(?=\s+(?:[\w-]+\s+){{0,6}}"
    r"(?:exercises?|drills?|manoeuvres?|maneuvers?|games)\b)"
)
# "... Agreement on Friday": a day or a month after a name is a date, not the name's end.
_CALENDAR_WORD = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\b"
)
_AGREEMENT_HEADS = "|".join(
    ("Declaration", "Agreement", "Treaty", "Memorandum", "Protocol", "Accord", "Pact",
     "Charter", "Roadmap", "Action Plan", "Framework", "Arrangement")
)  # fmt: skip
_AGREEMENT = re.compile(
    rf"(?P<name>(?:{_CAP}(?:[ -]|\s(?:and|of|for|on)\s(?=[A-Z]))){{1,6}}"
    rf"(?:{_AGREEMENT_HEADS})"
    rf"(?:\s+(?:on|of|for)\s+(?!{_CALENDAR_WORD})(?:{_CAP}\s?){{1,5}})?)"
)
_COURSE = re.compile(
    rf"(?P<name>(?:\d+(?:st|nd|rd|th)\s+)?(?:{_CAP}\s+){{1,6}}(?:Course|Courses|Program|Programme))\b"
)
# "the Africa-India Field Training Exercise": a name in title case, ending in its head.
_EXERCISE_TITLE = re.compile(rf"(?P<name>(?:{_CAP}[ -]){{1,6}}Exercise)\b")
_BEFORE_NOUN = re.compile(
    rf"(?P<name>(?:{_CAP}[ -]){{1,4}})(?:(?:joint|military|naval|air|annual|international|"
    r"multinational|tactical|special|bilateral|trilateral|flight|field|command|staff|"
    r"live-fire|large-scale|combined)\s+){0,3}(?:exercises?|drills?|manoeuvres?|maneuvers?)\b"
    # "the Vaziani drill ground", "Chabaa exercise area": a place, not an exercise's name.
    r"(?!\s+(?:grounds?|ranges?|areas?|fields?|sites?|polygons?|zones?|cent(?:er|re)s?|schools?))"
)
_AGREEMENT_HINT = re.compile(
    r"Declaration|Agreement|Treaty|Memorandum|Protocol|Accord|Pact|Charter|Roadmap|Action Plan|"
    r"Framework|Arrangement"
)
# A name its acronym defines: "a reciprocal access agreement (RAA)", "the Acquisition and
# Cross-Servicing Agreement (ACSA)": the words whose initials spell the acronym.
_ACRONYM_IN_BRACKETS = re.compile(r"\s\((?P<acronym>[A-Z]{2,8})\)|,\s+or\s+(?P<or>[A-Z]{2,8})\b")
# The words before such an acronym, ending in the head word of an agreement (run on the
# text right before the bracket only, so it never scans the whole sentence).
_DEFINED_WORDS = re.compile(
    r"(?P<words>(?:[\w’'-]+\s+){0,7}(?:agreement|treaty|pact|accord|framework|declaration|"
    r"arrangement|memorandum|protocol|initiative|dialogue|partnership))$",
    re.IGNORECASE,
)
_MINOR_WORDS = frozenset("and of on the for in to".split())
_QUOTE_HINT = re.compile(r"[\"“‘«']")
_YEAR_HINT = re.compile(r"\d|[\s-][IVX]+\b")
# What `_YEAR_NAME` needs: a year, a Roman numeral or a two-digit year after a space.
_NAMED_YEAR_HINT = re.compile(r"(?:19|20)\d\d|[\s-][IVX]{1,5}\b|\s\d\d\b")
_NOUN_HINT = re.compile(r"xercise|rill|anoeuvre|aneuver")
# Substrings every match of a pattern holds: a C-speed test before the costly search.
_INTRODUCED_HINTS = ("dubbed", "named", "called", "titled", "Exercise", "Operation")
_FIVE_CAPITALS = re.compile(r"[A-Z][A-Z]{4}")  # what `_ACRONYM` needs
_SHORT_YEAR_HINT = re.compile(r"[A-Z]-\d\d")  # what `_SHORT_YEAR_NAME` needs
_YEAR_DIGITS = re.compile(_YEAR)
_DEFINED_HEADS = (
    "agreement", "treaty", "pact", "accord", "framework", "declaration", "arrangement",
    "memorandum", "protocol", "initiative", "dialogue", "partnership",
)  # fmt: skip
_YEAR_IN_NAME = re.compile(rf"({_YEAR})(?!\d)|[-–—\s](\d\d)$")
_TRAILING_YEAR = re.compile(rf"(?:{_DASH})?(?:{_YEAR}|\d\d)$|\s+{_YEAR}$")
_MIN_SERIES_KEY = 6
_POSSESSIVE_END = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class NameHit:
    """A proper name of an event found in a sentence."""

    start: int
    end: int
    text: str
    type: EventType | None  # None: the sentence's own trigger decides
    year: int | None

    @property
    def key(self) -> str:
        """The name without its year, case and punctuation: the same event series."""
        base = _TRAILING_YEAR.sub("", self.text)
        return name_key(base)


def edition_of(series: NameHit, year: int) -> NameHit:
    """The name of another year's edition of a series ("HARIMAU SHAKTI 2022" beside
    "HARIMAU SHAKTI 2023"), for a sentence that tells it without naming it."""
    base = _TRAILING_YEAR.sub("", series.text).strip(" -–—")
    return NameHit(0, 0, f"{base} {year}", series.type, year)


def same_series(a: str, b: str) -> bool:
    """Whether two name keys name the same series: equal, or one a head or tail of the other.

    "Shusha Declaration" and "Shusha Declaration on Allied Relations", "Winter
    Exercise" and "Joint Tactical Winter Exercise".
    """
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= _MIN_SERIES_KEY and (long.startswith(short) or long.endswith(short))


def name_key(text: str) -> str:
    """A comparable form of a name: lower case ASCII letters and digits only."""
    folded = fold(text)
    folded = re.sub(r"^(?:the|exercise|ex|operation)\b", "", folded.strip(" -"))
    return re.sub(r"[^a-z0-9]+", "", folded)


def _year_of(text: str) -> int | None:
    """The year a name carries ("EFES-2022" -> 2022, "BALTOPS 22" -> 2022)."""
    match = _YEAR_IN_NAME.search(text)
    if not match:
        return None
    if match.group(1):
        return int(match.group(1))
    return 2000 + int(match.group(2))


def _is_actor_word(word: str, is_actor: Callable[[str], bool]) -> bool:
    """Whether a word names countries: "Turkish", "Turkey's", "India-France"."""
    word = word.strip("“”\"'‘’(,")
    if "'" in word or "’" in word:
        word = _POSSESSIVE_END.sub("", word)
    if not word:
        return False
    return is_actor(word) or ("-" in word and all(is_actor(p) for p in word.split("-") if p))


def _trim(text: str, start: int, is_actor: Callable[[str], bool]) -> tuple[int, str]:
    """Drop leading words that are not part of a name (articles, countries, months)."""
    words = text.split(" ")
    while words:
        head = words[0].strip("“”\"'‘’(").lower()
        if head in _LEAD or _is_actor_word(words[0], is_actor):
            start += len(words[0]) + 1
            words = words[1:]
        else:
            break
    return start, " ".join(words)


def _no_actor(word: str) -> bool:
    """The default actor test: no word names a country."""
    return False


def _defined_name(words: str, acronym: str) -> str | None:
    """The trailing words whose initials (minor words skipped) spell `acronym`, if any."""
    tokens = words.split()
    for size in range(1, len(tokens) + 1):
        tail = tokens[-size:]
        initials = "".join(
            part[0]
            for word in tail
            if word.lower() not in _MINOR_WORDS
            for part in word.split("-")
            if part
        )
        if initials.upper() == acronym.upper():
            return " ".join(tail)
        if len(initials) > len(acronym):
            return None
    return None


_EDITION_HINT = re.compile(r"[a-z]-\d")
# How far before its year a name may begin: five capitalized words.
_NAME_REACH = 80


def _year_names(sentence: str) -> list[re.Match[str]]:
    """The matches of `_YEAR_NAME`, searched only in the stretches that end at a year-like
    token: the pattern is costly, and most of a sentence is far from any year."""
    windows: list[list[int]] = []
    for year in _NAMED_YEAR_HINT.finditer(sentence):
        # Each stretch starts at a word's start, as a search of the whole sentence would.
        start = sentence.rfind(" ", 0, max(0, year.start() - _NAME_REACH)) + 1
        end = min(len(sentence), year.end() + 1)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end  # overlapping stretches are searched as one
        else:
            windows.append([start, end])
    return [m for start, end in windows for m in _YEAR_NAME.finditer(sentence, start, end)]


def _may_end_in_head(text: str) -> bool:
    """Whether text can end in the head word `_DEFINED_WORDS` needs (its case ignored).

    Text that is not ASCII always can: under IGNORECASE "ı" matches "i", "ſ" matches "s".
    """
    if not text.isascii():
        return True
    return text.lower().removesuffix("\n").endswith(_DEFINED_HEADS)


def _is_headline(sentence: str) -> bool:
    """Whether a sentence is written in title case, as headlines are."""
    words = [w for w in re.findall(r"[A-Za-z]+", sentence) if len(w) > 3]
    return len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def find_names(sentence: str, is_actor: Callable[[str], bool] = _no_actor) -> list[NameHit]:
    """Proper names of events in a sentence, longest first, without overlaps.

    `is_actor` tells country names and demonyms, which open many capitalized
    runs ("Azerbaijani-Turkish") without being part of a name.
    """
    found: list[NameHit] = []

    def add(start: int, text: str, kind: EventType | None, dated: bool = True) -> None:
        text = text.strip(" -–—,.;:")
        start, text = _trim(text, start, is_actor)
        text = text.strip(" -–—,.;:")
        tail = text.split(" ")
        while len(tail) > 1 and _is_actor_word(tail[-1], is_actor):
            tail.pop()  # "Silver Steppe Kazakh-Kyrgyz drills": the partners follow the name
        text = " ".join(tail)
        if len(text) < 3 or not any(c.isalpha() for c in text):
            return
        words = [w.lower() for w in re.findall(r"[\w’'-]+", text)]
        if all(w in _GENERIC or _is_actor_word(w, is_actor) or w.isdigit() for w in words):
            return
        if any(w in _MONTHS for w in words):
            return
        if re.search(r"\s\d\d$", text) and not re.match(r"[A-Z]{4,}\s\d\d$", text):
            return
        if kind == "agreement" and set(words) <= _GENERIC_AGREEMENT | {"of", "on"}:
            return
        end = start + len(text)
        for hit in found:
            if hit.start <= start and end <= hit.end:
                return
        found[:] = [h for h in found if not (start <= h.start and h.end <= end)]
        found.append(NameHit(start, end, text, kind, _year_of(text) if dated else None))

    if "(" in sentence or ", or " in sentence:
        for bracket in _ACRONYM_IN_BRACKETS.finditer(sentence):
            window = max(0, bracket.start() - 120)
            if not _may_end_in_head(sentence[window : bracket.start()]):
                continue
            head = _DEFINED_WORDS.search(sentence, window, bracket.start())
            if head is None:
                continue
            acronym = bracket.group("acronym") or bracket.group("or")
            defined = _defined_name(head.group("words"), acronym)
            if defined is not None:
                add(bracket.start() - len(defined), defined, "agreement")
    # Cheap substring checks first: most sentences hold no name of any kind.
    if _AGREEMENT_HINT.search(sentence):
        for match in _AGREEMENT.finditer(sentence):
            add(match.start("name"), match.group("name"), "agreement")
    if "Course" in sentence or "Program" in sentence:
        for match in _COURSE.finditer(sentence):
            add(match.start("name"), match.group("name"), "training")
    if "Exercise" in sentence and not _is_headline(sentence):
        for match in _EXERCISE_TITLE.finditer(sentence):
            add(match.start("name"), match.group("name"), "exercise")
    quoted = _QUOTED.finditer(sentence) if _QUOTE_HINT.search(sentence) else ()
    for match in quoted:
        name = match.group("name")
        words = name.split()
        capitals = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
        if len(words) <= 6 and capitals * 2 >= len(words):
            add(match.start("name"), name, None)
    introduced = _INTRODUCED.finditer(sentence) if has_any(sentence, _INTRODUCED_HINTS) else ()
    for match in introduced:
        if match.group(0)[:1].isupper() and _is_headline(sentence):
            continue  # "... Exercise Ends In Georgia": every word of a headline is capitalized
        add(match.start("name"), match.group("name"), None)
    year_hint = _YEAR_HINT.search(sentence) is not None
    if year_hint:
        for match in _year_names(sentence):
            add(match.start("name"), match.group("name"), None)
        short = _SHORT_YEAR_NAME.finditer(sentence) if _SHORT_YEAR_HINT.search(sentence) else ()
        for match in short:
            if match.group("name").split("-")[0] not in _NOT_EXERCISES:
                add(match.start("name"), match.group("name"), None)
        if _EDITION_HINT.search(sentence):
            for match in _EDITION_NAME.finditer(sentence):
                add(match.start("name"), match.group("name"), "exercise", dated=False)
            for match in _EDITION_AFTER_NOUN.finditer(sentence):
                add(match.start("name"), match.group("name"), "exercise", dated=False)
    noun_hint = _NOUN_HINT.search(sentence) is not None
    if year_hint and (noun_hint or "games" in sentence) and _YEAR_DIGITS.search(sentence):
        for match in _YEAR_FIRST.finditer(sentence):
            # "The 2024 Silver Steppe Kazakh-Kyrgyz joint drills": the year leads.
            words = match.group("name").split(" ")
            while len(words) > 1 and (
                words[-1].lower() in _GENERIC or _is_actor_word(words[-1], is_actor)
            ):
                words.pop()
            if len(words) > 1 and words[1].lower() not in _MONTHS | _LEAD:
                add(match.start("name"), " ".join(words), None)
    acronyms = _ACRONYM.finditer(sentence) if _FIVE_CAPITALS.search(sentence) else ()
    for match in acronyms:
        if match.group("name") not in _NOT_EXERCISES:
            add(match.start("name"), match.group("name"), None, dated=False)
    if noun_hint:
        for match in _BEFORE_NOUN.finditer(sentence):
            add(match.start("name"), match.group("name"), "exercise")
    found.sort(key=lambda h: h.start)
    return found
