"""Reconciliation rules: whose value a canonical event takes, and which values conflict."""

from __future__ import annotations

from datetime import date

from defcoop.records import EventType, Evidence, Location, Mention, Status
from defcoop.resolve.events import reconcile
from defcoop.resolve.series import series_of

LEAD = "Kazakh and Kyrgyz sappers finished a mine clearance course in Almaty."
OLD = "The two armies first trained together in 1994, under a protocol signed that year."
CITY = Location(name="Almaty", country="KAZ", lat=43.25, lon=76.9, place_id="1526384")
OTHER_CITY = Location(name="Bishkek", country="KGZ", lat=42.87, lon=74.59, place_id="1528675")


def said(
    doc: str,
    published: date,
    *,
    start: str | None = None,
    end: str | None = None,
    status: Status | None = "completed",
    sentences: tuple[str, ...] = (LEAD,),
    participants: tuple[str, ...] = ("KAZ", "KGZ"),
    location: Location | None = None,
    name: str | None = None,
    background: bool = False,
    type: EventType = "training",
) -> Mention:
    """A mention as an invented report tells it, its sentences one after another."""
    evidence, offset = [], 0
    for sentence in sentences:
        evidence.append(Evidence(sentence, offset, offset + len(sentence)))
        offset += len(sentence) + 1
    return Mention(
        doc=doc,
        type=type,
        name=name,
        participants=participants,
        location=location,
        start=start,
        end=end,
        status=status,
        evidence=tuple(evidence),
        background=background,
        published=published,
    )


def test_a_date_from_a_sentence_about_another_event_is_set_aside() -> None:
    course = said("r1", date(2023, 4, 2), start="1994", sentences=(LEAD, OLD))
    lead_of_other = len(LEAD) + 1  # OLD leads the 1994 protocol's mention in the same report
    record = reconcile("ev", [course], ["mention:1"], [{lead_of_other}])
    assert record.start is None
    assert record.set_aside == (
        {
            "field": "start",
            "value": "1994",
            "mention": "mention:1",
            "reason": "stated only by a sentence about another event",
        },
    )
    # The same sentence leading no other mention is this event's own.
    assert reconcile("ev", [course], ["mention:1"], [set()]).start == "1994"


def test_a_report_about_the_event_wins_over_a_restatement() -> None:
    news = said("r1", date(2023, 4, 2), start="2023-03-28", sentences=(LEAD,))
    restated = said("r2", date(2023, 9, 1), start="2023-03-20", background=True)
    record = reconcile("ev", [restated, news], ["mention:2", "mention:1"])
    assert record.start == "2023-03-28"
    assert record.provenance["start"] == "mention:1"
    assert record.conflicts["start"] == [
        {"value": "2023-03-20", "mentions": ["mention:2"]},
        {"value": "2023-03-28", "mentions": ["mention:1"]},
    ]


def test_a_report_of_the_event_happening_wins_over_its_announcement() -> None:
    plan = said("r1", date(2023, 3, 1), start="2023-03-27", status="planned")
    held = said("r2", date(2023, 4, 2), start="2023-03-28", status="completed")
    assert reconcile("ev", [plan, held]).start == "2023-03-28"


def test_the_report_date_counts_only_when_no_sentence_dates_the_event() -> None:
    dated_by_report = said("r1", date(2023, 4, 2), start="2023-04-02", status="ongoing")
    by_name = said("r2", date(2023, 4, 5), start="2023", name="Steppe Sapper-2023")
    record = reconcile("ev", [dated_by_report, by_name])
    assert record.start == "2023"
    assert "start" not in record.conflicts  # a report's date is no claim on the start
    assert reconcile("ev", [dated_by_report]).start == "2023-04-02"


def test_a_more_precise_date_wins_only_when_it_agrees() -> None:
    month = said("r1", date(2023, 4, 2), start="2023-03")
    day = said("r2", date(2023, 4, 3), start="2023-03-28")
    other = said("r3", date(2023, 4, 4), start="2023-04-01")
    assert reconcile("ev", [month, day]).start == "2023-03-28"
    three = reconcile("ev", [month, day, other])
    assert three.start == "2023-03-28"  # the month and the day agree, April 1 stands alone
    assert {v["value"] for v in three.conflicts["start"]} == {"2023-03", "2023-03-28", "2023-04-01"}
    two_days = reconcile("ev", [said("r1", date(2023, 4, 2), start="2023-03"), day, other])
    assert two_days.start == "2023-03-28"


def test_the_place_is_the_most_specific_in_the_country_most_reports_name() -> None:
    country = Location(name=None, country="KAZ")
    mentions = [
        said("r1", date(2023, 4, 2), location=country),
        said("r2", date(2023, 4, 3), location=CITY),
        said("r3", date(2023, 4, 4), location=country),
        said("r4", date(2023, 4, 5), location=OTHER_CITY),
    ]
    record = reconcile("ev", mentions, ["m1", "m2", "m3", "m4"])
    assert record.location == CITY
    assert {v["value"] for v in record.conflicts["location"]} == {"Almaty", "Bishkek", "KAZ"}


def test_partners_that_neither_contain_the_other_conflict() -> None:
    a = said("r1", date(2023, 4, 2), participants=("KAZ", "KGZ"))
    b = said("r2", date(2023, 4, 3), participants=("KAZ", "UZB"))
    c = said("r3", date(2023, 4, 4), participants=("KAZ",))
    assert "participants" in reconcile("ev", [a, b]).conflicts
    assert "participants" not in reconcile("ev", [a, c]).conflicts  # c is only vaguer


def test_agreeing_mentions_have_no_conflicts_and_order_does_not_matter() -> None:
    mentions = [
        said("r1", date(2023, 4, 2), start="2023-03-28", location=CITY, name="Steppe Sapper-2023"),
        said("r2", date(2023, 4, 3), start="2023-03", location=CITY, name="Steppe Sapper 2023"),
    ]
    record = reconcile("ev", mentions, ["m1", "m2"])
    assert record.conflicts == {}
    assert record == reconcile("ev", mentions[::-1], ["m2", "m1"])
    assert record.series == "steppesapper"


def test_series_names_drop_year_edition_and_term() -> None:
    assert series_of("exercise", "Steppe Sapper - 2023") == ("steppesapper", "Steppe Sapper")
    assert series_of("exercise", "STEPPE SAPPER-IV 2021") == ("steppesapper", "STEPPE SAPPER")
    assert series_of("training", "41st Term Mine Clearance Course") == (
        "mineclearancecourse",
        "Mine Clearance Course",
    )
    assert series_of("exercise", "Joint Exercise Sapper Shield-24") == (
        "sappershield",
        "Sapper Shield",
    )
    assert series_of("agreement", "Almaty Protocol") is None  # an act, not a series
    assert series_of("exercise", None) is None


def test_the_day_news_was_announced_is_kept_though_its_sentence_leads_another_event() -> None:
    from defcoop.resolve.statements import statement

    lead = "Chile receives patrol aircraft from Spain"
    told = "Chile received the aircraft under a 2019 deal, the ministry said on Wednesday."
    mention = Mention(
        doc="r",
        type="transfer",
        name=None,
        participants=("CHL", "ESP"),
        location=None,
        start="2024-05-08",
        end=None,
        status="completed",
        evidence=(Evidence(lead, 0, len(lead)), Evidence(told, 50, 50 + len(told))),
        published=date(2024, 5, 10),
    )
    # The second sentence also leads the 2019 deal: still, Wednesday is this news' day.
    kept = statement("mention:1", mention, foreign={50})
    assert kept.mention.start == "2024-05-08"
    assert kept.set_aside == ()
