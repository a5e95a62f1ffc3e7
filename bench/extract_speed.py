"""Extraction speed against spaCy's bare English tokenizer, on one core, over a streamed corpus.

    python bench/extract_speed.py [--reports N]

The corpus is N reports (default 2,000) cycling over the shared dev reports
(../shared/corpus/dev, when present) and samples/. Reports are streamed: each
cycle re-reads the files and gives the reports fresh ids, so memory holds one
report at a time, never the corpus. Three passes run in one process:

1. the baseline, `spacy.blank("en").tokenizer` over every text;
2. defcoop, `Extractor.from_package().extract(report)` over every report;
3. the same defcoop pass under tracemalloc, reporting the peak after N/4 and
   after N reports: equal peaks show memory does not grow with the corpus.

Then the long-report case: the reports joined into one text of `--long-bytes`
(default 2 MB, under the input size limit) extracted as one report, against the
same text cut back into its ordinary reports; `long-report ratio` is the time
of the pieces over the time of the whole (1.0: extraction is linear in length).

Only the tokenizer or extractor call is timed, not reading. Words are
whitespace-separated tokens. The last line is `ratio R`, defcoop words/s
divided by tokenizer words/s.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import spacy
from rich.console import Console
from rich.progress import track

from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions, read_inputs
from defcoop.pipeline import Extractor
from defcoop.records import Report
from defcoop.settings import max_bytes

ROOT = Path(__file__).resolve().parents[1]
DEV_DIR = ROOT / ".." / "shared" / "corpus" / "dev"
SAMPLES_DIR = ROOT / "samples"
REPORT_SUFFIXES = (".json", ".txt", ".html")


@dataclass(frozen=True)
class PassResult:
    """How long one pass spent in its work function, over how many reports and words."""

    name: str
    reports: int
    words: int
    seconds: float

    @property
    def reports_per_second(self) -> float:
        """Reports processed per second of work."""
        return self.reports / self.seconds if self.seconds else 0.0

    @property
    def words_per_second(self) -> float:
        """Whitespace-separated words processed per second of work."""
        return self.words / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        """One line of the report."""
        return (
            f"{self.name:<10} {self.reports} reports  {self.words} words  {self.seconds:.2f} s  "
            f"{self.reports_per_second:,.1f} reports/s  {self.words_per_second:,.0f} words/s"
        )


def corpus_files(dev_dir: Path, samples_dir: Path) -> list[Path]:
    """The report files to cycle over: the dev reports where present, and the samples."""
    dev = sorted(dev_dir.glob("*.json")) if dev_dir.is_dir() else []
    samples = sorted(p for p in samples_dir.iterdir() if p.suffix in REPORT_SUFFIXES)
    return dev + samples


def stream_reports(files: list[Path], count: int, options: ReadOptions) -> Iterator[Report]:
    """`count` reports, cycling over `files` and re-reading them, with an id unique per cycle."""
    produced = 0
    for cycle in itertools.count():
        read_any = False
        for item in read_inputs(files, options):
            if isinstance(item, InputError):
                continue
            read_any = True
            yield replace(item, id=f"{item.id}#{cycle}")
            produced += 1
            if produced == count:
                return
        if not read_any:
            raise SystemExit(f"no readable report among {len(files)} files")


def timed_pass(
    name: str, reports: Iterable[Report], work: Callable[[Report], object], total: int
) -> PassResult:
    """Run `work` on every report, timing only the calls to it."""
    count = words = 0
    seconds = 0.0
    console = Console(stderr=True)
    shown = track(
        reports,
        description=name,
        total=total,
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    for report in shown:
        began = time.perf_counter()
        work(report)
        seconds += time.perf_counter() - began
        count += 1
        words += len(report.text.split())
    return PassResult(name, count, words, seconds)


def traced_peaks(
    reports: Iterable[Report], work: Callable[[Report], object], checkpoint: int
) -> tuple[int, int]:
    """Peak traced memory (bytes) after `checkpoint` reports and after all of them."""
    at_checkpoint = 0
    tracemalloc.start()
    try:
        for done, report in enumerate(reports, start=1):
            work(report)
            if done == checkpoint:
                at_checkpoint = tracemalloc.get_traced_memory()[1]
        return at_checkpoint, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def max_rss_mib() -> float:
    """Largest resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def long_report_ratio(
    files: list[Path], options: ReadOptions, extractor: Extractor, size: int
) -> tuple[int, float, float]:
    """(pieces, seconds for the pieces, seconds for the one long report) of `size` bytes."""
    pieces: list[Report] = []
    total = 0
    for report in stream_reports(files, 10**9, options):
        pieces.append(report)
        total += len(report.text.encode("utf-8")) + 2
        if total >= size:
            break
    whole = Report(
        id="long", text="\n\n".join(p.text for p in pieces), published=pieces[0].published
    )
    began = time.perf_counter()
    for piece in pieces:
        extractor.extract(piece)
    cut = time.perf_counter() - began
    began = time.perf_counter()
    extractor.extract(whole)
    return len(pieces), cut, time.perf_counter() - began


