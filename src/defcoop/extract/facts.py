"""What one sentence says: event cues, actors, places, dates and names.

The cheap trigger regex decides which sentences are worth the dictionary
lookups; everything else in the report is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from defcoop.extract.names import NameHit, find_names
from defcoop.extract.sentence_dates import event_spans, statement_dates
from defcoop.extract.triggers import (
    CANDIDATE,
    HOSTILE,
    MEETING_VISIT,
    SentenceCues,
    has_any,
    sentence_cues,
)
from defcoop.extract.venues import find_venues, owned_towns, verb_sites
from defcoop.nlp.actors import ActorHit, ActorLexicon
from defcoop.nlp.dates import find_dates
from defcoop.nlp.names_index import Starts, capitalized, tokens
from defcoop.nlp.places import Gazetteer, PlaceHit
from defcoop.records import DateSpan, Sentence

# A series name and its year ("RIMPAC 2020", "Efes-2018"): an edition, told with no
# event word, of a series the report may be about.
_SERIES_EDITION = re.compile(r"\b(?:[A-Z][A-Za-z]{2,}[- ](?:19|20)\d\d|[A-Z]{3,}[- ]\d\d)\b")
_YEAR_DIGITS = re.compile(r"\d\d")  # what every edition's year holds: "2020", "BALTOPS 23"
# Whole words `CANDIDATE` matches, each a pattern that opens with its literal word (which
# the engine finds at C speed, unlike `CANDIDATE`'s alternation): most candidates hold one.
_CERTAIN_TRIGGERS = tuple(
    re.compile(rf"{word}(?<=\b{word}){tail}\b")
    for word, tail in (("exercise", "s?"), ("drill", "s?"), ("training", ""), ("agreement", "s?"))
)

# A place is where an event happens when a locative word or a possessive country
# stands right before it ("in Konya", "Turkey's Konya", "Azerbaijan's liberated Lachin").
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|on|off|around|outside|inside|to|into|across|within|throughout|"
    r"(?:town|city|port|province|region|village|district|island|capital|base|outskirts) of|"
    r"(?:left|leave|leaves|departed|headed|bound|sent|dispatched)"
    r"(?: today| yesterday| on \w+day)? for|"
    r"visited|visiting|visits|toured|arrived in|arriving in)"
    r"(?:\s+(?!(?:and|with|by|for|as|after|before|while|which|who)\b)[\w'’.-]+){0,7}?"
    r"|['’]s?(?:\s+(?:liberated|occupied|capital|city|province|region|southern|northern|"
    r"eastern|western|central|southeastern|port\s+town))*)\s*$"
)
_PLACE_SUFFIX = re.compile(r"^\s*(?:city|region|district|province|rayon|sea|base|range)\b", re.I)
_AGENCY_AFTER = re.compile(
    r"^['’]?s?\s*(?:\w+\s+)?(?:News|Agency|TV|Radio|Times|Press|Post|Gazette|Daily)\b"
)
# A currency ("5.6 billion U.S. dollars", "900 million Japanese yen"): no party.
_CURRENCY_AFTER = re.compile(
    r"^\s+(?:dollars?|rubles?|roubles?|rupees?|yen|yuan|lira|liras|euros?|pounds?|francs?|"
    r"manats?|tenge|soms?|dinars?|riyals?|dirhams?|pesos?|won|rand|naira|cedis?|shillings?|"
    r"zlotys?|kron[ae]r?|hryvnias?|reais|real)\b",
    re.I,
)
_HOSTILE_AFTER = re.compile(
    r"^(?:['’]s?)?,?\s+(?:[\w.]+,?\s+){0,3}(?:invasion|aggression|attacks?|occupation|war|"
    r"genocides?|separatists?|forces? attacked|assertiveness|expansion\w*|claims?|"
    r"coercion|threats?|pressure|growing (?:military )?(?:power|might|presence)|fired|"
    r"shelled|bombed|invaded|launched (?:\w+ ){0,3}(?:missiles?|rockets?|attacks?|strikes?))\b",
    re.I,
)
_LOCATIVE_BEFORE_ACTOR = re.compile(
    r"\b(?:in|at|to|from|near|outside|into|visit to|arrived in|visited|visiting|visits|toured)"
    r"\s+(?:the\s+)?$",
    re.I,
)
_HOSTILE_WINDOW = 64
_HOSTILE_WORDS = 3
_SIDES = re.compile(r"\bbetween\s+(?:[\w-]+\s+(?:and\s+)?)?$")
_WORD_CACHE_SIZE = 50_000
_FUNCTION_WORDS = frozenset("the and for but nor yet was are has had its our who why how".split())
# A country named as a landmark: "near the border with Armenia", "bordering Iran".
_LANDMARK_BEFORE = re.compile(
    r"\b(?:borders?|frontier|boundary) (?:with|of)\s+(?:the\s+)?$|\bbordering\s+(?:the\s+)?$|"
    r"\b(?:exclave|enclave|located|situated|lies|lying|sandwiched|wedged)\s+between\s+"
    r"(?:[\w-]+\s+and\s+)?$",
    re.I,
)
# What follows the date of a dateline: a year, the agency, then a dash or a colon.
_CAPITALIZED_BEFORE = re.compile(r"(?<![.!?:;,(])\s(?!(?:The|A|An)\s)[A-Z][a-z]+\s$")
_CAPITALIZED_AFTER = re.compile(r"\s[A-Z][a-z]+\b")


def _inside_a_name(text: str, hit: PlaceHit) -> bool:
    """Whether a one-word town stands between two capitalized words: a person's or an
    organization's name ("Cengiz Kamil Firat")."""
    if " " in hit.text or hit.place.kind not in ("city", "capital"):
        return False
    before = _CAPITALIZED_BEFORE.search(text, max(0, hit.start - 30), hit.start)
    return before is not None and _CAPITALIZED_AFTER.match(text, hit.end) is not None


