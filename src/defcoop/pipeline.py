"""The extraction of one report, and of many: a pure function of text, date and gazetteers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from defcoop.errors import InputError, SettingError
from defcoop.extract.batches import split_batches
from defcoop.extract.context import ReportContext, main_countries
from defcoop.extract.facts import SentenceFacts, SentenceReader
from defcoop.extract.fields import build_mention
from defcoop.extract.grouping import group_sentences, is_event
from defcoop.extract.itineraries import split_tour
from defcoop.extract.occasions import join_meetings, share_sites, share_visit
from defcoop.extract.topic import about_defence, report_is_defence
from defcoop.ingest.readers import ReadOptions, read_inputs
from defcoop.iso_dates import DAY_FORMAT, parse_day
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer
from defcoop.nlp.sentences import split_sentences
from defcoop.records import Extraction, Mention, Report, Sentence, SkippedRecords
from defcoop.resolve.event_ids import with_event_id

# A dateline some sources put at the top of the text: " date 2022-01-21 By Azernews".
_LEAD_SENTENCES = 3
_DATELINE = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*")


# A page's keyword list, left in the text by the page's extraction: "TAGS" on a line of
# its own with the keywords on the next, or "Tags: ..." on one line.
_TAGS = re.compile(r"^(?:tags|topics|keywords|related tags)\s*:?\s*$", re.I)
_TAGGED = re.compile(r"^(?:tags|topics|keywords)\s*:", re.I)


def _skip_dateline(sentence: Sentence) -> Sentence:
    """The sentence without a leading dateline, offsets kept true to the report."""
    match = _DATELINE.match(sentence.text)
    if not match:
        return sentence
    cut = match.end()
    return replace(sentence, start=sentence.start + cut, text=sentence.text[cut:])


def _is_cooperation(mention: Mention, alliances: frozenset[str]) -> bool:
    """Whether a mention is cooperation rather than one country's own activity.

    A drill told with one country and no name ("the army kicks off a drill") is
    domestic; an alliance's drills are multinational by themselves; a transfer,
    agreement or meeting with one partner found is kept, its other side left for an
    analyst to see.
    """
    if not mention.participants:
        return False
    alone = len(mention.participants) == 1 and mention.participants[0] not in alliances
    domestic = alone and mention.name is None
    return not (domestic and mention.type == "exercise")


class Extractor:
    """Holds the loaded lexicons and gazetteers; extracts the mentions of reports."""

    def __init__(self, actors: ActorLexicon, places: Gazetteer) -> None:
        self.reader = SentenceReader(actors, places)

    @classmethod
    def from_package(cls) -> Extractor:
        """An extractor with the lexicons and gazetteers shipped in the package."""
        return cls(ActorLexicon.from_package(), Gazetteer.from_package())

    def extract(self, report: Report) -> Extraction:
        """The mentions of events in one report, each with its evidence sentences."""
        candidates = []
        tags_of: int | None = None  # the paragraph a "TAGS" heading introduces
        for index, sentence in enumerate(split_sentences(report.text)):
            if _TAGS.match(sentence.text):
                tags_of = sentence.paragraph + 1
                continue
            if sentence.paragraph == tags_of or _TAGGED.match(sentence.text):
                continue  # a page's list of tags: keywords, not sentences of the report
            sentence = _skip_dateline(sentence)
            if "\n" in sentence.text:
                # A sentence broken over lines reads as one line (same offsets).
                sentence = replace(sentence, text=sentence.text.replace("\n", " "))
            if sentence.text and self.reader.is_candidate(sentence):
                candidates.append((index, sentence, self.reader.scan(sentence)))
        # The countries the whole report names decide between towns of one name.
        near = frozenset(hit.code for _, _, scan in candidates for hit in scan.actors)
        facts: list[SentenceFacts] = [
            self.reader.read(index, sentence, report.published, scan, near)
            for index, sentence, scan in candidates
        ]
        # The lead: the first few sentences that say anything about events.
        lead_end = facts[min(len(facts), _LEAD_SENTENCES) - 1].index if facts else 0
        drafts = [d for d in group_sentences(facts, report.published, lead_end) if is_event(d)]
        context = ReportContext(
            doc=report.id,
            published=report.published,
            main_countries=main_countries(facts),
            lead_end=lead_end,
            text=report.text,
            place_lookup=self.reader.places.lookup,
        )
        mentions = share_visit(
            share_sites(
                join_meetings(
                    [
                        one
                        for d in drafts
                        for split in split_tour(
                            build_mention(d, context),
                            d.opener or d.sentences[0],
                            context.main_countries,
                            d.places,
                        )
                        for one in split_batches(split, d.opener or d.sentences[0])
                    ]
                )
            )
        )
        alliances = self.reader.actors.alliances
        cooperation = [m for m in mentions if _is_cooperation(m, alliances)]
        military = [about_defence(m, False) for m in cooperation]  # its own sentences say so
        # The whole report is read only for an event whose own sentences do not say so.
        defence = not all(military) and report_is_defence(report.text)
        kept = tuple(m for m, own in zip(cooperation, military, strict=True) if own or defence)
        return Extraction(report=report, mentions=kept)

    def extract_all(self, reports: Iterable[Report]) -> Iterator[Extraction]:
        """Extract reports one at a time, as they stream in."""
        for report in reports:
            yield self.extract(report)


def extract(text: str, published: date | str, *, doc: str = "report") -> list[Mention]:
    """The mentions of events in a text published on `published` (the Python API).

    `published` is a `date` or its ISO form, "2023-06-07"; another value is a
    SettingError naming it.
    """
    if isinstance(published, str):
        day = parse_day(published)
        if day is None:
            raise SettingError(f"published: {published!r} is not a date ({DAY_FORMAT})")
        published = day
    elif not isinstance(published, date):
        raise SettingError(f"published: {published!r} is not a date or a YYYY-MM-DD string")
    report = Report(id=doc, text=text, published=published)
    return [with_event_id(m) for m in Extractor.from_package().extract(report).mentions]


@dataclass
class RunSummary:
    """Counts of a run over many inputs, for the closing line."""

    reports: int = 0
    mentions: int = 0
    errors: int = 0
    skipped: int = 0  # already in the store
    left_out: int = 0  # records holding no report (WARC requests, images), counted
    seconds: float = 0.0

    def line(self) -> str:
        """A one-line summary: counts, errors and time."""
        parts = [f"{self.reports} reports", f"{self.mentions} mentions"]
        if self.skipped:
            parts.append(f"{self.skipped} already stored")
        if self.left_out:
            parts.append(f"{self.left_out} records without a report left out")
        parts.append(f"{self.errors} error" + ("" if self.errors == 1 else "s"))
        parts.append(f"{self.seconds:.1f} s")
        return ", ".join(parts)


def run_paths(
    paths: Iterable[Path], options: ReadOptions, extractor: Extractor
) -> Iterator[Extraction | InputError | SkippedRecords]:
    """Read and extract every report under the paths, yielding errors in place of bad ones.

    Each mention carries a provisional event id of its own; linking mentions
    across reports is the resolution stage's work (`resolve.clusters` for a
    stateless run, the store for an ingest).
    """
    for item in read_inputs(paths, options):
        if not isinstance(item, Report):
            yield item
            continue
        extraction = extractor.extract(item)
        mentions = tuple(with_event_id(m) for m in extraction.mentions)
        yield replace(extraction, mentions=mentions)
