from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defcoop.nlp.date_patterns import date_cues
from defcoop.nlp.dates import find_dates, sentence_tense

FRIDAY = date(2021, 9, 10)  # a Friday

Expected = tuple[str, str | None, str | None, str]


def _found(sentence: str, published: date) -> list[Expected]:
    return [(s.text, s.first, s.last, s.role) for s in find_dates(sentence, published)]


CASES: list[tuple[str, date, list[Expected]]] = [
    # calendar dates, US and UK order, abbreviations, numeric forms
    (
        "On September 6, engineers from both navies began mine clearance.",
        FRIDAY,
        [("September 6", "2021-09-06", "2021-09-06", "point")],
    ),
    (
        "The pact was initialled September 27, 2021 and ratified 27 September 2022.",
        date(2023, 1, 5),
        [
            ("September 27, 2021", "2021-09-27", "2021-09-27", "point"),
            ("27 September 2022", "2022-09-27", "2022-09-27", "point"),
        ],
    ),
    (
        "Officers toured the base on Sept. 7, 2021, and again on Aug 3 2021.",
        date(2022, 2, 1),
        [
            ("Sept. 7, 2021", "2021-09-07", "2021-09-07", "point"),
            ("Aug 3 2021", "2021-08-03", "2021-08-03", "point"),
        ],
    ),
    (
        "Orders dated 15.06.21, 16.06.2021, 2021-06-17 and 18/06/2021 arrived.",
        FRIDAY,
        [
            ("15.06.21", "2021-06-15", "2021-06-15", "point"),
            ("16.06.2021", "2021-06-16", "2021-06-16", "point"),
            ("2021-06-17", "2021-06-17", "2021-06-17", "point"),
            ("18/06/2021", "2021-06-18", "2021-06-18", "point"),
        ],
    ),
    (
        "The frigate docked on June 15th and left on the 20th of June.",
        FRIDAY,
        [
            ("June 15th", "2021-06-15", "2021-06-15", "point"),
            ("the 20th of June", "2021-06-20", "2021-06-20", "point"),
        ],
    ),
    (
        "The Navy said on Monday, Sept. 6, 2021 that the convoy had sailed.",
        FRIDAY,
        [("Monday, Sept. 6, 2021", "2021-09-06", "2021-09-06", "point")],
    ),
    # end only
    (
        "The air drills are due to run until September 17.",
        FRIDAY,
        [("until September 17", None, "2021-09-17", "until")],
    ),
    (
        "Sappers train in the valley till Oct. 2 and the course runs through October 9.",
        FRIDAY,
        [
            ("till Oct. 2", None, "2021-10-02", "until"),
            ("through October 9", None, "2021-10-09", "until"),
        ],
    ),
    (
        "The gathering, which wraps up on June 16, draws cadets from six nations.",
        date(2022, 6, 9),
        [("June 16", None, "2022-06-16", "until")],
    ),
    # ranges
    (
        "Divers trained from August 1 to 5 off the coast.",
        FRIDAY,
        [("from August 1 to 5", "2021-08-01", "2021-08-05", "range")],
    ),
    (
        "The first edition ran from October 30 to November 12, 2019 in the desert.",
        FRIDAY,
        [("from October 30 to November 12, 2019", "2019-10-30", "2019-11-12", "range")],
    ),
    (
        "The summit is scheduled between Oct. 3 and Oct. 5 in the capital.",
        date(2023, 10, 17),
        [("between Oct. 3 and Oct. 5", "2023-10-03", "2023-10-05", "range")],
    ),
    (
        "Warships will gather June 29-Aug. 4 near the islands.",
        date(2022, 6, 1),
        [("June 29-Aug. 4", "2022-06-29", "2022-08-04", "range")],
    ),
    (
        "Gunners fired on August 1-5 and on 1-5 August 2020.",
        FRIDAY,
        [
            ("August 1-5", "2021-08-01", "2021-08-05", "range"),
            ("1-5 August 2020", "2020-08-01", "2020-08-05", "range"),
        ],
    ),
    (
        "Paratroopers will jump from 12 to 20 September over the steppe.",
        FRIDAY,
        [("from 12 to 20 September", "2021-09-12", "2021-09-20", "range")],
    ),
    (
        "The winter course will run from December 28 to January 3.",
        date(2021, 12, 20),
        [("from December 28 to January 3", "2021-12-28", "2022-01-03", "range")],
    ),
    (
        "Rotations happened from 2017 to 2019 and again in 2020-2022.",
        FRIDAY,
        [
            ("from 2017 to 2019", "2017", "2019", "range"),
            ("2020-2022", "2020", "2022", "range"),
        ],
    ),
    # start only
    (
        "Pilots have flown joint sorties since Monday.",
        FRIDAY,
        [("since Monday", "2021-09-06", None, "since")],
    ),
    (
        "Patrols were doubled starting from March 3 and as of Friday the border is shut.",
        FRIDAY,
        [
            ("starting from March 3", "2021-03-03", None, "since"),
            ("as of Friday", "2021-09-10", None, "since"),
        ],
    ),
    (
        "The checkpoint stays closed from Monday, officials said.",
        date(2021, 9, 8),
        [("from Monday", "2021-09-06", None, "since")],
    ),
    (
        "Joint patrols have existed since 2017.",
        FRIDAY,
        [("since 2017", "2017", None, "since")],
    ),
    # relative words
    (
        "Tanks arrived yesterday, medics the day before yesterday, engineers today.",
        FRIDAY,
        [
            ("yesterday", "2021-09-09", "2021-09-09", "point"),
            ("the day before yesterday", "2021-09-08", "2021-09-08", "point"),
            ("today", "2021-09-10", "2021-09-10", "point"),
        ],
    ),
    (
        "Cadets left last week and return next month.",
        FRIDAY,
        [
            ("last week", "2021-08-30", "2021-09-05", "range"),
            ("next month", "2021-10", "2021-10", "point"),
        ],
    ),
    (
        "Talks began earlier this month after a visit last year.",
        FRIDAY,
        [
            ("earlier this month", "2021-09", "2021-09", "point"),
            ("last year", "2020", "2020", "point"),
        ],
    ),
    (
        "A second round follows next week and a third next year.",
        FRIDAY,
        [
            ("next week", "2021-09-13", "2021-09-19", "range"),
            ("next year", "2022", "2022", "point"),
        ],
    ),
    (
        "The crews flew home tomorrow September 12 after the parade.",
        date(2021, 9, 11),
        [("tomorrow September 12", "2021-09-12", "2021-09-12", "point")],
    ),
    # months and years
    (
        "The brigade hosted cadets in November 2012, the first group came in 2009.",
        FRIDAY,
        [
            ("November 2012", "2012-11", "2012-11", "point"),
            ("2009", "2009", "2009", "point"),
        ],
    ),
    (
        "The exchange covers students in the 2022 academic year.",
        FRIDAY,
        [("2022", "2022", "2022", "point")],
    ),
    (
        "Surveys took place in mid-June and early July, the report said.",
        FRIDAY,
        [
            ("mid-June", "2021-06", "2021-06", "point"),
            ("early July", "2021-07", "2021-07", "point"),
        ],
    ),
    (
        "Both sides met in June to prepare.",
        FRIDAY,
        [("June", "2021-06", "2021-06", "point")],
    ),
    (
        "Similar drills were held last September.",
        date(2024, 7, 6),
        [("last September", "2023-09", "2023-09", "point")],
    ),
]


