"""Invented reports whose mentions of one event disagree, for conflicts and the review queue.

Written by hand (not extracted) so that every case is there for sure:

- a named drill, "Lake Guard-2023", told by three reports: two give March 6 as its
  start, one March 9, and one places it in another country;
- an unnamed Kazakh-Kyrgyz meeting and a near-duplicate of it two days later that
  the resolver leaves apart (a meeting's dates must agree to the day);
- a course with one participant and no date, and an agreement with no place.
"""

from __future__ import annotations

from datetime import date

from defcoop.records import EventType, Evidence, Extraction, Location, Mention, Report, Status

ISSYK = Location(name="Cholpon-Ata", country="KGZ", lat=42.65, lon=77.08, place_id="1528260")
ALMATY = Location(name="Almaty", country="KAZ", lat=43.25, lon=76.92, place_id="1526384")


def _report(ident: str, published: date, *sentences: str) -> Report:
    return Report(id=ident, text="\n\n".join(sentences), published=published)


def _mention(
    report: Report,
    type: EventType,
    sentence: str,
    participants: tuple[str, ...],
    start: str | None,
    *,
    name: str | None = None,
    status: Status | None = "completed",
    location: Location | None = None,
) -> Mention:
    offset = report.text.index(sentence)
    return Mention(
        doc=report.id,
        type=type,
        name=name,
        participants=participants,
        location=location,
        start=start,
        end=None,
        status=status,
        evidence=(Evidence(sentence, offset, offset + len(sentence)),),
        published=report.published,
    )


def disagreeing_reports() -> list[Extraction]:
    """Six reports; see the module docstring."""
    guard_a = "Kazakh and Kyrgyz border guards began the Lake Guard-2023 drills on March 6."
    guard_b = "The Lake Guard-2023 exercise of Kyrgyzstan and Kazakhstan opened on March 6."
    guard_c = "Kyrgyz and Kazakh units have held Lake Guard-2023 since March 9, officials said."
    talks_a = "The Kazakh and Kyrgyz chiefs of staff met in Almaty on April 4 to discuss drills."
    talks_b = "Kyrgyz and Kazakh military chiefs held talks in Almaty on April 6 on joint drills."
    course = "A Kyrgyz officer graduated from a staff course abroad, the ministry said."
    accord = "Kazakhstan and Kyrgyzstan signed a protocol on military education on May 2."
    a = _report("dx-guard-a", date(2023, 3, 7), guard_a)
    b = _report("dx-guard-b", date(2023, 3, 8), guard_b)
    c = _report("dx-guard-c", date(2023, 3, 12), guard_c)
    d = _report("dx-talks-a", date(2023, 4, 4), talks_a)
    e = _report("dx-talks-b", date(2023, 4, 7), talks_b, course)
    f = _report("dx-accord", date(2023, 5, 3), accord)
    pair = ("KAZ", "KGZ")
    return [
        Extraction(a, (_mention(a, "exercise", guard_a, pair, "2023-03-06", name="Lake Guard-2023",
                                location=ISSYK, status="ongoing"),)),
        Extraction(b, (_mention(b, "exercise", guard_b, pair, "2023-03-06", name="Lake Guard-2023",
                                location=ISSYK, status="ongoing"),)),
        Extraction(c, (_mention(c, "exercise", guard_c, pair, "2023-03-09", name="Lake Guard-2023",
                                location=ALMATY, status="ongoing"),)),
        Extraction(d, (_mention(d, "meeting", talks_a, pair, "2023-04-04", location=ALMATY),)),
        Extraction(
            e,
            (
                _mention(e, "meeting", talks_b, pair, "2023-04-06", location=ALMATY),
                _mention(e, "training", course, ("KGZ",), None),
            ),
        ),
        Extraction(f, (_mention(f, "agreement", accord, pair, "2023-05-02"),)),
    ]  # fmt: skip


def more_guard_news() -> Extraction:
    """A later report on Lake Guard-2023 that agrees with the first two."""
    text = "Lake Guard-2023, the Kazakh and Kyrgyz drill that began on March 6, has ended."
    report = _report("dx-guard-d", date(2023, 3, 20), text)
    return Extraction(
        report,
        (_mention(report, "exercise", text, ("KAZ", "KGZ"), "2023-03-06", name="Lake Guard-2023",
                  location=ISSYK),),
    )  # fmt: skip


def earlier_editions() -> list[Extraction]:
    """Lake Guard in 2021 and 2022: with the 2023 drill, three editions of one series."""
    first = "Kazakh and Kyrgyz border guards held the Lake Guard-2021 drill on Issyk-Kul in May."
    second = "Uzbek observers joined LAKE GUARD 2022, the Kyrgyz-Kazakh lake drill, on June 14."
    a = _report("dx-guard-2021", date(2021, 5, 30), first)
    b = _report("dx-guard-2022", date(2022, 6, 15), second)
    return [
        Extraction(a, (_mention(a, "exercise", first, ("KAZ", "KGZ"), "2021-05",
                                name="Lake Guard-2021", location=ISSYK),)),
        Extraction(b, (_mention(b, "exercise", second, ("KAZ", "KGZ", "UZB"), "2022-06-14",
                                name="LAKE GUARD 2022", location=ISSYK),)),
    ]  # fmt: skip


def another_pair() -> list[Extraction]:
    """Two Kazakh-Uzbek meetings three days apart: near-duplicates, in fact two visits."""
    first = "Kazakh and Uzbek deputy defence ministers met in Tashkent on July 3 on air defence."
    second = "Uzbek and Kazakh defence officials met in Tashkent on July 6 to discuss logistics."
    a = _report("dx-visit-a", date(2023, 7, 4), first)
    b = _report("dx-visit-b", date(2023, 7, 7), second)
    tashkent = Location(name="Tashkent", country="UZB", lat=41.26, lon=69.22, place_id="1512569")
    return [
        Extraction(a, (_mention(a, "meeting", first, ("KAZ", "UZB"), "2023-07-03",
                                location=tashkent),)),
        Extraction(b, (_mention(b, "meeting", second, ("KAZ", "UZB"), "2023-07-06",
                                location=tashkent),)),
    ]  # fmt: skip
