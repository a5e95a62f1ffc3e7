"""Which date is the event's: not the dateline's, and 'initiated' starts it (our own text)."""

from __future__ import annotations

from datetime import date

from defcoop.pipeline import Extractor
from defcoop.records import Report


def first_mention(text: str, published: date) -> tuple[str | None, str | None]:
    report = Report(id="t", text=text, published=published)
    found = Extractor.from_package().extract(report).mentions
    assert found
    return found[0].start, found[0].end


def test_a_datelines_date_is_when_the_report_was_filed() -> None:
    text = (
        "Lusaka, May 9, ZNA – Zambia and Malawi have signed a defence cooperation "
        "memorandum. The memorandum was signed on Tuesday in Lusaka."
    )
    assert first_mention(text, date(2024, 5, 9)) == ("2024-05-07", None)


def test_initiated_starts_an_exercise_even_beside_another_that_ended() -> None:
    text = (
        "Soon after the storm season concluded, Chilean and Peruvian marines on Monday "
        "initiated Exercise Pacific Shield 2024, which will run until May 24."
    )
    assert first_mention(text, date(2024, 5, 13)) == ("2024-05-13", "2024-05-24")


def test_a_deal_and_a_delivery_in_one_sentence_keep_their_own_dates() -> None:
    text = (
        "Uruguay received on March 3 the first of two patrol vessels ordered from Spain "
        "in 2021 in a naval deal."
    )
    report = Report(id="t", text=text, published=date(2024, 3, 5))
    found = {m.type: m.start for m in Extractor.from_package().extract(report).mentions}
    assert found == {"transfer": "2024-03-03", "agreement": "2021"}


def status_of(text: str, published: date) -> list[tuple[str, str | None]]:
    report = Report(id="t", text=text, published=published)
    return [(m.type, m.status) for m in Extractor.from_package().extract(report).mentions]


def test_a_visit_under_way_on_the_day_of_the_report_is_ongoing() -> None:
    text = "The Chilean defence minister is on an official visit to Peru, meeting his counterpart."
    assert status_of(text, date(2024, 5, 9)) == [("meeting", "ongoing")]


def test_a_meeting_held_during_a_visit_under_way_is_completed() -> None:
    text = (
        "The Chilean defence minister, who is on an official visit to Lima, has met his "
        "Peruvian counterpart."
    )
    assert status_of(text, date(2024, 5, 9)) == [("meeting", "completed")]


def test_a_delivery_that_will_be_received_is_planned() -> None:
    text = "Three patrol planes donated by Spain will be received by the Mauritanian navy."
    assert status_of(text, date(2024, 5, 9)) == [("transfer", "planned")]


def test_a_three_day_exercise_ends_two_days_after_it_began() -> None:
    text = "Ghanaian and Nigerian navies began a three-day joint exercise off Lagos on Monday."
    assert first_mention(text, date(2024, 5, 13)) == ("2024-05-13", "2024-05-15")


def test_a_war_that_broke_out_dates_no_delivery() -> None:
    text = (
        "Turkish drones were delivered to Azerbaijan in 2020, during the war that broke "
        "out on September 27, 2020."
    )
    assert first_mention(text, date(2023, 4, 29))[0] == "2020"


def test_todays_deal_and_a_deal_of_long_ago_are_two_events() -> None:
    text = (
        "Peru has signed a defence cooperation agreement with Chile. "
        "The two countries first signed a military agreement in 2003."
    )
    report = Report(id="t", text=text, published=date(2024, 2, 23))
    found = sorted((m.type, m.start) for m in Extractor.from_package().extract(report).mentions)
    assert found == [("agreement", "2003"), ("agreement", "2024-02-23")]


def test_a_courses_graduation_ceremony_is_the_day_it_ended() -> None:
    text = (
        "Kenyan officers graduated from a commando course in Turkey's Isparta.\n\n"
        "The graduation ceremony took place at the Mountain Warfare Training Centre on "
        "October 16, with Kenyan diplomats present."
    )
    start, end = first_mention(text, date(2024, 10, 19))
    assert end == "2024-10-16"
    assert start is None


def test_news_with_no_date_of_its_own_is_dated_by_its_announcement() -> None:
    text = (
        "Spain has handed over two patrol aircraft to Chile, the Chilean navy announced "
        "on Wednesday."
    )
    assert first_mention(text, date(2024, 5, 10)) == ("2024-05-08", None)
    # An announcement weeks before the report says nothing of today's news.
    old = "Chile received three patrol aircraft from Spain, the ministry said on March 3."
    assert first_mention(old, date(2024, 5, 10)) == ("2024-05-10", None)


def test_an_agreement_is_dated_by_its_signing_not_by_what_it_brought() -> None:
    text = (
        "A Chilean base opened in Peru in 2004 rests on a defence agreement, which was "
        "signed in 1998 by both governments."
    )
    assert first_mention(text, date(2015, 10, 9)) == ("1998", None)


def test_a_wars_dates_and_its_victims_date_and_join_no_exercise() -> None:
    from defcoop.records import Sentence

    reader = Extractor.from_package().reader
    text = (
        "The general led the Bolivian, Argentine and Paraguayan war between 1879-1884, "
        "making the name of the joint exercise of Chile and Peru a tribute."
    )
    facts = reader.read(0, Sentence(0, len(text), text, 0), date(2024, 5, 8))
    assert facts.dates == ()
    assert set(facts.countries) == {"CHL", "PER"}
    annexed = "Support for Chile grew after the 2014 Peruvian annexation of the islands."
    facts = reader.read(0, Sentence(0, len(annexed), annexed, 0), date(2024, 5, 8))
    assert facts.dates == ()


def test_since_starts_and_until_ends_whatever_is_told_between() -> None:
    text = (
        "Chilean marines completed their tasks in the SOUTHSTAR 2024 exercise on June 2.\n\n"
        "SOUTHSTAR 2024 has been under way off Valparaiso since May 9, 2024 and will wrap up "
        "on June 9, 2024."
    )
    assert first_mention(text, date(2024, 6, 7)) == ("2024-05-09", "2024-06-09")


def test_a_visit_dated_by_its_last_day_began_days_before() -> None:
    text = (
        "On the final day of her four-day visit, the Chilean army chief met Peruvian "
        "defence minister Ana Ruiz in Lima on Friday."
    )
    assert first_mention(text, date(2024, 5, 10)) == ("2024-05-07", None)


def test_the_year_a_format_began_dates_no_drill() -> None:
    text = (
        "Chile and Peru began joint drills near the border on Monday.\n\n"
        "The drills took place while both sides prepared talks in a format "
        "initiated by Brazil in 2020."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 8))
    found = Extractor.from_package().extract(report).mentions
    assert [(m.type, m.start) for m in found if m.type == "exercise"] == [
        ("exercise", "2024-05-06")
    ]


def test_a_year_naming_a_deal_and_the_day_a_plan_was_told_date_no_delivery() -> None:
    text = (
        "Peru is still waiting to receive any frigate from its 2023 deal with South Korea. "
        "The navy chief said in March that two frigates would arrive from South Korea in "
        "late 2026."
    )
    report = Report(id="t", text=text, published=date(2025, 6, 2))
    found = Extractor.from_package().extract(report).mentions
    transfers = [(m.start, m.status) for m in found if m.type == "transfer"]
    assert ("2026", "planned") in transfers
    starts = [start or "" for start, _ in transfers]
    assert not [s for s in starts if s.startswith(("2023", "2025-03"))]
