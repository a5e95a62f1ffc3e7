from datetime import date

from defcoop.records import Evidence, Mention
from defcoop.resolve.background import fingerprint, restate_dates

FACT = "On March 3, the two ministries signed a protocol on joint mountain training."


def told(doc: str, published: date, start: str, text: str = FACT) -> Mention:
    return Mention(
        doc=doc,
        type="agreement",
        name=None,
        participants=("GEO", "KAZ"),
        location=None,
        start=start,
        end=None,
        status="completed",
        evidence=(Evidence(text, 0, len(text)),),
        published=published,
    )


def test_fingerprint_ignores_case_spacing_and_punctuation() -> None:
    assert fingerprint(FACT) == fingerprint(FACT.upper().replace(",", "  "))
    assert fingerprint("The drills ended.") is None


def test_later_reports_take_the_date_of_the_first_report() -> None:
    first = told("a", date(2022, 3, 10), "2022-03-03")
    again = told("b", date(2023, 5, 1), "2023-03-03")
    other = told("c", date(2023, 5, 2), "2023-03-03", text="A different sentence about signing.")
    out = restate_dates([again, other, first])
    assert out[0].start == "2022-03-03" and out[0].background
    assert out[1] == other
    assert out[2] == first
    assert restate_dates([first, again, other]) == [out[2], out[0], out[1]]