# An acronym or a token with digits right before a capitalized word makes one proper name.
_NAME_BEFORE = re.compile(r"(?<![\w.])(?:[A-Z]{2,}|[A-Z]+\d+|\d+[A-Z]+)\s$")
# "under the UN", "member states of NATO": a frame, not a partner ("the exercises of the
# CSTO forces" keep theirs).
_UNDER = re.compile(
    r"\b(?:under|(?:members?|member[- ](?:states?|countries|nations)|framework|auspices) of)"
    r"\s+(?:the\s+)?$",
    re.I,
)
_MANDATE_AFTER = re.compile(
    # "the NATO country's ministry": a description of one member state.
    r"^\W*(?:mandate|charter|resolution|auspices|framework|country['’]s|nation['’]s)",
    re.I,
)


@dataclass(frozen=True)
class SentenceScan:
    """A sentence's token spans and the actors named in it."""

    tokens: list[tuple[int, int]]
    actors: list[ActorHit]
    starts: Starts | None = None  # the capitalized tokens, where names may open


@dataclass(frozen=True)
class SentenceFacts:
    """The facts of one sentence that the event builder needs."""

    index: int
    sentence: Sentence
    cues: SentenceCues
    actors: tuple[ActorHit, ...]  # partners only: hostile and agency mentions dropped
    mentioned: tuple[ActorHit, ...]  # every country or alliance named
    places: tuple[PlaceHit, ...]  # places an event is located at
    dates: tuple[DateSpan, ...]  # dates of events, not of statements
    names: tuple[NameHit, ...]
    # When the sentence's news was told ("the ministry said on Wednesday"): the latest
    # an undated event it reports can have happened.
    stated: tuple[DateSpan, ...] = ()

    @cached_property
    def countries(self) -> tuple[str, ...]:
        """Codes of the actors, in order of first mention, once each (asked for often)."""
        return tuple(dict.fromkeys(a.code for a in self.actors))


def _in_short_aside(text: str, position: int) -> bool:
    """Whether a position lies in a short parenthesis that is not a list."""
    opening = text.rfind("(", 0, position)
    if opening < 0 or text.rfind(")", opening, position) >= 0:
        return False
    closing = text.find(")", position)
    inside = text[opening + 1 : closing if closing >= 0 else len(text)]
    return "," not in inside and len(inside.split()) <= 3


# A clause that sets the scene with someone else's act: "Soon after China concluded
# drills around Taiwan, the U.S. and the Philippines began ...", "... kicked off soon
# after Beijing completed three days of drills".
_SCENE_LEAD = re.compile(
    r"^\W*(?:(?:soon|shortly|days|weeks|just|only)\s+)?(?:after|as|while|following|amid|"
    r"since|before|when)\b[^,;]*[,;]"
)
_SCENE_INSIDE = re.compile(
    r"\b(?:(?:soon|shortly|just|days|hours|weeks)\s+)?(?:after|while|following)\s+(?:the\s+)?"
    r"(?=[A-Z])[^,;]*"
)


def _scene_inside(text: str) -> list[tuple[int, int]]:
    """Spans of the scene-setting clauses inside a sentence (a cheap test first)."""
    if "after" not in text and "while" not in text and "following" not in text:
        return []
    return [m.span() for m in _SCENE_INSIDE.finditer(text)]


