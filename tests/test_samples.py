"""The bundled sample reports: well formed, original, and extracted as a careful reader codes them.

The first tests check the files themselves. The rest run the real reader and
extractor over `samples/` and compare with the events written down below:
per report the set of event types, and for each event the participants a
careful reader would code. A table of precise fields (dates, status, country,
name) follows, including the hard ones: "ended on Sunday", "in the 2022
academic year", "last week", a range that resolves to a country.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from defcoop.ingest.dateline import split_dateline
from defcoop.records import EVENT_TYPES, Extraction, Mention, Report

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT / ".." / "shared"
REPORT_SUFFIXES = (".json", ".txt", ".html")

# The sample reports, by id (the file stem).
STEPPE_BEGINS = "central-asia-defence-wire-2023-09-08-steppe-shield-2023-begins"
STEPPE_ENDS = "central-asia-defence-wire-2023-09-18-steppe-shield-2023-ends"
RIVER_CROSSING = "baltic-security-monitor-2022-08-08-river-crossing-drills"
POSEIDON_GATE = "mediterranean-naval-bulletin-2022-11-16-poseidon-gate"
DESERT_ATLAS = "maghreb-defence-post-2024-02-05-desert-atlas-vii"
COMMANDO_COURSE = "highland-defence-journal-2021-08-02-mountain-commando-course"
CADETS = "asia-cadet-news-2021-12-15-mongolian-cadets-india"
DECLARATION = "baltic-security-monitor-2021-09-29-vilnius-declaration"
TALKS_TXT = "example-wire-2023-03-15-ankara-baku-defence-talks"
RADAR = "pacific-defence-wire-2023-11-20-radar-delivery-philippines"
CAUCASUS_BRIDGE = "caucasus-security-review-2021-06-17-caucasus-bridge-2021"
VEHICLES_HTML = "south-america-defence-desk-2024-04-18-brazil-paraguay-vehicles"
NO_EVENT = "andes-security-forum-2022-05-10-chile-peru-ties"

BACKGROUND_REPORTS = (
    STEPPE_BEGINS,
    STEPPE_ENDS,
)

# Each date form the resolver must handle, and each kind of name, place and actor:
# the samples are the project's own examples of all of them.
REQUIRED_PHRASES = (
    "On September 6",
    "until September 17",
    "from August 1 to 5",
    "on Monday",
    "yesterday",
    "last week",
    "in the 2022 academic year",
    "September 27, 2021",
    "15.06.21",
    "from June 20 to July 28",
    "Steppe Shield-2023",
    'dubbed "Poseidon Gate"',
    "DESERT ATLAS-VII",
    "Vilnius Declaration on Baltic Air Defence Cooperation",
    "27th Term Mountain Commando Course",
    "Zhambyl region",
    "Gardabani district",
    "Mediterranean Sea",
    "Atlas Mountains",
    "Ankara and Baku agreed",
    "NATO",
)


@dataclass(frozen=True)
class Expected:
    """One event a careful reader codes from a sample: its type and key participants."""

    type: str
    participants: frozenset[str]


def expect(type_: str, *participants: str) -> Expected:
    """An expected event of `type_` with these participant codes."""
    return Expected(type_, frozenset(participants))


EXPECTED: dict[str, tuple[Expected, ...]] = {
    STEPPE_BEGINS: (expect("exercise", "KAZ", "UZB"),),
    STEPPE_ENDS: (
        expect("exercise", "KAZ", "UZB"),
        expect("meeting", "KAZ", "UZB"),
    ),
    RIVER_CROSSING: (expect("exercise", "LTU", "POL"),),
    POSEIDON_GATE: (expect("exercise", "EGY", "GRC"),),
    DESERT_ATLAS: (expect("exercise", "FRA", "MAR"),),
    COMMANDO_COURSE: (expect("training", "KAZ", "KGZ", "TJK"),),
    CADETS: (expect("training", "IND", "MNG"),),
    DECLARATION: (expect("agreement", "EST", "LTU", "LVA"),),
    TALKS_TXT: (expect("meeting", "AZE", "TUR"),),
    RADAR: (expect("transfer", "JPN", "PHL"),),
    CAUCASUS_BRIDGE: (expect("exercise", "GEO", "NATO", "POL", "ROU", "USA"),),
    VEHICLES_HTML: (
        expect("transfer", "BRA", "PRY"),
        expect("training", "BRA", "PRY"),
    ),
    # Analysts' comments on relations: no event at all.
    NO_EVENT: (),
}


# (report, event type, field, value a careful reader codes). Dates are resolved
# against the publication date; status is relative to it.
PRECISE = [
    (STEPPE_BEGINS, "exercise", "start", "2023-09-06"),
    (STEPPE_BEGINS, "exercise", "end", "2023-09-17"),
    (STEPPE_BEGINS, "exercise", "status", "ongoing"),
    (STEPPE_BEGINS, "exercise", "name", "Steppe Shield-2023"),
    (STEPPE_BEGINS, "exercise", "country", "KAZ"),
    (STEPPE_ENDS, "exercise", "status", "completed"),
    (STEPPE_ENDS, "exercise", "end", "2023-09-17"),
    (RIVER_CROSSING, "exercise", "start", "2022-08-01"),
    (RIVER_CROSSING, "exercise", "end", "2022-08-05"),
    (RIVER_CROSSING, "exercise", "status", "completed"),
    (RIVER_CROSSING, "exercise", "country", "LTU"),
    (POSEIDON_GATE, "exercise", "start", "2022-11-14"),
    (POSEIDON_GATE, "exercise", "status", "ongoing"),
    (POSEIDON_GATE, "exercise", "name", "Poseidon Gate"),
    (DESERT_ATLAS, "exercise", "start", "2024-02-26"),
    (DESERT_ATLAS, "exercise", "end", "2024-03-08"),
    (DESERT_ATLAS, "exercise", "status", "planned"),
    (DESERT_ATLAS, "exercise", "name", "DESERT ATLAS-VII"),
    (DESERT_ATLAS, "exercise", "country", "MAR"),
    (COMMANDO_COURSE, "training", "start", "2021-06-20"),
    (COMMANDO_COURSE, "training", "end", "2021-07-28"),
    (COMMANDO_COURSE, "training", "status", "completed"),
    (COMMANDO_COURSE, "training", "country", "KAZ"),
    (COMMANDO_COURSE, "training", "name", "27th Term Mountain Commando Course"),
    (CADETS, "training", "start", "2022"),
    (CADETS, "training", "status", "planned"),
    (CADETS, "training", "country", "IND"),
    (DECLARATION, "agreement", "start", "2021-09-27"),
    (DECLARATION, "agreement", "status", "completed"),
    (DECLARATION, "agreement", "country", "LTU"),
    (DECLARATION, "agreement", "name", "Vilnius Declaration on Baltic Air Defence Cooperation"),
    (TALKS_TXT, "meeting", "start", "2023-03-14"),
    (TALKS_TXT, "meeting", "status", "completed"),
    (TALKS_TXT, "meeting", "country", "TUR"),
    (RADAR, "transfer", "start", "2023-11"),
    (RADAR, "transfer", "status", "completed"),
    (RADAR, "transfer", "country", "PHL"),
    (CAUCASUS_BRIDGE, "exercise", "start", "2021-06-15"),
    (CAUCASUS_BRIDGE, "exercise", "status", "ongoing"),
    (CAUCASUS_BRIDGE, "exercise", "country", "GEO"),
    (VEHICLES_HTML, "transfer", "start", "2024-04-16"),
    (VEHICLES_HTML, "transfer", "status", "completed"),
    (VEHICLES_HTML, "transfer", "country", "PRY"),
    (VEHICLES_HTML, "training", "status", "planned"),
    (VEHICLES_HTML, "training", "country", "BRA"),
]


def sample_paths() -> list[Path]:
    """The report files in samples/, in name order."""
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in REPORT_SUFFIXES)


def sample_texts() -> dict[str, str]:
    """The text of every sample by file stem: a JSON report's `text`, else the whole file."""
    out = {}
    for path in sample_paths():
        raw = path.read_text(encoding="utf-8")
        out[path.stem] = json.loads(raw)["text"] if path.suffix == ".json" else raw
    return out


