"""Whether a course is under way or over, and which date is its own (our own sentences)."""

from __future__ import annotations

from datetime import date

from defcoop.pipeline import Extractor
from defcoop.records import Mention, Report


def _mentions(text: str, published: date) -> tuple[Mention, ...]:
    report = Report(id="t", text=text, published=published)
    return Extractor.from_package().extract(report).mentions


def test_a_course_its_cadets_completed_is_over() -> None:
    text = (
        "Tanzania trains cadets from Kenya and Uganda at the Military Academy in Monduli. "
        "All twelve foreign cadets successfully completed their training, the academy said."
    )
    found = [m for m in _mentions(text, date(2024, 5, 10)) if m.type == "training"]
    assert [m.status for m in found] == ["completed"]


def test_a_course_ended_elsewhere_in_the_report_does_not_end_the_drills() -> None:
    text = (
        "Uzbek and Kazakh troops are conducting joint drills near Termez today. "
        "Before the drills, the commanders met officers who had completed their training "
        "in Kazakhstan."
    )
    drills = [m for m in _mentions(text, date(2024, 5, 10)) if m.type == "exercise"]
    assert [m.status for m in drills] == ["ongoing"]


def test_the_deal_a_course_is_held_under_does_not_date_the_course() -> None:
    text = (
        "Some 300 Zambian soldiers are currently training with Indian instructors at the "
        "Lusaka Staff College. "
        "The training is part of the defence cooperation agreement Zambia and India signed "
        "earlier this year."
    )
    found = [m for m in _mentions(text, date(2024, 8, 20)) if m.type == "training"]
    assert [m.status for m in found] == ["ongoing"]
    assert found[0].start != "2024"  # the agreement's year


def test_a_course_that_culminates_on_a_day_ends_on_it() -> None:
    text = (
        "Forty cadets from Ghana arrived at the Nigerian Defence Academy in Kaduna for a "
        "leadership course. "
        "The cadets will begin the course on May 6 and culminate their training on May 31."
    )
    found = [m for m in _mentions(text, date(2024, 5, 2)) if m.type == "training"]
    assert [(m.start, m.end) for m in found] == [("2024-05-06", "2024-05-31")]