def _outside_scene_setting(text: str, kept: list[ActorHit]) -> tuple[ActorHit, ...]:
    """The partners outside scene-setting clauses.

    A clause inside the sentence ("... soon after Beijing completed drills") always
    names someone else; a leading one only when two partners stand outside it.
    """
    inside = _scene_inside(text)
    kept = [h for h in kept if not any(s <= h.start < e for s, e in inside)]
    lead = _SCENE_LEAD.match(text) if kept else None
    if lead is None:
        return tuple(kept)
    outside = [h for h in kept if h.start >= lead.end()]
    return tuple(outside) if len({h.code for h in outside}) >= 2 else tuple(kept)


_LANDMARK_HINTS = ("border", "frontier", "boundary", "between")
_CLAUSE_BREAK = re.compile(r"[;:()–—]|, (?:and|but|while|as) ")
_CLAUSE_BREAK_HINTS = (";", ":", "(", ")", "–", "—", ", ")


def _partner_actors(text: str, hits: list[ActorHit]) -> tuple[ActorHit, ...]:
    """Actors that can be partners: not enemies, not news agencies, not places."""
    kept: list[ActorHit] = []
    for hit in hits:
        before = text[max(0, hit.start - _HOSTILE_WINDOW) : hit.start]
        after = text[hit.end : hit.end + 40]
        clause = before[-60:]
        if has_any(clause, _CLAUSE_BREAK_HINTS):
            clause = _CLAUSE_BREAK.split(clause)[-1]
        clause = clause.lower()
        # An enemy is named right after the hostile word ("the war with Armenia",
        # "against Armenia"), or as a side of a war ("the war ... between A and B").
        close = " ".join(clause.split()[-_HOSTILE_WORDS:])
        sides = "between" in clause and _SIDES.search(clause) and HOSTILE.search(clause)
        if HOSTILE.search(close) or sides:
            continue
        if has_any(before.lower(), _LANDMARK_HINTS) and _LANDMARK_BEFORE.search(before):
            continue
        if _HOSTILE_AFTER.search(after) or _AGENCY_AFTER.search(after):
            continue
        if _CURRENCY_AFTER.search(after):
            continue
        if _in_short_aside(text, hit.start):
            continue  # an aside: "Shusha (Armenian Shushi)"
        if hit.kind == "alliance" and (_UNDER.search(before) or _MANDATE_AFTER.search(after)):
            continue  # "under the United Nations mandate": a frame, not a partner
        if hit.kind == "capital" and (_LOCATIVE_BEFORE_ACTOR.search(before) or hit.text.isupper()):
            continue
        kept.append(hit)
    return _outside_scene_setting(text, kept)


def _event_places(
    text: str, hits: list[PlaceHit], actors: list[ActorHit], names: tuple[NameHit, ...]
) -> tuple[PlaceHit, ...]:
    """Places that a locative word or a suffix ties to the sentence's event.

    A place inside an event's name ("Anatolian Phoenix-2021") is no place.
    """
    taken = [(a.start, a.end) for a in actors if a.kind != "capital"]
    taken += [(n.start, n.end) for n in names if n.type != "agreement"]
    kept: list[PlaceHit] = []
    scenes = _scene_inside(text) if hits else []
    for hit in hits:
        if text[hit.start - 1 : hit.start] == "-" or text[hit.end : hit.end + 1] == "-":
            continue  # "Asia-Pacific", "Indo-Pacific": a compound, not a place
        if len(hit.text) <= 2 or hit.text.lower() in _FUNCTION_WORDS:
            continue  # "To note, ..." is not the town of Tô
        if any(s <= hit.start < e for s, e in scenes):
            continue  # "... soon after Beijing held drills around Taiwan": another act's place
        if _inside_a_name(text, hit):
            continue  # "Cengiz Kamil Firat": a person's name, not the town of Kamil
        if hit.place.kind != "country" and _NAME_BEFORE.search(
            text, max(0, hit.start - 16), hit.start
        ):
            continue  # "the G20 Summit", "the NATO Summit": part of a longer proper name
        before = text[max(0, hit.start - 60) : hit.start]
        named_actor = any(s <= hit.start < e or s < hit.end <= e for s, e in taken)
        if named_actor and (
            hit.place.kind != "country" or re.search(r"['’]s?\s*$", text[hit.end : hit.end + 2])
        ):
            continue
        if _LOCATIVE.search(before) or _PLACE_SUFFIX.match(text[hit.end :]):
            kept.append(hit)
    return tuple(kept)


