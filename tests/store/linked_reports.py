"""Invented reports whose mentions link across reports, for the store's resolution tests.

The mentions are written out by hand (not extracted) so that each case the store
must handle is there for sure: a named exercise told in three reports, a chain of
meetings joined only through its middle link, and a background sentence restated
in later reports, which must take the date of the earliest one. One restated
meeting bridges two other meetings until the earliest report arrives and re-dates
it: the store has to take the bridge down again.
"""

from __future__ import annotations

from datetime import date

from defcoop.records import EventType, Evidence, Extraction, Location, Mention, Report, Status

SIGNING = "On March 3, the defence ministers of Georgia and Poland signed a plan of cooperation."
TALKS = "On June 2, Georgian and Polish defence officials held talks on joint logistics."
TBILISI = Location(name="Tbilisi", country="GEO", lat=41.69, lon=44.83, place_id="611717")


def _mention(
    report: Report,
    type: EventType,
    sentence: str,
    participants: tuple[str, ...],
    start: str | None,
    *,
    name: str | None = None,
    end: str | None = None,
    status: Status | None = "completed",
    location: Location | None = None,
) -> Mention:
    """A mention of `report` whose evidence is `sentence` (placed in the report's text)."""
    offset = report.text.index(sentence)
    return Mention(
        doc=report.id,
        type=type,
        name=name,
        participants=participants,
        location=location,
        start=start,
        end=end,
        status=status,
        evidence=(Evidence(sentence, offset, offset + len(sentence)),),
        published=report.published,
    )


def _report(ident: str, published: date, *sentences: str) -> Report:
    """A report made of the sentences, one paragraph each."""
    return Report(id=ident, text="\n\n".join(sentences), published=published)


def linked_reports() -> list[Extraction]:
    """Eight reports; see the module docstring for the links they hold."""
    shield_open = "The Caucasus Shield-2022 drills of Georgian and Azerbaijani troops opened today."
    shield_plan = "Caucasus Shield 2022 exercises of Georgia and Azerbaijan will start on May 9."
    shield_end = "Azerbaijani and Georgian troops completed the Caucasus Shield-2022 exercise."
    day_one = "Polish and Georgian officers met in Tbilisi on June 1 to prepare a visit."
    day_three = "Georgian and Polish defence delegations met again on June 3 in Tbilisi."
    newer_plan = "Georgia and Poland signed a new logistics plan on March 3 in Warsaw today."
    a = _report("fx-signing-2021", date(2021, 3, 5), "Tbilisi, 5 March.", SIGNING)
    b = _report("fx-talks-2021", date(2021, 6, 4), TALKS, "Both sides praised the work.")
    c = _report("fx-shield-plan", date(2022, 5, 2), shield_plan, "More news follows.")
    d = _report("fx-shield-open", date(2022, 5, 9), shield_open, "Background:", SIGNING)
    e = _report("fx-meet-1", date(2022, 6, 1), day_one)
    f = _report("fx-meet-restated", date(2022, 6, 3), "In brief.", TALKS)
    g = _report("fx-meet-3", date(2022, 6, 3), day_three, "Shield news:", shield_end)
    h = _report("fx-new-plan", date(2023, 3, 3), newer_plan, "Background:", SIGNING)
    geo_pol = ("GEO", "POL")
    aze_geo = ("AZE", "GEO")
    return [
        Extraction(a, (_mention(a, "agreement", SIGNING, geo_pol, "2021-03-03"),)),
        Extraction(b, (_mention(b, "meeting", TALKS, geo_pol, "2021-06-02"),)),
        Extraction(
            c,
            (
                _mention(
                    c,
                    "exercise",
                    shield_plan,
                    aze_geo,
                    "2022-05-09",
                    name="Caucasus Shield 2022",
                    status="planned",
                ),
            ),
        ),
        Extraction(
            d,
            (
                _mention(
                    d,
                    "exercise",
                    shield_open,
                    aze_geo,
                    "2022-05-09",
                    name="Caucasus Shield-2022",
                    status="ongoing",
                    location=TBILISI,
                ),
                # The background sentence, read as if it were news of this year.
                _mention(d, "agreement", SIGNING, geo_pol, "2022-03-03"),
            ),
        ),
        Extraction(e, (_mention(e, "meeting", day_one, geo_pol, "2022-06-01", location=TBILISI),)),
        # Told as June 2 of 2022: the bridge between June 1 and June 3, until the
        # report of 2021 with the same sentence shows it is an old fact.
        Extraction(f, (_mention(f, "meeting", TALKS, geo_pol, "2022-06-02"),)),
        Extraction(
            g,
            (
                _mention(g, "meeting", day_three, geo_pol, "2022-06-03", location=TBILISI),
                _mention(
                    g,
                    "exercise",
                    shield_end,
                    aze_geo,
                    None,
                    name="Caucasus Shield-2022",
                    end="2022-05-20",
                ),
            ),
        ),
        Extraction(
            h,
            (
                _mention(h, "agreement", newer_plan, geo_pol, "2023-03-03"),
                _mention(h, "agreement", SIGNING, geo_pol, "2023-03-03"),
            ),
        ),
    ]