def field_value(mention: Mention, field: str) -> str | None:
    """The value of one precise field of a mention; `country` is the location's country."""
    if field == "country":
        return mention.location.country if mention.location else None
    value = getattr(mention, field)
    return None if value is None else str(value)


def best_mention(mentions: tuple[Mention, ...], expected: Expected) -> Mention | None:
    """The mention of the expected type sharing the most participants with it."""
    candidates = [m for m in mentions if m.type == expected.type]
    if not candidates:
        return None
    return max(candidates, key=lambda m: len(expected.participants & set(m.participants)))


# --- the files themselves -------------------------------------------------------------


def test_every_sample_has_expected_events() -> None:
    assert {p.stem for p in sample_paths()} == set(EXPECTED)
    assert len(EXPECTED) >= 10


def test_json_samples_are_well_formed() -> None:
    for path in SAMPLES.glob("*.json"):
        report = json.loads(path.read_text(encoding="utf-8"))
        assert report["id"] == path.stem, path.name
        assert set(report) <= {"id", "published", "source", "url", "title", "text"}, path.name
        date.fromisoformat(report["published"])
        assert report["source"] and report["title"] and report["text"].strip(), path.name


def test_text_sample_starts_with_a_dateline() -> None:
    (path,) = SAMPLES.glob("*.txt")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(" date 2023-03-15 By Example Wire\n")
    dateline = split_dateline(text)
    assert (dateline.published, dateline.source) == (date(2023, 3, 15), "Example Wire")


