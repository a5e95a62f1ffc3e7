"""The extractor on arbitrary text: a result, never an exception; offsets always true."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defcoop.pipeline import Extractor
from defcoop.records import Report

EXTRACTOR = Extractor.from_package()
WORDS = st.sampled_from(
    "Turkey Azerbaijan Türkiye NATO joint drills exercise signed agreement met talks in on "
    'September 6 until 17 from 1 to 5 Monday yesterday EFES-2022 "Steel Wind" Konya '
    "Caspian Sea delivered drones course graduated . , – ( ) 2021 15.06.21 the two countries "
    "will last previous Declaration on Allied Relations 113th Term Course\n".split(" ")
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=80).map(" ".join)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)),
)
def test_any_text_gives_mentions_whose_evidence_is_in_the_text(text: str, day: date) -> None:
    extraction = EXTRACTOR.extract(Report(id="fuzz", text=text, published=day))
    for mention in extraction.mentions:
        assert mention.participants
        for evidence in mention.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
        for value in (mention.start, mention.end):
            assert value is None or len(value) in (4, 7, 10)


def test_a_pages_tag_list_is_no_sentence_of_the_report() -> None:
    from defcoop.pipeline import extract

    text = (
        "Chile and Peru began the naval exercise SOUTHSTAR 2024 off Valparaiso on Monday.\n\n"
        "TAGS\nChilean Navy Peruvian Nayv Pacific Exercise Bolivia Ecuador naval drills\n\n"
        "Tags: Argentina, Brazil, military exercise"
    )
    (mention,) = extract(text, "2024-05-08")
    assert mention.participants == ("CHL", "PER")
    assert len(mention.evidence) == 1
