"""Tests of the gazetteer: place names looked up and found in text."""

from __future__ import annotations

import pytest

from defcoop.nlp.places import Gazetteer
from defcoop.records import Place


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_package()


@pytest.mark.parametrize("name", ["İzmir", "Izmir", "IZMIR", "izmir"])
def test_izmir_with_or_without_the_dot(gazetteer: Gazetteer, name: str) -> None:
    place = gazetteer.lookup(name)
    assert place is not None
    assert place.country == "TUR"
    assert place.id.startswith("geonames:")


def test_konya_has_coordinates(gazetteer: Gazetteer) -> None:
    place = gazetteer.lookup("Konya")
    assert place is not None and place.country == "TUR"
    assert place.lat == pytest.approx(37.87, abs=0.1)
    assert place.lon == pytest.approx(32.48, abs=0.1)


def test_generic_words_are_stripped(gazetteer: Gazetteer) -> None:
    for name in ("Lachin region", "the Lachin district", "Lachin"):
        place = gazetteer.lookup(name)
        assert place is not None and place.country == "AZE", name


def test_kinds(gazetteer: Gazetteer) -> None:
    sea = gazetteer.lookup("Caspian Sea")
    baku = gazetteer.lookup("Baku")
    frejus = gazetteer.lookup("Frejus")
    assert sea is not None and sea.kind == "water" and sea.id == "curated:caspian-sea"
    assert baku is not None and baku.kind == "capital" and baku.country == "AZE"
    assert frejus is not None and frejus.country == "FRA" and frejus.name == "Fréjus"


def test_spelling_variants(gazetteer: Gazetteer) -> None:
    ids = {gazetteer.lookup(n).id for n in ("Nakhchivan", "Nakhichevan", "Nakhijevan")}  # type: ignore[union-attr]
    assert len(ids) == 1
    shusha, shushi = gazetteer.lookup("Shusha"), gazetteer.lookup("Shushi")
    assert shusha is not None and shusha == shushi


def test_country_preference(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Hyderabad").country == "IND"  # type: ignore[union-attr]
    assert gazetteer.lookup("Hyderabad", country="PAK").country == "PAK"  # type: ignore[union-attr]
    assert gazetteer.lookup("Nowhereville Xq") is None


def test_common_words_are_not_found_but_can_be_looked_up(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("In March, Reading the orders took time.") == []
    assert gazetteer.lookup("Reading") is not None


def test_find_offsets_and_possessives(gazetteer: Gazetteer) -> None:
    text = "Cadets flew from Baku to Konya’s air base, then sailed the Black Sea."
    hits = gazetteer.find(text)
    assert [h.text for h in hits] == ["Baku", "Konya", "Black Sea"]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text
    assert hits[2].place.kind == "water"


def test_find_prefers_the_longest_name(gazetteer: Gazetteer) -> None:
    hits = gazetteer.find("Talks in the Nakhchivan Autonomous Republic and Nagorno-Karabakh.")
    assert [h.text for h in hits] == ["Nakhchivan Autonomous Republic", "Nagorno-Karabakh"]
    assert {h.place.country for h in hits} == {"AZE"}


def test_find_reports_countries_as_countries(gazetteer: Gazetteer) -> None:
    (hit,) = gazetteer.find("The drill was held in Georgia.")
    assert hit.place.kind == "country" and hit.place.country == "GEO"


def test_demonyms_are_not_places(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("Turkish and Pakistani pilots") == []


def test_country_place(gazetteer: Gazetteer) -> None:
    place = gazetteer.country_place("AZE")
    assert place is not None and place.kind == "country" and place.lat is not None
    assert gazetteer.country_place("XXX") is None


def test_injected_entries_rank_curated_first() -> None:
    town = Place("geonames:1", "Sandport", "AAA", 1.0, 2.0, "city")
    cape = Place("curated:sandport", "Sandport", "BBB", 3.0, 4.0, "base", source="curated")
    gazetteer = Gazetteer(
        [("Sandport", town), ("Sandport", cape), ("Old Sandport", town)],
        importance={town.id: 50_000},
    )
    assert gazetteer.lookup("Sandport") == cape
    assert gazetteer.lookup("Sandport", country="AAA") == town
    assert [h.place for h in gazetteer.find("At Old Sandport and Sandport.")] == [town, cape]


def test_the_packaged_gazetteer_loads_whole(gazetteer: Gazetteer) -> None:
    # Speed is for bench/, not for tests: this checks what the load gives.
    loaded = Gazetteer.from_package()
    text = "Azerbaijani and Turkish troops met in Kars near the Caspian Sea."
    assert [h.text for h in loaded.find(text)] == [h.text for h in gazetteer.find(text)]
    assert {"Kars", "Caspian Sea"} <= {h.text for h in loaded.find(text)}


def test_a_small_town_is_read_only_beside_its_country() -> None:
    town = Place("geonames:2", "Marlow", "AAA", 1.0, 2.0, "city")
    gazetteer = Gazetteer([("Marlow", town)], importance={town.id: 4_000})
    assert gazetteer.find("Troops landed at Marlow.") == []
    found = gazetteer.find("Troops landed at Marlow.", near=frozenset({"AAA"}))
    assert [h.place for h in found] == [town]


def test_a_town_in_a_persons_name_is_no_place() -> None:
    from datetime import date

    from defcoop.pipeline import Extractor
    from defcoop.records import Report

    text = (
        "The Kenyan army chief met the Ambassador of Egypt to Kenya, Ahmed Tanta Saber, "
        "to discuss military cooperation."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 9))
    found = Extractor.from_package().extract(report).mentions
    assert found and all(m.location is None or m.location.name != "Tanta" for m in found)


def test_namesakes_in_two_named_countries_go_to_the_larger() -> None:
    small = Place("geonames:3", "Harbour", "AAA", 1.0, 2.0, "city")
    large = Place("geonames:4", "Harbour City", "BBB", 3.0, 4.0, "city")
    gazetteer = Gazetteer(
        [("Harbour", small)],
        alternates=[("Harbour", large)],
        importance={small.id: 20_000, large.id: 900_000},
    )
    assert [h.place for h in gazetteer.find("At Harbour.")] == [small]
    near = frozenset({"AAA", "BBB"})
    assert [h.place for h in gazetteer.find("At Harbour.", near=near)] == [large]


def test_a_state_named_like_a_country_is_the_state(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("The drills were held in New Mexico and New South Wales.")
    assert [(h.text, h.place.country, h.place.kind) for h in found] == [
        ("New Mexico", "USA", "region"),
        ("New South Wales", "AUS", "region"),
    ]


def test_a_state_beats_a_small_town_of_its_name_in_its_country(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("Guardsmen from Virginia trained there.", near=frozenset({"USA"}))
    assert [(h.place.country, h.place.kind) for h in found] == [("USA", "region")]
