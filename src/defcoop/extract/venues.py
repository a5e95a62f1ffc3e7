"""Venues named by their form, and the place a report is filed from.

Most academies, bases, ranges, headquarters and factories are in no gazetteer,
but the text names them plainly: "at the Vaziani Military Airfield", "the
Mountain Commando School and Training Center", "Camp Norio", "the Special
Service headquarters in Tarbela". Such a venue is kept as the text names it,
with the country the text gives it, and coordinates only when a gazetteer place
stands right beside it ("..., Dehradun", "... in Merignac").

A dateline ("MANILA (Reuters) –", "WASHINGTON, June 12 -", "YEREVAN —") says
where a report was filed: where a signing or a visit reported from there took
place, when the report names no other place for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from defcoop.extract.triggers import has_any
from defcoop.nlp.names_index import fold
from defcoop.nlp.places import PlaceHit
from defcoop.records import Place

# Head words of a venue. Written after capitalized words ("Vaziani military base",
# "Indian Military Academy") or before one ("Camp Norio", "Fort Benning").
_HEADS = (
    r"(?:air\s+base|airbase|air\s+field|airfield|airport|base|naval\s+base|naval\s+station|"
    r"academy|military\s+school|school|college|university|institute|training\s+cent(?:er|re)|"
    r"cent(?:er|re)|training\s+areas?|training\s+grounds?|drill\s+grounds?|firing\s+ranges?|range|"
    r"polygon|headquarters|hq|garrison|shipyard|dockyard|naval\s+dockyard|factory|plant|port|"
    r"harbou?r|palace|parliament|ministry\s+of\s+(?:national\s+)?defen[cs]e)"
)
_QUALIFIERS = (
    r"(?:(?:military|naval|air|army|training|drill|joint|special|combined|field|firing|"
    r"infantry|aviation|mountain|commando|warfare|jungle|peacekeeping|defen[cs]e|staff|war|"
    r"forces|force|service|services|command|and|of|the|for)\s+)*"
)
_CAP_WORD = r"(?:[A-Z][\w’'.-]*|\([A-Z]{2,}\))"
_LINK = r"(?:of|for|and|de|the|named\s+after)"
_NAMED_VENUE = re.compile(
    rf"(?P<name>{_CAP_WORD}(?:\s+(?:{_CAP_WORD}|{_LINK}))*?\s+(?i:{_QUALIFIERS}{_HEADS})\b"
    rf"(?:\s+(?:named\s+after|of)\s+(?:{_CAP_WORD}\s?){{1,4}})?)"
)
_HEAD_FIRST = re.compile(
    r"\b(?P<name>(?:Camp|Fort|Naval\s+Station|Base)\s+(?:[A-Z][\w’'-]+\s?){1,3})"
)
_LANDMARKS = re.compile(r"\bthe\s+(?P<name>Pentagon|White\s+House|Kremlin|Élysée\s+Palace)\b")
# Where a venue stands in the sentence: a locative word right before it.
_BEFORE = re.compile(
    r"(?:\b(?:at|in|inside|near|into|on|(?:re)?visit(?:ed|ing|s)?|visit to|toured)\s+"
    r"(?:the\s+)?|"
    r"['’]s?\s+|"
    # "the passing-out parade (POP) of Indian Naval Academy": an event of the venue.
    r"\b(?i:parade|ceremony|graduation|course|courses)\s+(?:\([A-Z]{2,}\)\s+)?of\s+(?:the\s+)?)$"
)
# A town right after a venue: "..., Dehradun", "... in Merignac", "... near Bordeaux".
_TOWN_AFTER = re.compile(r"^(?:\s*\([^)]{1,30}\))?(?:,\s*|\s+(?:in|near|at)\s+)$")
_SPEAKS_AFTER = re.compile(
    r"\s*(?:,\s*)?(?:has\s+|have\s+|had\s+)?(?:said|says|announced|reported|stated|told|"
    r"noted|added|informed|confirmed)\b"
)
_LEADING_OWNER = re.compile(r"([A-Z][\w.-]+)['’]s?\s+")
_POSSESSIVE = re.compile(r"\b([A-Z][\w.-]+)['’]s?\s+$")
_LANDMARK_COUNTRY = {"pentagon": "USA", "white house": "USA", "kremlin": "RUS"}
_LANDMARK_KIND = "building"


@dataclass(frozen=True)
class Venue:
    """A venue the text names, and the gazetteer place beside it, if any."""

    hit: PlaceHit
    town: PlaceHit | None


def _slug(text: str) -> str:
    """A stable id part for a venue named only in the text."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


