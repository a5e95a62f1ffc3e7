"""An earlier edition of the series a report is about, told with no event word (our text)."""

from __future__ import annotations

from datetime import date

from defcoop.pipeline import Extractor
from defcoop.records import Report


def test_an_earlier_edition_named_with_its_year_is_an_event_of_its_own() -> None:
    text = (
        "Chile and Peru began the naval exercise SOUTHSTAR 2024 off Valparaiso on Monday.\n\n"
        "The two navies deployed warships, submarines and military aircraft.\n\n"
        "SOUTHSTAR 2022 had to be cut short because of a storm."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 8))
    found = Extractor.from_package().extract(report).mentions
    editions = sorted((m.name, m.start) for m in found if m.type == "exercise")
    assert editions == [("SOUTHSTAR 2022", "2022"), ("SOUTHSTAR 2024", "2024-05-06")]


def test_a_year_beside_a_word_names_no_edition_without_its_series() -> None:
    text = (
        "Chile and Peru began the naval exercise SOUTHSTAR 2024 off Valparaiso on Monday.\n\n"
        "Harvest 2022 was poor in the region, officials said."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 8))
    found = Extractor.from_package().extract(report).mentions
    assert [m.name for m in found] == ["SOUTHSTAR 2024"]


def test_the_last_edition_told_without_its_name_is_that_years_edition_of_the_series() -> None:
    text = (
        "The Chilean Navy contingent departed today for Valparaiso, where the joint naval "
        "exercise SOUTHSTAR 2024 with Peru will be conducted from May 20 to May 30, 2024.\n\n"
        "Marines and sailors of both navies will train together.\n\n"
        "The last edition of the exercise was conducted in Peru in November 2022."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 8))
    found = Extractor.from_package().extract(report).mentions
    editions = sorted((m.name, m.participants, m.start) for m in found if m.type == "exercise")
    assert editions[0] == ("SOUTHSTAR 2022", ("CHL", "PER"), "2022-11")
    assert [name for name, _, _ in editions] == ["SOUTHSTAR 2022", "SOUTHSTAR 2024"]
    current = next(m for m in found if m.name == "SOUTHSTAR 2024")
    assert current.location is not None and current.location.name == "Valparaíso"


def test_an_editions_days_told_without_a_year_fall_in_its_names_year() -> None:
    text = (
        "Chilean and Peruvian warships will take part in the SOUTHSTAR 24 naval exercise, "
        "which starts in Valparaiso on June 7.\n\n"
        "Marines and sailors of both navies will train together.\n\n"
        "Last year, SOUTHSTAR 23 was held from June 4 to June 20 with 19 nations."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 30))
    found = Extractor.from_package().extract(report).mentions
    last = next(m for m in found if m.name == "SOUTHSTAR 23")
    assert (last.start, last.end, last.status) == ("2023-06-04", "2023-06-20", "completed")


def test_each_code_name_of_one_exercise_tells_of_it_later() -> None:
    text = (
        "Troops of Kyrgyzstan and Tajikistan began joint exercises near Osh on Monday. "
        "The exercises run from June 3 to June 14 under the code names Rubezh-2024, "
        "Kobalt-2024 and Poisk-2024. "
        "During the special exercise Kobalt-2024, engineers cleared a mined road. "
        "The special exercise Poisk-2024 trains scouts of both armies."
    )
    report = Report(id="t", text=text, published=date(2024, 6, 4))
    found = Extractor.from_package().extract(report).mentions
    assert [(m.type, m.name) for m in found] == [("exercise", "Rubezh-2024")]
    assert len(found[0].evidence) == 4
