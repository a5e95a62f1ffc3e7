"""The extractor on short reports of my own: one real event, one mention."""

from __future__ import annotations

from datetime import date

import pytest

from defcoop.pipeline import Extractor
from defcoop.records import Mention, Report


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_package()


def mentions(extractor: Extractor, text: str, published: date) -> list[Mention]:
    return list(extractor.extract(Report(id="t", text=text, published=published)).mentions)


def test_named_edition_with_a_two_digit_year(extractor: Extractor) -> None:
    found = mentions(
        extractor,
        "Omani and Indian navies began the NASEEM-25 exercise off Muscat on Monday. "
        "The drills will last until March 14.",
        date(2025, 3, 12),
    )
    assert len(found) == 1
    event = found[0]
    assert (event.type, event.name, event.participants) == ("exercise", "NASEEM-25", ("IND", "OMN"))
    assert (event.start, event.end, event.status) == ("2025-03-10", "2025-03-14", "ongoing")
    assert event.location is not None and event.location.country == "OMN"
    assert len(event.evidence) == 2


def test_planned_edition_and_an_earlier_one_are_two_events(extractor: Extractor) -> None:
    found = mentions(
        extractor,
        "The Jordanian and Emirati defence ministers agreed to hold the Desert Hawk-7 "
        "exercise next year. The two armies previously held the Desert Hawk-6 drills "
        "in October 2023.",
        date(2024, 5, 2),
    )
    exercises = sorted((m.name, m.status, m.start) for m in found if m.type == "exercise")
    assert exercises == [
        ("Desert Hawk-6", "completed", "2023-10"),
        ("Desert Hawk-7", "planned", "2025"),
    ]


def test_a_course_runs_from_its_start_to_the_graduation(extractor: Extractor) -> None:
    found = mentions(
        extractor,
        "Ghanaian officers graduated on Thursday from a logistics course run by Canadian "
        "instructors in Accra. The eight-week course began on August 24.",
        date(2023, 10, 20),
    )
    assert [(m.type, m.start, m.end, m.status) for m in found] == [
        ("training", "2023-08-24", "2023-10-19", "completed")
    ]
    assert found[0].participants == ("CAN", "GHA")


def test_a_contract_to_buy_is_an_agreement_not_a_delivery(extractor: Extractor) -> None:
    found = mentions(
        extractor,
        "In May 2021, the Romanian Navy signed a contract to acquire two minehunters "
        "from a British shipyard.",
        date(2022, 1, 10),
    )
    assert [(m.type, m.start) for m in found] == [("agreement", "2021-05")]


def test_a_visit_places_the_talks_and_the_sides_sign_a_plan(extractor: Extractor) -> None:
    found = mentions(
        extractor,
        "The Mongolian defence minister visited Astana on Tuesday for talks with his Kazakh "
        "counterpart. The sides signed a plan of military cooperation for 2025.",
        date(2024, 11, 14),
    )
    kinds = {m.type: m for m in found}
    assert set(kinds) == {"meeting", "agreement"}
    meeting, plan = kinds["meeting"], kinds["agreement"]
    assert meeting.location is not None and meeting.location.name == "Astana"
    assert meeting.participants == plan.participants == ("KAZ", "MNG")
    assert plan.start == "2024-11-14"  # signed the day it is reported; 2025 is what it covers


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "Defence Minister Rajnath Singh on Tuesday hosted his Omani counterpart in New Delhi.",
            date(2023, 6, 21),
            ("IND", "OMN"),
        ),
        (
            "The chiefs of the general staff of Armenia and Greece discussed joint training "
            "during a phone call on Monday.",
            date(2024, 4, 16),
            ("ARM", "GRC"),
        ),
        (
            "The Canadian defence minister will travel to Warsaw next week to meet Polish "
            "officials.",
            date(2023, 11, 10),
            ("CAN", "POL"),
        ),
    ],
)
def test_meetings_told_in_many_ways(
    extractor: Extractor, text: str, published: date, expected: tuple[str, ...]
) -> None:
    found = mentions(extractor, text, published)
    assert [(m.type, m.participants) for m in found] == [("meeting", expected)]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "Norway will donate 12 armoured fighting vehicles to Lithuania, the ministry said.",
            date(2022, 6, 3),
            (("LTU", "NOR"), "planned"),
        ),
        (
            "Chile completed the transfer of two frigates to Ecuador at a ceremony in Guayaquil.",
            date(2024, 11, 11),
            (("CHL", "ECU"), "completed"),
        ),
    ],
)
def test_transfers_told_in_many_ways(
    extractor: Extractor, text: str, published: date, expected: tuple[tuple[str, ...], str]
) -> None:
    found = mentions(extractor, text, published)
    assert [(m.type, (m.participants, m.status)) for m in found] == [("transfer", expected)]


def test_transfer_of_technology_is_no_delivery(extractor: Extractor) -> None:
    text = "Two corvettes will be built in Chile with the aim of transfer of technology to Peru."
    assert mentions(extractor, text, date(2024, 1, 1)) == []


def test_instructors_training_troops_abroad(extractor: Extractor) -> None:
    found = mentions(
        extractor,
        "A team of Spanish instructors trained Mauritanian army engineers in demining "
        "techniques in Nouakchott from March 1 to 20.",
        date(2023, 3, 25),
    )
    assert [(m.type, m.participants, m.start, m.end, m.status) for m in found] == [
        ("training", ("ESP", "MRT"), "2023-03-01", "2023-03-20", "completed")
    ]


def test_enemies_are_not_partners_but_a_war_nearby_does_not_hide_them(
    extractor: Extractor,
) -> None:
    war = mentions(
        extractor,
        "Amid the war in Ukraine, Estonia and Finland launched joint drills near Narva on Friday.",
        date(2023, 6, 10),
    )
    assert [m.participants for m in war] == [("EST", "FIN")]
    enemy = mentions(
        extractor,
        "Greek and Cypriot commandos rehearsed a defence against Ruritanian raiders in the "
        "joint drills with Israeli units near Paphos on Monday, a year after the war with Syria.",
        date(2024, 5, 8),
    )
    assert [m.participants for m in enemy] == [("CYP", "GRC", "ISR")]
