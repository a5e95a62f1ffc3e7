"""An exercise said to have ended, in any of its sentences, is completed (our own text)."""

from __future__ import annotations

from defcoop.pipeline import extract

LEAD = "SOUTHSTAR 2024 is the largest naval exercise of Chile and Peru, held every year.\n\n"


def test_an_exercise_that_ended_on_the_day_of_the_report_is_completed() -> None:
    text = LEAD + "The drills began on May 1 and ran until May 10, and the navies concluded them."
    (mention,) = extract(text, "2024-05-10")
    assert (mention.start, mention.end) == ("2024-05-01", "2024-05-10")
    assert mention.status == "completed"


def test_an_exercise_running_until_the_day_of_the_report_is_under_way() -> None:
    text = LEAD + "The drills began on May 1 and run until May 10."
    (mention,) = extract(text, "2024-05-10")
    assert (mention.start, mention.end) == ("2024-05-01", "2024-05-10")
    assert mention.status == "ongoing"


def test_talks_scheduled_to_take_place_are_planned() -> None:
    text = "Talks between the Chilean and Peruvian defence ministers are scheduled in Lima."
    (mention,) = extract(text, "2024-05-10")
    assert (mention.type, mention.status) == ("meeting", "planned")


def test_an_agreement_in_principle_is_still_to_be_signed() -> None:
    text = "Chile and Peru have struck a defence agreement in principle, officials said."
    (mention,) = extract(text, "2024-05-10")
    assert (mention.type, mention.status) == ("agreement", "planned")