# An event of the venue the pattern swept in: "Parade (POP) of Indian Naval Academy".
_EVENT_OF = re.compile(
    r"^(?:Passing[- ]out\s+)?(?:Parade|Ceremony|Graduation|Courses?)\s+(?:\([A-Z]{2,}\)\s+)?of\s+",
    re.IGNORECASE,
)


def _clean(name: str) -> str:
    """The name without a leading article, locative word or event the pattern swept in."""
    name = _EVENT_OF.sub("", name.strip())
    name = re.sub(r"^(?:the|at|in|of|and)\s+", "", name.strip(), flags=re.IGNORECASE)
    return name.strip(" ,.;:")


# A cheap test on the lower-cased sentence before the venue patterns: most have no venue.
_HINTS = (" base", "airbase", "air base", "airfield", "air field", "airport", "academy",
          "school", "college", "university", "institute", "center", "centre", " area",
          "ground", "range", "polygon", "headquarters", " hq", "garrison", "yard", "factory",
          "plant", " port", "harbo", "palace", "parliament", "ministry of", "camp ", "fort ",
          "station", "pentagon", "white house", "kremlin")  # fmt: skip


# What `_HEAD_FIRST` and `_LANDMARKS` need, in the text's own case.
_HEAD_FIRST_HINTS = ("Camp", "Fort", "Naval", "Base")
_LANDMARK_HINTS = ("Pentagon", "White", "Kremlin", "Élysée")


def _venue_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of every venue named by its form."""
    if not has_any(text.lower(), _HINTS):
        return
    patterns = [_NAMED_VENUE]
    if has_any(text, _HEAD_FIRST_HINTS):
        patterns.append(_HEAD_FIRST)
    if has_any(text, _LANDMARK_HINTS):
        patterns.append(_LANDMARKS)
    for pattern in patterns:
        for match in pattern.finditer(text):
            raw = match.group("name")
            name = _clean(raw)
            if not name or not name[0].isupper():
                continue
            # At least one word of the name must be its own (not only the head words).
            proper = [w for w in re.findall(r"[\w’'-]+", name) if w[:1].isupper()]
            if (
                pattern is _NAMED_VENUE
                and len(proper) < 2
                and not re.search(r"[A-Z].*\s+[a-z]", name)
            ):
                continue
            start = match.start("name") + raw.find(name)
            yield start, start + len(name), name


def _own_words(name: str, country_of_word: Callable[[str], str | None]) -> bool:
    """Whether a venue's name has a capitalized word of its own, not only countries and heads."""
    for word in re.findall(r"[A-Z][\w’'.-]*", name):
        bare = re.sub(r"['’]s?$", "", word)
        if country_of_word(bare) is None and not re.fullmatch(_HEADS, bare, re.IGNORECASE):
            return True
    return False


