"""Reconciling the mentions of one event: specific values, support, provenance, corrections."""

from __future__ import annotations

from datetime import date

from defcoop.records import EventType, Evidence, Location, Mention, Status
from defcoop.resolve.events import apply_corrections, reconcile

CITY = Location(name="Batumi", country="GEO", lat=41.64, lon=41.63, place_id="615532")
REGION = Location(name="Adjara", country="GEO", place_id="iso3166-2:GE-AJ")
COUNTRY = Location(name=None, country="GEO")


def told(
    doc: str,
    published: date,
    *,
    participants: tuple[str, ...] = ("GEO", "TUR"),
    start: str | None = None,
    end: str | None = None,
    name: str | None = None,
    location: Location | None = None,
    status: Status | None = None,
    type: EventType = "exercise",
) -> Mention:
    """A mention of a drill as one invented report tells it."""
    return Mention(
        doc=doc,
        type=type,
        name=name,
        participants=participants,
        location=location,
        start=start,
        end=end,
        status=status,
        evidence=(Evidence("Georgian and Turkish marines trained together.", 0, 47),),
        published=published,
    )


def test_most_specific_date_and_place_most_common_name_latest_status() -> None:
    mentions = [
        told("r1", date(2022, 5, 1), start="2022-05", name="Sea Breeze 2022", location=COUNTRY,
             status="planned"),
        told("r2", date(2022, 5, 10), start="2022-05-09", name="Sea Breeze 2022", location=REGION,
             status="ongoing"),
        told("r3", date(2022, 5, 20), start="2022", end="2022-05-19", name="Seabreeze-2022",
             location=CITY, status="completed"),
        told("r4", date(2022, 6, 1), start="2022-05", location=REGION),
    ]  # fmt: skip
    record = reconcile("ev", mentions, ["m1", "m2", "m3", "m4"])
    assert record.start == "2022-05-09"
    assert record.end == "2022-05-19"
    assert record.location == CITY
    assert record.name == "Sea Breeze 2022"
    assert record.status == "completed"  # r4 tells no status: the latest that does
    assert (record.reports, record.mentions) == (4, 4)
    assert (record.first_report, record.last_report) == (date(2022, 5, 1), date(2022, 6, 1))
    assert record.status_as_of == date(2022, 5, 20)
    assert record.series == "seabreeze"
    assert record.conflicts == {}
    assert record.provenance["start"] == "m2"
    assert record.provenance["location"] == "m3"
    assert record.provenance["status"] == "m3"
    assert record.provenance["name"] == "m1"


def test_weakly_supported_participants_are_dropped_from_three_mentions_on() -> None:
    three = [
        told("r1", date(2022, 5, 1), participants=("GEO", "TUR", "USA")),
        told("r2", date(2022, 5, 2)),
        told("r3", date(2022, 5, 3)),
        told("r4", date(2022, 5, 4)),
    ]
    record = reconcile("ev", three)
    assert record.participants == ("GEO", "TUR")
    assert dict(record.support) == {"GEO": 4, "TUR": 4, "USA": 1}
    two = reconcile("ev", three[:2])
    assert two.participants == ("GEO", "TUR", "USA")  # too few mentions to judge support
    assert two.provenance["participants.USA"] == "r1@0"


def test_the_result_does_not_depend_on_the_order_of_mentions() -> None:
    mentions = [
        told("r1", date(2022, 5, 1), start="2022-05-09", location=REGION),
        told("r2", date(2022, 5, 2), start="2022-05-10", location=CITY),
    ]
    assert reconcile("ev", mentions) == reconcile("ev", mentions[::-1])


def test_corrections_win_in_log_order_and_name_their_source() -> None:
    record = reconcile("ev", [told("r1", date(2022, 5, 1), start="2022-05-09")])
    corrected = apply_corrections(
        record,
        [
            (1, {"start": "2022-05-01", "participants": ["GEO", "NATO"]}),
            (2, {"start": "2022-05-02", "location": {"name": "Batumi", "country": "GEO"}}),
        ],
    )
    assert corrected.start == "2022-05-02"
    assert corrected.participants == ("GEO", "NATO")
    assert corrected.location == Location(name="Batumi", country="GEO")
    assert corrected.provenance["start"] == "correction:2"
    assert corrected.provenance["participants.NATO"] == "correction:1"
    assert "participants.TUR" not in corrected.provenance
    assert record.start == "2022-05-09"  # the machine's record is left as it was
