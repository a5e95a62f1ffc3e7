"""Who takes part: the partner of a one-country act, and countries named only as context."""

from __future__ import annotations

from datetime import date

import pytest

from defcoop.pipeline import Extractor
from defcoop.records import Report


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_package()


def events(extractor: Extractor, text: str) -> list[tuple[str, tuple[str, ...]]]:
    report = Report(id="t", text=text, published=date(2024, 5, 10))
    return [(m.type, m.participants) for m in extractor.extract(report).mentions]


def test_a_delivery_with_one_country_named_takes_the_reports_partner(
    extractor: Extractor,
) -> None:
    text = (
        "Spanish and Mauritanian officers met in Nouakchott on May 1 to review naval ties. "
        "The first two patrol boats were delivered to the Mauritanian navy on May 2."
    )
    assert ("transfer", ("ESP", "MRT")) in events(extractor, text)


def test_a_rival_named_as_context_takes_no_part(extractor: Extractor) -> None:
    text = (
        "Vietnamese and Indian navies began joint drills off Da Nang on Monday "
        "amid tensions with China in the region."
    )
    assert events(extractor, text) == [("exercise", ("IND", "VNM"))]


def test_a_rivals_assertiveness_is_context(extractor: Extractor) -> None:
    text = (
        "Japan and the Philippines signed a military logistics pact on Tuesday as Chinese "
        "assertiveness grows at sea."
    )
    assert events(extractor, text) == [("agreement", ("JPN", "PHL"))]


def test_one_army_drilling_alone_is_no_cooperation(extractor: Extractor) -> None:
    assert (
        events(extractor, "The Bolivian army kicked off a large drill near Oruro on Monday.") == []
    )


def test_a_plan_to_buy_is_no_transfer(extractor: Extractor) -> None:
    text = "Peru plans to acquire 24 fighter jets from Sweden, its air force chief said on Monday."
    assert [kind for kind, _ in events(extractor, text)] == []


def test_exercises_an_agreement_provides_for_are_no_exercise(extractor: Extractor) -> None:
    text = (
        "Kenya and Rwanda signed an agreement on Monday that will ease joint exercises "
        "of their forces."
    )
    assert [kind for kind, _ in events(extractor, text)] == ["agreement"]


def test_a_clause_setting_the_scene_names_no_partner(extractor: Extractor) -> None:
    text = (
        "Soon after Russia concluded naval drills near Crimea, Romanian and Bulgarian "
        "navies on Tuesday began a joint exercise off Constanta."
    )
    assert events(extractor, text) == [("exercise", ("BGR", "ROU"))]


def test_another_acts_place_is_no_site(extractor: Extractor) -> None:
    text = (
        "Kenyan and Ugandan troops began joint drills on Monday, soon after Somalia held "
        "its own manoeuvres near Kismayo."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 13))
    found = extractor.extract(report).mentions
    assert [m.participants for m in found] == [("KEN", "UGA")]
    assert all(m.location is None or m.location.name != "Kismayo" for m in found)


def test_a_country_firing_missiles_is_no_partner(extractor: Extractor) -> None:
    text = (
        "Eritrea fired two rockets near the border on Sunday, as Ethiopian and Kenyan "
        "troops held joint drills nearby."
    )
    found = events(extractor, text)
    assert found and all("ERI" not in parts for _, parts in found)


def test_the_three_countries_are_the_reports_three() -> None:
    from defcoop.pipeline import extract

    text = (
        "Chile, Peru and Ecuador began the Pacific Guard naval drills on Monday.\n\n"
        "Chilean, Peruvian and Ecuadorian warships sailed together.\n\n"
        "The three countries signed a maritime security agreement in 2019."
    )
    agreements = [m for m in extract(text, "2024-05-08") if m.type == "agreement"]
    assert [m.participants for m in agreements] == [("CHL", "ECU", "PER")]


def test_the_host_played_host_and_the_drills_ran_throughout_the_country() -> None:
    from defcoop.pipeline import extract

    text = (
        "Chile and Peru began the Pacific Guard 2024 naval drills on Monday.\n\n"
        "Chile played host to the previous Pacific Guard drills in 2022."
    )
    earlier = [m for m in extract(text, "2024-05-08") if m.start == "2022"]
    assert [(m.location.country if m.location else None) for m in earlier] == ["CHL"]
    text = (
        "Chile and Peru began the Pacific Guard 2024 naval drills on Monday, with live-fire "
        "training throughout Peru."
    )
    (mention,) = extract(text, "2024-05-08")
    assert mention.location is not None and mention.location.country == "PER"


def test_a_country_announcing_that_it_will_host_is_the_host() -> None:
    from defcoop.pipeline import extract

    text = (
        "Peru said last week that it will host the next joint exercise with Chile.\n\n"
        "The Pacific Guard 2024 exercise will involve marines of both countries."
    )
    hosted = [m for m in extract(text, "2024-05-08") if m.type == "exercise"]
    assert [(m.location.country if m.location else None) for m in hosted] == ["PER"]


def test_an_alliances_own_drills_are_cooperation() -> None:
    from defcoop.pipeline import extract

    text = "Exercises of the CSTO peacekeeping forces began on Monday."
    (mention,) = extract(text, "2024-05-08")
    assert (mention.type, mention.participants) == ("exercise", ("CSTO",))
    framed = "Peru's army held drills on Monday under the UN peacekeeping mandate."
    assert extract(framed, "2024-05-08") == []


def test_those_an_agreement_is_for_are_no_signatories() -> None:
    from defcoop.pipeline import extract

    text = (
        "The defence ministers of Chile and Peru signed an agreement on Monday to train "
        "Bolivian pilots at a new centre."
    )
    agreements = [m.participants for m in extract(text, "2024-05-08") if m.type == "agreement"]
    assert agreements == [("CHL", "PER")]


def test_a_currency_names_no_party() -> None:
    text = (
        "Chile and Spain signed a patrol boat contract in Madrid on Monday, worth "
        "400 million U.S. dollars or about 55 billion Japanese yen."
    )
    report = Report(id="t", text=text, published=date(2024, 3, 6))
    found = Extractor.from_package().extract(report).mentions
    agreements = [m for m in found if m.type == "agreement"]
    assert [m.participants for m in agreements] == [("CHL", "ESP")]