def find_venues(
    text: str,
    places: list[PlaceHit],
    country_of_word: Callable[[str], str | None],
) -> list[Venue]:
    """Venues named in a sentence, with a country and, if the text gives one, a town.

    `places` are the gazetteer's hits in the same sentence; `country_of_word` maps
    a country name or demonym ("Indian", "Armenia") to its code.
    """
    venues: list[Venue] = []
    taken: list[tuple[int, int]] = []
    for start, end, name in sorted(_venue_spans(text), key=lambda v: (v[0], -v[1])):
        if any(s <= start < e for s, e in taken):
            continue
        owner = _LEADING_OWNER.match(name)
        if owner is not None and country_of_word(owner.group(1)) is not None:
            # "Georgia's Vaziani military base": the country, then the venue's own name.
            start += owner.end()
            name = name[owner.end() :]
        if not _own_words(name, country_of_word):
            continue  # "a Russian military base" names no venue
        before = text[max(0, start - 40) : start]
        if not _BEFORE.search(before) and not _LANDMARKS.match(text, max(0, start - 4)):
            continue
        if any(p.start <= start and end <= p.end for p in places):
            continue  # the gazetteer knows it ("Incirlik Air Base"): its entry stands
        if _SPEAKS_AFTER.match(text, end):
            continue  # "the Defence Ministry said": an institution speaking, not a site
        taken.append((start, end))
        inside = [p for p in places if start <= p.start and p.end <= end]
        town = next(
            (
                p
                for p in places
                if p.start >= end
                and p.place.kind != "country"
                and _TOWN_AFTER.match(text[end : p.start])
            ),
            None,
        )
        # "the Fatesti Air Force Base in Romania": the country it stands in, said outright.
        stands_in = next(
            (
                p.place.country
                for p in places
                if p.start >= end
                and p.place.kind == "country"
                and _TOWN_AFTER.match(text[end : p.start])
            ),
            None,
        )
        country = _venue_country([], town) or stands_in or _venue_country(inside, None)
        country = country or _country_in(name, country_of_word)
        owner = _POSSESSIVE.search(text[max(0, start - 40) : start])
        if country is None and owner is not None:
            country = country_of_word(owner.group(1))
        landmark = _LANDMARK_COUNTRY.get(fold(name))
        # "Konya Air Base", "Clark Air Base": the town the venue is named after locates it.
        named_after = next(
            (p.place for p in inside if p.place.kind in ("city", "capital") and p.place.lat),
            None,
        )
        place = Place(
            id=f"text:{_slug(name)}",
            name=name,
            country=landmark or country,
            lat=named_after.lat if named_after is not None else None,
            lon=named_after.lon if named_after is not None else None,
            kind=_LANDMARK_KIND if landmark else "venue",
            source="text",
        )
        if town is None:
            town = _unknown_town(text, end, place, places)
        venues.append(Venue(PlaceHit(start, end, name, place), town))
    return venues


# "... headquarters in Tarbela", "... Headquarters in Sangley Point, Cavite": a town the
# gazetteer lacks, named as where the venue stands.
_UNKNOWN_TOWN = re.compile(r"\s+(?:in|near)\s+(?P<town>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?)\b")


def _town_as_named(start: int, end: int, name: str, country: str | None) -> PlaceHit:
    """A town the gazetteer lacks, kept as the text names it: no coordinates of its own."""
    place = Place(id=f"text:{_slug(name)}", name=name, country=country, kind="town", source="text")
    return PlaceHit(start, end, name, place)


def _unknown_town(text: str, end: int, venue: Place, places: list[PlaceHit]) -> PlaceHit | None:
    """The town named right after a venue when no gazetteer place is there, kept as named."""
    match = _UNKNOWN_TOWN.match(text, end)
    if match is None or any(p.start == match.start("town") for p in places):
        return None  # "... Air Force Base in Romania": a country, no town
    return _town_as_named(
        match.start("town"), match.end("town"), match.group("town"), venue.country
    )


def _venue_country(inside: list[PlaceHit], town: PlaceHit | None) -> str | None:
    """The country of a venue: its town's, or that of a place inside its name."""
    if town is not None and town.place.country:
        return town.place.country
    for hit in inside:
        if hit.place.country:
            return hit.place.country
    return None


def _country_in(name: str, country_of_word: Callable[[str], str | None]) -> str | None:
    """A country named by a word of the venue's name: "Indian Naval Academy", "U.S. ... Center"."""
    for word in re.findall(r"[A-Z][\w.’'-]*", name):
        code = country_of_word(word.rstrip("’'s") if word.endswith(("'s", "’s")) else word)
        if code is not None:
            return code
    return None


# A dateline: the filing place in capitals or title case, an optional country or
# state, date and agency, then a dash or colon: "MANILA (Reuters) –",
# "WASHINGTON, June 12 (Reuters) -", "New Delhi [India], June 14 (ANI):", "YEREVAN —".
_DATELINE = re.compile(
    r"(?:^|\n\s*|[.!?]\s+|\s{2,}|\d{4}-\d\d-\d\d\s+)(?P<place>[A-Z][A-Za-z’'.-]+(?:\s[A-Z][A-Za-z’'.-]+){0,2})"
    r"(?:\s*/\s*[A-Z][A-Za-z]+)?"
    r"(?:\s*\[[A-Za-z ]+\]|,\s+[A-Z][A-Za-z.]+(?=[,\s]))?"
    r"(?:,?\s+(?:[A-Z][a-z]+\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)(?:,\s+\d{4})?)?"
    r"(?:,?\s*\([A-Za-z .-]{2,30}\)|\s*/[A-Za-z .-]{2,30}/\.?|,\s+[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)?"
    r"\s*(?:[-–—]{1,2}|:)\s"
)
_DATELINE_REACH = 600  # a dateline opens the report: its first lines only