def format_ratio(ratio: float) -> str:
    """Two decimals, or two significant digits when the ratio is below 0.01."""
    return f"{ratio:.2f}" if ratio >= 0.01 else f"{ratio:.2g}"


def main(argv: list[str] | None = None) -> int:
    """Run the three passes and print the comparison, ending with `ratio R`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000, help="reports in the corpus")
    parser.add_argument("--rounds", type=int, default=3, help="alternated rounds of each pass")
    parser.add_argument(
        "--long-bytes", type=int, default=2_000_000, help="size of the one long report"
    )
    args = parser.parse_args(argv)
    if args.reports < 4:
        parser.error("--reports must be at least 4")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if hasattr(os, "sched_setaffinity"):
        # One core, so that the figure compares like with like on any machine.
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    files = corpus_files(DEV_DIR, SAMPLES_DIR)
    options = ReadOptions(published=None, max_bytes=max_bytes())
    n = args.reports
    dev_count = sum(1 for f in files if f.parent.resolve() == DEV_DIR.resolve())
    print(f"corpus: {n} reports cycling over {len(files)} files ({dev_count} dev, rest samples)")
    rss_before = max_rss_mib()

    tokenizer = spacy.blank("en").tokenizer

    def tokenize(report: Report) -> object:
        """The baseline's work: tokenize the text, nothing else."""
        return tokenizer(report.text)

    extractor = Extractor.from_package()
    # Alternate the two passes and keep each one's best round: on a shared machine a
    # neighbour's burst then slows both alike instead of one of them.
    baselines, runs = [], []
    for _ in range(args.rounds):
        baselines.append(timed_pass("tokenizer", stream_reports(files, n, options), tokenize, n))
        runs.append(timed_pass("defcoop", stream_reports(files, n, options), extractor.extract, n))
    baseline = max(baselines, key=lambda p: p.words_per_second)
    defcoop = max(runs, key=lambda p: p.words_per_second)
    print(baseline.line())
    print(defcoop.line())

    quarter, full = traced_peaks(stream_reports(files, n, options), extractor.extract, n // 4)
    print(
        f"defcoop traced peak: {quarter / 2**20:.1f} MiB after {n // 4} reports, "
        f"{full / 2**20:.1f} MiB after {n} reports"
    )
    print(f"max RSS: {rss_before:.0f} MiB before the passes, {max_rss_mib():.0f} MiB after")
    pieces, cut, whole = long_report_ratio(files, options, extractor, args.long_bytes)
    print(
        f"long report: {args.long_bytes / 1e6:.1f} MB as one report {whole:.2f} s, "
        f"as {pieces} reports {cut:.2f} s"
    )
    print(f"long-report ratio {format_ratio(cut / whole)}")
    ratio = defcoop.words_per_second / baseline.words_per_second
    print(f"ratio {format_ratio(ratio)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