class SentenceReader:
    """Reads the facts of sentences with loaded lexicons and gazetteers."""

    def __init__(self, actors: ActorLexicon, places: Gazetteer) -> None:
        self.actors = actors
        self.places = places
        self._actor_words: dict[str, bool] = {}  # memo of `_is_actor`: words recur a lot
        self._word_countries: dict[str, str | None] = {}  # memo of `_country_of_word`

    def _is_actor(self, word: str) -> bool:
        """Whether a word names a country or alliance (a capital may name an agreement)."""
        known = self._actor_words.get(word)
        if known is None:
            hits = self.actors.find(word)
            known = any(h.kind != "capital" and h.end - h.start == len(word) for h in hits)
            if len(self._actor_words) < _WORD_CACHE_SIZE:
                self._actor_words[word] = known
        return known

    def _country_of_word(self, word: str) -> str | None:
        """The country a single word names ("Indian", "Armenia"), or None."""
        if word in self._word_countries:
            return self._word_countries[word]
        code = next(
            (
                hit.code
                for hit in self.actors.find(word)
                if hit.kind != "alliance" and hit.end - hit.start == len(word)
            ),
            None,
        )
        if len(self._word_countries) < _WORD_CACHE_SIZE:
            self._word_countries[word] = code
        return code

    def is_candidate(self, sentence: Sentence) -> bool:
        """Whether a sentence has any event trigger at all (the cheap first pass)."""
        text = sentence.text
        low = text.lower()
        for word in _CERTAIN_TRIGGERS:
            if word.search(low):
                return True
        if CANDIDATE.search(low) is not None:
            return True
        if "visit" in text and MEETING_VISIT.search(text) is not None:
            return True
        # The year first: a search that skips to the digits at C speed.
        return _YEAR_DIGITS.search(text) is not None and _SERIES_EDITION.search(text) is not None

    def scan(self, sentence: Sentence) -> SentenceScan:
        """The tokens and actors of a sentence: the first pass over a report's candidates."""
        token_spans = tokens(sentence.text)  # one tokenization for both dictionaries
        starts = capitalized(sentence.text, token_spans)
        return SentenceScan(
            token_spans, self.actors.find(sentence.text, token_spans, starts), starts
        )

    def read(
        self,
        index: int,
        sentence: Sentence,
        published: date,
        scan: SentenceScan | None = None,
        near: frozenset[str] = frozenset(),
    ) -> SentenceFacts:
        """All facts of one candidate sentence.

        `near`: the countries the report names, which decide between towns of one
        name ("Odessa" in a report about Ukraine).
        """
        text = sentence.text
        scan = scan or self.scan(sentence)
        token_spans, actor_hits = scan.tokens, scan.actors
        partners = _partner_actors(text, actor_hits)
        names = tuple(find_names(text, self._is_actor))
        named = near | frozenset(hit.code for hit in actor_hits)
        place_hits = self.places.find(text, token_spans, near=named, starts=scan.starts)
        places = _event_places(text, place_hits, actor_hits, names)
        countries = [(a.start, a.end, a.code) for a in actor_hits if a.kind == "name"]
        owned = owned_towns(text, countries, place_hits) if countries else []
        owned += verb_sites(text, place_hits, self._is_actor)
        if owned:
            places = tuple(sorted((*places, *owned), key=lambda p: p.start))
        venues = find_venues(text, place_hits, self._country_of_word)
        if venues:
            # A venue the text names, or the town right beside it, is where the event is.
            spans = [(v.hit.start, v.hit.end) for v in venues]
            sited = [v.town or v.hit for v in venues]
            rest = [
                p for p in places if p not in sited and not any(s <= p.start < e for s, e in spans)
            ]
            places = (*sited, *rest)
            # "the Vaziani drill ground" names a place, not an exercise.
            names = tuple(n for n in names if not any(s <= n.start < e for s, e in spans))
        # The year in "ATATURK-XII 2023" belongs to the name, not to a date expression.
        date_spans = [
            d
            for d in find_dates(text, published)
            if not any(n.start <= d.start < n.end for n in names)
        ]
        dates = event_spans(text, date_spans)
        stated = statement_dates(text, date_spans) if len(dates) < len(date_spans) else ()
        return SentenceFacts(
            index=index,
            sentence=sentence,
            cues=sentence_cues(text),
            actors=partners,
            mentioned=tuple(actor_hits),
            places=places,
            dates=dates,
            names=names,
            stated=stated,
        )