def dateline_place(text: str, lookup: Callable[[str], Place | None]) -> Place | None:
    """The city a report is filed from, if its opening lines carry a dateline."""
    for match in _DATELINE.finditer(text[:_DATELINE_REACH]):
        raw = match.group("place")
        place = lookup(raw.title() if raw.isupper() else raw)
        if place is not None and place.kind in ("city", "capital"):
            return place
    return None


# "in Azerbaijan's Gabala", "to Uzbekistan's capital Tashkent": a town named as its
# country's, where the text puts the event (after a locative word).
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|to|near|outside|into)\s+(?:the\s+)?$", re.I)
_OWNED_TOWN = re.compile(
    r"['’]s?\s+(?:(?:capital|city|town|port|village|region|province|district)\s+(?:of\s+)?)?"
    r"(?P<town>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?)"
)
# Words that make "Russia's X" an institution or a person, not a town.
_NOT_TOWN = re.compile(
    r"\b(?:Ministry|Defen[cs]e|Army|Navy|Air|Armed|Forces?|National|Foreign|Government|"
    r"President|Prime|Minister|Chief|General|Embassy|Parliament|Security|Military|Naval|"
    r"State|Federal|Border|Coast|Special|Central|Joint|Royal|People|Republic)\b"
)


def owned_towns(
    text: str, countries: list[tuple[int, int, str]], known: list[PlaceHit]
) -> list[PlaceHit]:
    """Towns the gazetteer lacks, named as a country's after a locative word.

    `countries` are (start, end, code) of the country names in the sentence; `known`
    the gazetteer's hits (a town it knows stands as its own entry).
    """
    found: list[PlaceHit] = []
    for start, end, code in countries:
        if not _LOCATIVE_BEFORE.search(text[max(0, start - 12) : start]):
            continue
        match = _OWNED_TOWN.match(text, end)
        if match is None or _NOT_TOWN.search(match.group("town")):
            continue
        town_start = match.start("town")
        if any(p.start <= town_start < p.end for p in known):
            continue
        name = match.group("town")
        found.append(_town_as_named(town_start, match.end("town"), name, code))
    return found


# "the drill concludes in Tarbela", "exercises were held at Lohour": a place the
# gazetteer lacks, named right after the verb of the event itself.
_EVENT_VERB_SITE = re.compile(
    r"\b(?:held|hosted|conducted|conclude[sd]?|began|begins|started|starts|kicked off|"
    r"took place|takes place|opened|opens|ended|ends|under ?way|staged)\s+(?:in|at)\s+"
    r"(?P<site>[A-Z][a-z’'-]{2,}(?:[ -][A-Z][a-z’'-]{2,})?)\b(?!['’]s|[ -][A-Z])"
)
_NOT_A_SITE = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday the this that its their his
    her a an one two three spring summer autumn fall winter line accordance order
    """.split()
)


def verb_sites(text: str, known: list[PlaceHit], is_actor: Callable[[str], bool]) -> list[PlaceHit]:
    """Places the gazetteer lacks, named right after the event's own verb and "in"/"at".

    Kept as the text names them, with no country or coordinates of their own: the
    event's countries tell where they are.
    """
    if " in " not in text and " at " not in text:
        return []
    found: list[PlaceHit] = []
    for match in _EVENT_VERB_SITE.finditer(text):
        name, start = match.group("site"), match.start("site")
        first = name.split()[0].split("-")[0]
        if first.lower() in _NOT_A_SITE or is_actor(first) or is_actor(name):
            continue
        if any(p.start <= start < p.end for p in known):
            continue  # the gazetteer knows it: its own entry stands
        found.append(_town_as_named(start, match.end("site"), name, None))
    return found
