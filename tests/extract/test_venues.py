"""Venues named by their form, and datelines: our own sentences."""

from __future__ import annotations

import pytest

from defcoop.extract.venues import dateline_place, find_venues
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_package()


@pytest.fixture(scope="module")
def actors() -> ActorLexicon:
    return ActorLexicon.from_package()


def venues(text: str, gazetteer: Gazetteer, actors: ActorLexicon) -> list[tuple[str, str | None]]:
    def country_of_word(word: str) -> str | None:
        hits = [h for h in actors.find(word) if h.end - h.start == len(word)]
        return hits[0].code if hits else None

    found = find_venues(text, gazetteer.find(text), country_of_word)
    return [(v.hit.text, v.hit.place.country) for v in found]


def test_a_named_base_with_a_possessive_country(gazetteer: Gazetteer, actors: ActorLexicon) -> None:
    text = "Marines drilled at Chile's Fuerte Aguayo naval base on Tuesday."
    assert venues(text, gazetteer, actors) == [("Fuerte Aguayo naval base", "CHL")]


def test_a_demonym_in_the_name_gives_the_country(
    gazetteer: Gazetteer, actors: ActorLexicon
) -> None:
    text = "Cadets from Ghana graduated at the Nigerian Defence Academy last week."
    assert venues(text, gazetteer, actors) == [("Nigerian Defence Academy", "NGA")]


def test_a_town_beside_the_venue_is_kept_with_it(
    gazetteer: Gazetteer, actors: ActorLexicon
) -> None:
    text = "The course ended at the Kasa Signals School in Lusaka on Friday."
    found = find_venues(text, gazetteer.find(text), lambda word: None)
    assert [v.hit.text for v in found] == ["Kasa Signals School"]
    assert found[0].town is not None and found[0].town.place.country == "ZMB"


def test_a_demonym_and_a_head_word_alone_name_no_venue(
    gazetteer: Gazetteer, actors: ActorLexicon
) -> None:
    assert venues("The unit trained at a Russian military base.", gazetteer, actors) == []
    assert venues("He spoke of the Academy in general terms.", gazetteer, actors) == []


def test_landmarks_stand_for_their_building(gazetteer: Gazetteer, actors: ActorLexicon) -> None:
    assert venues("The ministers met at the Pentagon.", gazetteer, actors) == [("Pentagon", "USA")]


@pytest.mark.parametrize(
    ("opening", "city"),
    [
        ("LIMA (Andina) – Peru and Chile agreed on Monday to ...", "Lima"),
        ("Headline here\nNAIROBI, March 3 (Xinhua) -- Kenya received ...", "Nairobi"),
        (" date 2023-05-02 HANOI — Vietnam hosted ...", "Hanoi"),
        ("Tashkent, March 3: Uzbek and Kazakh officers met ...", "Tashkent"),
    ],
)
def test_datelines_name_the_city_a_report_is_filed_from(
    opening: str, city: str, gazetteer: Gazetteer
) -> None:
    place = dateline_place(opening, gazetteer.lookup)
    assert place is not None and place.name == city


def test_no_dateline_in_running_text(gazetteer: Gazetteer) -> None:
    text = "Troops from Peru took part in the drills, officials said on Monday."
    assert dateline_place(text, gazetteer.lookup) is None


def test_an_institution_speaking_is_no_venue(gazetteer: Gazetteer, actors: ActorLexicon) -> None:
    text = "Troops trained in Lusaka, Zambia's Ministry of Defence said on Friday."
    assert venues(text, gazetteer, actors) == []


def test_a_venue_named_after_a_town_is_located_there(gazetteer: Gazetteer) -> None:
    text = "The patrol boats docked at the Arica Naval Base on Monday."
    found = find_venues(text, gazetteer.find(text), lambda word: None)
    assert found and found[0].hit.place.lat is not None


def test_a_town_the_gazetteer_lacks_is_kept_beside_its_venue(gazetteer: Gazetteer) -> None:
    text = "The ceremony was held at the Special Forces headquarters in Qaryat Zelda on Monday."
    found = find_venues(text, gazetteer.find(text), lambda word: None)
    assert found and found[0].town is not None
    assert found[0].town.text == "Qaryat Zelda"
    assert found[0].town.place.lat is None  # named by the text only: no coordinates


def test_a_summit_named_after_an_acronym_is_no_place() -> None:
    from datetime import date

    from defcoop.pipeline import Extractor
    from defcoop.records import Report

    text = "The Kenyan and Ugandan defence ministers met on the eve of the G20 Summit."
    report = Report(id="t", text=text, published=date(2024, 5, 9))
    found = Extractor.from_package().extract(report).mentions
    assert found and all(m.location is None or m.location.name != "Summit" for m in found)


def test_a_venue_in_a_country_stands_in_it_and_the_country_is_no_town(
    gazetteer: Gazetteer, actors: ActorLexicon
) -> None:
    text = "The pilots will train at the Kenneth Walker Air Force Base in Zambia."

    def country_of_word(word: str) -> str | None:
        hits = [h for h in actors.find(word) if h.end - h.start == len(word)]
        return hits[0].code if hits else None

    (venue,) = find_venues(text, gazetteer.find(text), country_of_word)
    assert (venue.hit.text, venue.hit.place.country) == ("Kenneth Walker Air Force Base", "ZMB")
    assert venue.town is None


def test_a_town_named_as_its_countrys_after_a_locative_word_is_kept_as_named(
    gazetteer: Gazetteer, actors: ActorLexicon
) -> None:
    from defcoop.extract.venues import owned_towns

    text = (
        "The ministers met in Estonia's Voorstlinn and later spoke to Estonia's Defence Ministry."
    )
    countries = [(a.start, a.end, a.code) for a in actors.find(text) if a.kind == "name"]
    towns = owned_towns(text, countries, gazetteer.find(text))
    assert [(t.text, t.place.country, t.place.lat) for t in towns] == [("Voorstlinn", "EST", None)]


def test_two_training_areas_named_together_are_one_venue(
    gazetteer: Gazetteer, actors: ActorLexicon
) -> None:
    text = "The exercise is hosted at Kerava and Camp Kilpi training areas in Finland."
    assert venues(text, gazetteer, actors) == [("Kerava and Camp Kilpi training areas", "FIN")]


def test_a_parade_of_an_academy_is_at_the_academy(
    gazetteer: Gazetteer, actors: ActorLexicon
) -> None:
    text = "Cadets marched in the Passing-Out Parade (POP) of Kenya Naval Academy on Friday."
    assert venues(text, gazetteer, actors) == [("Kenya Naval Academy", "KEN")]


def test_a_place_named_after_the_events_verb_is_kept_as_named(
    gazetteer: Gazetteer, actors: ActorLexicon
) -> None:
    from defcoop.extract.venues import verb_sites

    def is_actor(word: str) -> bool:
        return any(h.end - h.start == len(word) for h in actors.find(word))

    text = "The Chile-Peru drill concluded in Quebrada Honda on Friday, held in May."
    sites = verb_sites(text, gazetteer.find(text), is_actor)
    assert [(s.text, s.place.country, s.place.lat) for s in sites] == [
        ("Quebrada Honda", None, None)
    ]
    venue = "The last edition was conducted at Foreign Training Node in Pune."
    assert verb_sites(venue, gazetteer.find(venue), is_actor) == []
