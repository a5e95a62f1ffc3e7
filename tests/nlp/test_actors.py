"""Tests of the actor lexicon: countries and alliances named in text."""

from __future__ import annotations

import time

import pytest

from defcoop.nlp.actors import ActorHit, ActorLexicon


@pytest.fixture(scope="module")
def lexicon() -> ActorLexicon:
    return ActorLexicon.from_package()


def codes(hits: list[ActorHit]) -> list[tuple[str, str, str]]:
    return [(h.text, h.code, h.kind) for h in hits]


def test_turkey_in_all_its_forms(lexicon: ActorLexicon) -> None:
    text = "Türkiye, also written Turkiye or Turkey, sent Turkish officers; Ankara agreed."
    assert codes(lexicon.find(text)) == [
        ("Türkiye", "TUR", "name"),
        ("Turkiye", "TUR", "name"),
        ("Turkey", "TUR", "name"),
        ("Turkish", "TUR", "demonym"),
        ("Ankara", "TUR", "capital"),
    ]


def test_offsets_point_into_the_text(lexicon: ActorLexicon) -> None:
    text = "Officers from Azerbaijan arrived."
    (hit,) = lexicon.find(text)
    assert text[hit.start : hit.end] == "Azerbaijan" == hit.text
    assert hit.code == "AZE"


def test_hyphenated_pairs_give_both_countries(lexicon: ActorLexicon) -> None:
    text = "The India-France drill followed Turkish-Azerbaijani and Azerbaijan-Turkey talks."
    assert [h.code for h in lexicon.find(text)] == ["IND", "FRA", "TUR", "AZE", "AZE", "TUR"]


def test_possessive_hit_covers_only_the_name(lexicon: ActorLexicon) -> None:
    text = "Turkey's navy met Azerbaijan’s coast guard."
    assert [h.text for h in lexicon.find(text)] == ["Turkey", "Azerbaijan"]


def test_alliances_by_acronym_and_full_name(lexicon: ActorLexicon) -> None:
    text = "NATO, the Collective Security Treaty Organization, the Organization of Turkic States"
    assert [h.code for h in lexicon.find(text)] == ["NATO", "CSTO", "OTS"]
    assert all(h.kind == "alliance" for h in lexicon.find(text))


def test_acronyms_are_case_sensitive(lexicon: ActorLexicon) -> None:
    assert codes(lexicon.find("Let us talk to the US and the U.S. envoys.")) == [
        ("US", "USA", "name"),
        ("U.S.", "USA", "name"),
    ]


def test_lower_case_words_do_not_fire(lexicon: ActorLexicon) -> None:
    assert lexicon.find("they ate turkish delight and roast turkey") == []


def test_regions_hide_the_country_inside_them(lexicon: ActorLexicon) -> None:
    text = "Latin American navies patrolled the South China Sea near North America."
    assert lexicon.find(text) == []


def test_longest_match_between_similar_names(lexicon: ActorLexicon) -> None:
    text = "Papua New Guinea, Guinea-Bissau, Equatorial Guinea, Guinea, Nigeria and Niger."
    assert [h.code for h in lexicon.find(text)] == ["PNG", "GNB", "GNQ", "GIN", "NGA", "NER"]


def test_korea_and_dominica(lexicon: ActorLexicon) -> None:
    text = "North Korean, South Korean and Korea; Dominica and the Dominican Republic."
    assert [h.code for h in lexicon.find(text)] == ["PRK", "KOR", "KOR", "DMA", "DOM"]


def test_all_caps_headline(lexicon: ActorLexicon) -> None:
    assert [h.code for h in lexicon.find("PAKISTAN AND GEORGIA SIGN PACT")] == ["PAK", "GEO"]


def test_plural_demonyms(lexicon: ActorLexicon) -> None:
    assert [h.code for h in lexicon.find("Pakistanis and Americans trained.")] == ["PAK", "USA"]


def test_name_of_and_lookup(lexicon: ActorLexicon) -> None:
    assert lexicon.name_of("AZE") == "Azerbaijan"
    assert lexicon.name_of("NATO") == "North Atlantic Treaty Organization"
    assert lexicon.name_of("XXX") is None
    assert lexicon.lookup("turkish") == "TUR"
    assert lexicon.lookup("Latin America") is None
    assert lexicon.lookup("Atlantis") is None


def test_injected_entries() -> None:
    small = ActorLexicon([("Ruritania", "RUR", "name"), ("Ruritanian", "RUR", "demonym")])
    assert codes(small.find("A Ruritanian unit left Ruritania.")) == [
        ("Ruritanian", "RUR", "demonym"),
        ("Ruritania", "RUR", "name"),
    ]
    assert small.name_of("RUR") == "Ruritania"


def test_package_loads_fast() -> None:
    started = time.perf_counter()
    ActorLexicon.from_package()
    assert time.perf_counter() - started < 1.0
