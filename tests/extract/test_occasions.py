"""A signing (or a handover) and the meeting it was held at share one site: our own
sentences."""

from __future__ import annotations

from datetime import date

from defcoop.extract.occasions import share_sites
from defcoop.pipeline import Extractor, extract
from defcoop.records import Location, Mention, Report


def _mention(kind: str, start: str | None, location: Location | None) -> Mention:
    return Mention(
        doc="d",
        type=kind,  # type: ignore[arg-type]
        name=None,
        participants=("KEN", "USA"),
        location=location,
        start=start,
        end=None,
        status="completed",
        evidence=(),
    )


SITE = Location(name="Nairobi", country="KEN", lat=-1.28, lon=36.8, place_id="geonames:184745")


def test_unsited_signing_takes_the_site_of_its_meeting() -> None:
    signing = _mention("agreement", "2024-03-04", None)
    meeting = _mention("meeting", "2024-03-04", SITE)
    assert share_sites([signing, meeting])[0].location == SITE


def test_another_day_or_a_month_is_no_occasion() -> None:
    meeting = _mention("meeting", "2024-03-04", SITE)
    assert share_sites([_mention("agreement", "2024-03-05", None), meeting])[0].location is None
    assert share_sites([_mention("agreement", "2024-03", None), meeting])[0].location is None


def test_a_country_elsewhere_is_not_overwritten() -> None:
    abroad = Location(name="United States", country="USA")
    meeting = _mention("meeting", "2024-03-04", SITE)
    shared = share_sites([_mention("agreement", "2024-03-04", abroad), meeting])
    assert shared[0].location == abroad


def test_a_report_of_a_signing_at_a_meeting() -> None:
    text = (
        "Norway and Estonia on Tuesday signed a defence cooperation agreement.\n\n"
        "The Estonian defence minister and his Norwegian counterpart met at the "
        "ministry in Tartu, where they presided over the ceremony."
    )
    mentions = extract(text, "2024-05-08")
    kinds = {m.type: m for m in mentions}
    assert set(kinds) == {"agreement", "meeting"}
    assert kinds["agreement"].location is not None
    assert kinds["agreement"].location.name == "Tartu"


def test_a_joint_commission_meeting_told_with_a_signing_is_a_meeting_of_its_own() -> None:
    text = (
        "Kenya and Uganda have signed a defence memorandum of understanding.\n\n"
        "The signing closed a two-day Joint Permanent Commission meeting, which "
        "reviewed a defence pact signed in March 2019."
    )
    mentions = extract(text, "2024-05-08")
    meetings = [m for m in mentions if m.type == "meeting"]
    assert [m.participants for m in meetings] == [("KEN", "UGA")]
    assert meetings[0].start != "2019-03"  # the pact's date, not the meeting's


def test_a_second_meeting_of_one_visit_is_its_own_event_on_the_same_day_and_site() -> None:
    text = (
        "Kenyan Defence Minister Jane Doe met Ugandan army commander John Roe on Tuesday.\n\n"
        "In talks that followed, both men reviewed how the armed forces of both countries "
        "could work together.\n\n"
        "Kenya's army chief also had a meeting with the Ugandan commander where they "
        "discussed training.\n\n"
        "Diplomats in Nairobi attended the meeting."
    )
    mentions = [m for m in extract(text, "2024-05-08") if m.type == "meeting"]
    assert len(mentions) == 2
    assert mentions[0].start == "2024-05-07"
    assert [m.location.name if m.location else None for m in mentions] == ["Nairobi", "Nairobi"]


def test_a_handover_told_with_the_ministers_meeting_takes_its_site() -> None:
    text = (
        "Peru received on March 4, 2024 the first of 12 patrol aircraft ordered from Spain "
        "in 2021 in a large deal. "
        "Peru's defence minister joined his Spanish counterpart for a ceremony at the "
        "aircraft factory in Getafe on March 4, 2024."
    )
    report = Report(id="t", text=text, published=date(2024, 3, 5))
    found = {m.type: m for m in Extractor.from_package().extract(report).mentions}
    assert found["transfer"].start == "2024-03-04"
    assert found["transfer"].location is not None
    assert found["transfer"].location.name == "Getafe"


def test_a_handover_guessed_at_its_recipient_takes_the_site_of_its_meeting() -> None:
    handover = _mention("transfer", "2024-03-04", Location(name=None, country="KEN"))
    meeting = _mention("meeting", "2024-03-04", SITE)
    assert share_sites([handover, meeting])[0].location == SITE