@pytest.mark.parametrize(("sentence", "published", "expected"), CASES)
def test_finds_and_resolves(sentence: str, published: date, expected: list[Expected]) -> None:
    assert _found(sentence, published) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Teams rotated in September-October.", [("September-October", "2021-09", "2021-10")]),
        (
            "It began in spring 2022 and 2021-22.",
            [("spring 2022", "2022", "2022"), ("2021-22", "2021", "2022")],
        ),
        (
            "Work resumes in mid-2021 or by the end of June.",
            [("mid-2021", "2021", "2021"), ("the end of June", "2021-06", "2021-06")],
        ),
        (
            "Divers left two days ago, cadets 3 months ago.",
            [("two days ago", "2021-09-08", "2021-09-08"), ("3 months ago", "2021-06", "2021-06")],
        ),
        ("The range reopened MAY 5, 2021.", [("MAY 5, 2021", "2021-05-05", "2021-05-05")]),
        (
            "Medics trained Sept. 6-17, 2021 in the hills.",
            [("Sept. 6-17, 2021", "2021-09-06", "2021-09-17")],
        ),
        ("They met between 3 and 5 June.", [("between 3 and 5 June", "2021-06-03", "2021-06-05")]),
    ],
)
def test_more_forms(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(s.text, s.first, s.last) for s in find_dates(sentence, FRIDAY)] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "In the talks the next year saw progress.",
        "Over the last week the convoy moved slowly.",
        "Su-25 and MiG-29 jets, T-72 tanks and S-400 systems were shown under Article 5.",
        "The 1990s saw 30 international drills with 25,000 personnel and the 3rd Fleet.",
        "Three Brothers-2021 and EFES-2022 drew crowds.",
        "Crews for TurAz Falcon - 2021 and SHAKTI2021 assembled.",
        "Some 2000 troops took part in a ten day-long drill lasting for two weeks.",
        "Eight months after the ceasefire the talks resumed.",
        "It may rain, and the soldiers march at dawn.",
        "The battalion fired 1,500 rounds at a range 3.5 km away.",
    ],
)
def test_ignores_what_is_not_a_date(sentence: str) -> None:
    assert find_dates(sentence, FRIDAY) == []


