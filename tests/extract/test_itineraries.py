"""A tour is one meeting per country visited (our own sentences)."""

from __future__ import annotations

from datetime import date

from defcoop.pipeline import Extractor
from defcoop.records import Report


def meetings(text: str) -> list[tuple[str, ...]]:
    report = Report(id="t", text=text, published=date(2024, 6, 26))
    found = Extractor.from_package().extract(report).mentions
    return sorted(m.participants for m in found if m.type == "meeting")


def test_a_visit_to_two_countries_is_two_meetings() -> None:
    text = "The Kenyan defence minister visits Rwanda and Burundi this week for talks on security."
    assert meetings(text) == [("BDI", "KEN"), ("KEN", "RWA")]


def test_the_reports_subject_is_the_visitor_when_the_sentence_names_none() -> None:
    text = (
        "Kenyan troops took part in joint drills with Rwandan units on Monday. "
        "He held defence talks after visiting Uganda and Tanzania on a regional tour."
    )
    assert meetings(text) == [("KEN", "TZA"), ("KEN", "UGA")]


def test_a_visit_to_one_country_stays_one_meeting() -> None:
    text = "The Kenyan defence minister visited Rwanda on Monday and met his counterpart."
    assert meetings(text) == [("KEN", "RWA")]


def test_each_visit_of_a_tour_is_at_the_town_named_in_its_host() -> None:
    text = (
        "The Italian defence minister on Tuesday visited Kenya and Tanzania and met "
        "with their leaders.\n\n"
        "He first met President Ruto in Nairobi to discuss maritime security.\n\n"
        "Later, the minister travelled to Tanzania's commercial capital Dar es Salaam and "
        "met with President Samia Suluhu Hassan."
    )
    report = Report(id="t", text=text, published=date(2024, 6, 26))
    found = Extractor.from_package().extract(report).mentions
    places = {m.participants: m.location for m in found if m.type == "meeting"}
    assert set(places) == {("ITA", "KEN"), ("ITA", "TZA")}
    tanzania = places[("ITA", "TZA")]
    assert tanzania is not None and tanzania.name == "Dar es Salaam"
    kenya = places[("ITA", "KEN")]
    assert kenya is not None and kenya.name == "Nairobi"


def test_meetings_with_two_counterparts_are_two_meetings_each_told_once() -> None:
    text = (
        "The Kenyan defence minister watched the Ocean Shield drills on Tuesday.\n\n"
        "On the sidelines of the drills, he held meetings with his Ugandan and Rwandan "
        "counterparts in Mombasa.\n\n"
        "At the meeting with the Ugandan minister, the two men discussed border security."
    )
    assert meetings(text) == [("KEN", "RWA"), ("KEN", "UGA")]


def test_one_meeting_with_two_counterparts_is_one_trilateral_meeting() -> None:
    text = "The Kenyan defence minister met his Ugandan and Rwandan counterparts in Mombasa."
    assert meetings(text) == [("KEN", "RWA", "UGA")]