def test_html_sample_is_an_article_page_with_boilerplate() -> None:
    (path,) = SAMPLES.glob("*.html")
    page = path.read_text(encoding="utf-8")
    for part in (
        "<title>",
        '<meta name="date" content="2024-04-18">',
        "<time datetime=",
        "<article>",
    ):
        assert part in page, part
    for boilerplate in ("<nav>", "<footer>"):
        assert boilerplate in page, boilerplate
    assert page.count("<p>") >= 3


def test_samples_cover_every_event_type() -> None:
    found = {e.type for events in EXPECTED.values() for e in events}
    assert found == set(EVENT_TYPES)


@pytest.mark.parametrize("phrase", REQUIRED_PHRASES)
def test_samples_contain_each_required_form(phrase: str) -> None:
    assert any(phrase in text for text in sample_texts().values()), phrase


def background_paragraph() -> str:
    """The one paragraph that both Steppe Shield-2023 reports carry word for word."""
    texts = [sample_texts()[doc] for doc in BACKGROUND_REPORTS]
    first, second = ({p for p in text.split("\n\n") if p.strip()} for text in texts)
    (paragraph,) = first & second
    return paragraph


def test_background_paragraph_is_repeated_verbatim() -> None:
    assert len(background_paragraph().split()) >= 20


def shingles(text: str, size: int) -> set[tuple[str, ...]]:
    """Every run of `size` consecutive lower-cased words in `text`."""
    words = re.findall(r"[\w']+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_samples_share_no_sentence_with_the_dev_corpus() -> None:
    dev = SHARED / "corpus" / "dev"
    if not dev.is_dir():
        pytest.skip(f"shared corpus not found at {dev}")
    dev_shingles: set[tuple[str, ...]] = set()
    for path in dev.glob("*.json"):
        dev_shingles |= shingles(json.loads(path.read_text(encoding="utf-8"))["text"], 8)
    for name, text in sample_texts().items():
        assert not shingles(text, 8) & dev_shingles, name


# --- the real reader and extractor ----------------------------------------------------


@pytest.fixture(scope="module")
def extractions() -> dict[str, Extraction]:
    """Every sample read by the project's readers and extracted, by report id."""
    # Imported here so that the file checks above run even where the pipeline cannot load.
    from defcoop import pipeline
    from defcoop.ingest import readers
    from defcoop.settings import max_bytes

    extractor = pipeline.Extractor.from_package()
    options = readers.ReadOptions(published=None, max_bytes=max_bytes())
    out: dict[str, Extraction] = {}
    for item in readers.read_inputs(sample_paths(), options):
        assert isinstance(item, Report), f"sample not read: {item}"
        out[item.id] = extractor.extract(item)
    return out


def test_samples_read_with_their_ids_and_dates(extractions: dict[str, Extraction]) -> None:
    assert set(extractions) == set(EXPECTED)
    txt = extractions[TALKS_TXT].report
    assert txt.published == date(2023, 3, 15)
    assert not txt.text.startswith(" date")
    html = extractions[VEHICLES_HTML].report
    assert html.published == date(2024, 4, 18)
    assert "All rights reserved" not in html.text
    assert "Subscribe" not in html.text


@pytest.mark.parametrize("doc", sorted(EXPECTED))
def test_sample_event_types(extractions: dict[str, Extraction], doc: str) -> None:
    found = sorted(m.type for m in extractions[doc].mentions)
    assert found == sorted(e.type for e in EXPECTED[doc])


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        pytest.param(doc, e, id=f"{doc}-{e.type}")
        for doc, events in sorted(EXPECTED.items())
        for e in events
    ],
)
def test_sample_key_participants(
    extractions: dict[str, Extraction], doc: str, expected: Expected
) -> None:
    mention = best_mention(extractions[doc].mentions, expected)
    assert mention is not None, f"no {expected.type} found in {doc}"
    assert set(mention.participants) == expected.participants


@pytest.mark.parametrize(("doc", "type_", "field", "value"), PRECISE)
def test_sample_precise_field(
    extractions: dict[str, Extraction], doc: str, type_: str, field: str, value: str
) -> None:
    (expected,) = [e for e in EXPECTED[doc] if e.type == type_]
    mention = best_mention(extractions[doc].mentions, expected)
    assert mention is not None, f"no {type_} found in {doc}"
    got = field_value(mention, field)
    if field == "name":
        # Spacing and case around the name vary ("Steppe Shield - 2023"); the words may not.
        assert (
            got is not None and re.sub(r"\W", "", got).lower() == re.sub(r"\W", "", value).lower()
        )
    else:
        assert got == value, f"{doc}: {type_} {field} should be {value}, got {got}"


def test_background_paragraph_adds_no_event(extractions: dict[str, Extraction]) -> None:
    paragraph = background_paragraph()
    for doc in BACKGROUND_REPORTS:
        start = extractions[doc].report.text.find(paragraph)
        assert start > 0, f"background paragraph not kept verbatim in {doc}"
        for mention in extractions[doc].mentions:
            assert all(ev.end <= start for ev in mention.evidence), (doc, mention.type)