@pytest.mark.parametrize(
    ("sentence", "published", "first"),
    [
        # future tense: on or after the publication date, across the new year
        ("The exercise will start on January 5.", date(2021, 12, 28), "2022-01-05"),
        # past tense: on or before, even when the other year is nearer
        ("On June 15, the two navies signed a treaty.", date(2022, 1, 21), "2021-06-15"),
        # no tense cue: nearest
        ("Ceremony on January 5.", date(2021, 12, 28), "2022-01-05"),
        ("Ceremony on December 20.", date(2022, 1, 3), "2021-12-20"),
        # a past clause may still name an end date a few days ahead
        ("The units arrived and last until September 17.", FRIDAY, "2021-09-17"),
    ],
)
def test_infers_the_year_from_tense(sentence: str, published: date, first: str) -> None:
    spans = find_dates(sentence, published)
    assert [s.first or s.last for s in spans] == [first]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Marines landed on Saturday.", "2021-09-04"),  # past: the nearest before
        ("Marines will land on Saturday.", "2021-09-11"),  # future: the nearest after
        ("Marines land on Friday.", "2021-09-10"),  # unclear: on or before
        ("The chief said Friday that the fleet will sail.", "2021-09-10"),
        ("They met last Friday.", "2021-09-03"),
        ("They meet next Tuesday.", "2021-09-14"),
        ("Crews are set to fly on Wednesday.", "2021-09-15"),
        ("The drill is to be held Monday.", "2021-09-13"),
    ],
)
def test_resolves_weekdays(sentence: str, expected: str) -> None:
    spans = find_dates(sentence, FRIDAY)
    assert [(s.first, s.relative) for s in spans] == [(expected, True)]


def test_weekday_range_is_relative() -> None:
    spans = find_dates("Classes run from Monday to Wednesday.", date(2021, 9, 8))
    assert [(s.first, s.last, s.role) for s in spans] == [("2021-09-06", "2021-09-08", "range")]


@pytest.mark.parametrize(
    ("sentence", "tense"),
    [
        ("The ministers signed the protocol.", "past"),
        ("Troops will arrive in the port.", "future"),
        ("The navies are set to hold drills.", "future"),
        ("The games are scheduled for autumn.", "future"),
        ("The drills are expected to involve 500 troops.", "future"),
        ("The exercise is being held near the border.", "present"),
        ("Both armies are holding live-fire drills.", "present"),
        ("The training continues in the mountains.", "present"),
        ("The drills are underway.", "present"),
        ("The exercise kicked off in the port.", "past"),
        ("Relations between the countries", "past"),
    ],
)
def test_sentence_tense(sentence: str, tense: str) -> None:
    assert sentence_tense(sentence) == tense


def test_spans_are_ordered_and_disjoint() -> None:
    sentence = "From June 1 to 3, then on June 9, until June 30 and since 2019, yesterday."
    spans = find_dates(sentence, FRIDAY)
    assert len(spans) == 5
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_plain_sentence_takes_the_cheap_path() -> None:
    sentence = "The ministers discussed regional security and the two navies."
    assert date_cues(sentence) == frozenset()
    assert find_dates(sentence, FRIDAY) == []


NEWS_WORDS = st.sampled_from(
    [
        "on",
        "in",
        "from",
        "to",
        "until",
        "since",
        "between",
        "and",
        "the",
        "June",
        "Sept.",
        "7",
        "15th",
        "2021",
        "1999",
        "12",
        "-",
        ",",
        ".",
        "Monday",
        "last",
        "next",
        "this",
        "week",
        "month",
        "year",
        "yesterday",
        "tomorrow",
        "will",
        "held",
        "3/4/2020",
        "15.06.21",
        "of",
        "mid-",
        "early",
        "EFES-2022",
        "May",
        "31",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(max_size=120), st.lists(NEWS_WORDS, max_size=25).map(" ".join)),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
)
def test_any_text_gives_well_formed_spans(sentence: str, published: date) -> None:
    spans = find_dates(sentence, published)
    for span in spans:
        assert sentence[span.start : span.end] == span.text
        assert span.first is not None or span.last is not None
        for value in (span.first, span.last):
            if value is not None:
                date.fromisoformat(value + "-01-01"[len(value) - 4 :])
        if span.first is not None and span.last is not None:
            assert span.first[: len(span.last)] <= span.last
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_day_of_this_month_after_until() -> None:
    spans = find_dates(
        "The exercise opens tomorrow and goes on till the 22nd of this month.", date(2024, 5, 11)
    )
    until = [s for s in spans if s.role == "until"]
    assert until and until[0].last == "2024-05-22"
    nxt = find_dates("Talks resume on the 3rd of next month.", date(2024, 12, 11))
    assert [s.first for s in nxt] == ["2025-01-03"]


def test_cues_name_months_and_weekdays_in_their_own_case() -> None:
    # Lower-case "may" and "march" are ordinary words; ranges need two names.
    assert "month" not in date_cues("Troops may march on 5 sites.")
    assert {"month", "digit", "year"} <= date_cues("Held in June 2021.")
    assert "months" not in date_cues("Held in June 2021.")
    assert "months" in date_cues("From June to AUGUST.")
    assert "weekdays" in date_cues("From Monday to Friday.")
    assert "weekday" not in date_cues("A day of drills.")
    assert "dotted" in date_cues("Signed 15.06.2021.")


def test_a_range_of_months_needs_two_month_names() -> None:
    (span,) = find_dates("The drills ran from June to August 2022.", FRIDAY)
    assert (span.first, span.last) == ("2022-06", "2022-08")
    assert [s.text for s in find_dates("The drills ran in June.", FRIDAY)] == ["June"]


def test_cues_name_a_day_beside_a_month_and_numeric_forms() -> None:
    assert "daymonth" in date_cues("Held on 27 September.")
    assert "daymonth" in date_cues("Held on the 3rd of June.")
    assert "monthday" in date_cues("Held on Sept. 6.")
    assert {"daymonth", "monthday"}.isdisjoint(date_cues("Held in June, 2021."))
    assert {"slash", "isodash"} <= date_cues("Filed 06/05/2021 and 2022-03-04.")


def test_two_expressions_joined_by_a_dash_or_to_are_one_range() -> None:
    published = date(2021, 6, 18)
    (span,) = find_dates("In late May-early June, the units trained together.", published)
    assert (span.text, span.first, span.last, span.role) == (
        "late May-early June",
        "2021-05",
        "2021-06",
        "range",
    )
    (span,) = find_dates("The drills ran from May 3 to June 9.", published)
    assert (span.first, span.last, span.role) == ("2021-05-03", "2021-06-09", "range")
    apart = find_dates("They met on May 3 and again on June 9.", published)
    assert [s.role for s in apart] == ["point", "point"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("In April last year the corvette was handed over.", ("April last year", "2023-04")),
        ("They agreed on 9 May next year as the date.", ("9 May next year", "2025-05-09")),
        ("The course ends in October of this year.", ("October of this year", "2024-10")),
    ],
)
def test_a_month_of_last_this_or_next_year(sentence: str, expected: tuple[str, str]) -> None:
    found = find_dates(sentence, date(2024, 6, 12))
    assert [(d.text, d.first) for d in found] == [expected]


@pytest.mark.parametrize(
    ("sentence", "published", "year"),
    [
        ("The frigate was handed over last autumn.", date(2024, 3, 2), "2023"),
        ("The frigate was handed over last autumn.", date(2024, 12, 2), "2024"),
        ("More jets are due this summer.", date(2024, 3, 2), "2024"),
        ("In spring, the two chiefs met in Lima.", date(2024, 2, 9), "2023"),
        ("The drills will be held in the autumn.", date(2024, 12, 20), "2025"),
        ("Talks resume next spring.", date(2024, 5, 1), "2025"),
    ],
)
def test_a_season_without_its_year_gives_the_year(
    sentence: str, published: date, year: str
) -> None:
    found = find_dates(sentence, published)
    assert [(d.first, d.last) for d in found] == [(year, year)]


def test_a_season_is_no_date_when_its_year_is_unsure_or_it_is_a_verb() -> None:
    assert find_dates("Last winter the unit trained in the north.", date(2024, 1, 9)) == []
    assert find_dates("Prices may fall sharply this week.", date(2024, 1, 9))[0].text == (
        "this week"
    )


def test_an_infinitive_of_duration_looks_ahead() -> None:
    found = find_dates("The navy launched a programme to run through June.", date(2024, 3, 10))
    assert [(d.last, d.role) for d in found] == [("2024-06", "until")]
    done = find_dates("The drills continued to run through June.", date(2024, 3, 10))
    assert [d.last for d in done] == ["2023-06"]
