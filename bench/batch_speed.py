"""Reports/s of `defcoop batch` on two Dask workers against one process, on the same shards.

    python bench/batch_speed.py [--shards 8] [--reports-per-shard 250] [--workers 2]

The shards are JSON Lines files written to a temporary directory, cycling over
the shared dev reports (../shared/corpus/dev, when present) and samples/, each
report with a fresh id per cycle. Two passes run in one process:

1. single: `read_inputs` + `Extractor.extract` over the shards, in this process;
2. batch: `run_batch` over the same shards on a LocalCluster of `--workers`
   single-threaded worker processes, writing Parquet.

Not timed: building the extractor in (1); starting the cluster and loading each
worker's extractor in (2) (a warm-up task on every worker). Timed: reading and
extraction in (1); reading, extraction, Parquet writing and the scheduling of
(2). The passes alternate for `--rounds` rounds (the machine's load changes under
them) and the best rate of each is kept. The last line is `ratio R`, batch
reports/s divided by single reports/s.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from distributed import Client

from defcoop.batch.run import local_cluster, run_batch
from defcoop.batch.shards import plan_shards
from defcoop.batch.task import warm_worker
from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions, read_inputs
from defcoop.pipeline import Extractor
from defcoop.records import Report

ROOT = Path(__file__).resolve().parents[1]
DEV_DIR = ROOT / ".." / "shared" / "corpus" / "dev"
SAMPLES_DIR = ROOT / "samples"
REPORT_SUFFIXES = (".json", ".txt", ".html")


def corpus_reports(options: ReadOptions) -> list[Report]:
    """The reports to cycle over: the dev reports where present, and the samples."""
    dev = sorted(DEV_DIR.glob("*.json")) if DEV_DIR.is_dir() else []
    samples = sorted(p for p in SAMPLES_DIR.iterdir() if p.suffix in REPORT_SUFFIXES)
    found = [r for r in read_inputs(dev + samples, options) if isinstance(r, Report)]
    if not found:
        raise SystemExit("no readable report in ../shared/corpus/dev nor samples/")
    print(f"corpus: {len(found)} reports ({len(dev)} dev files, {len(samples)} sample files)")
    return found


def write_shards(base: list[Report], directory: Path, shards: int, per_shard: int) -> list[Path]:
    """`shards` JSON Lines files of `per_shard` reports each, cycling over `base`."""
    cycle = itertools.cycle(enumerate(base))
    paths = []
    for index in range(shards):
        path = directory / f"shard-{index:03d}.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            for n in range(per_shard):
                position, report = next(cycle)
                record = {
                    "id": f"{report.id}#{index}-{n}-{position}",
                    "published": report.published.isoformat(),
                    "text": report.text,
                    "source": report.source,
                    "url": report.url,
                    "title": report.title,
                }
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def single_pass(paths: list[Path], options: ReadOptions) -> tuple[int, float]:
    """Reports read and extracted in this process, and the seconds it took."""
    extractor = Extractor.from_package()
    began = time.perf_counter()
    count = 0
    for item in read_inputs(paths, options):
        if isinstance(item, InputError):
            continue
        extractor.extract(item)
        count += 1
    return count, time.perf_counter() - began


def batch_pass(
    paths: list[Path], out: Path, options: ReadOptions, workers: int
) -> tuple[int, float]:
    """Reports run through `run_batch` on a local cluster, and the seconds it took."""
    with local_cluster(workers) as cluster, Client(cluster) as client:
        client.run(warm_worker)
        began = time.perf_counter()
        summary = run_batch(plan_shards(paths), out, options, client)
        seconds = time.perf_counter() - began
    if summary.failures or summary.shards_done != len(paths):
        raise SystemExit(f"batch failed: {summary.line()}")
    return summary.reports, seconds


def _spin(loops: int) -> float:
    """Seconds a pure-Python loop takes in this process."""
    began = time.perf_counter()
    total = 0
    for i in range(loops):
        total += i
    return time.perf_counter() - began


def parallel_capacity(workers: int, loops: int = 10_000_000) -> float:
    """How many loops' worth of CPU `workers` processes get at once, relative to one process.

    2.0 on two free cores; near 1.0 when the cores are shared or busy, which caps the ratio.
    """
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_spin, [loops // 10] * workers))  # start the processes first
        one = pool.submit(_spin, loops).result()
        began = time.perf_counter()
        list(pool.map(_spin, [loops] * workers))
        together = time.perf_counter() - began
    return workers * one / together


def main(argv: list[str] | None = None) -> int:
    """Build the shards, time both passes, print reports/s and `ratio R` last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--reports-per-shard", type=int, default=250)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="alternated rounds; best kept")
    args = parser.parse_args(argv)
    options = ReadOptions()
    base = corpus_reports(options)
    capacity = parallel_capacity(args.workers)
    print(f"cpu: {args.workers} processes of a pure-Python loop get {capacity:.2f}x one process")
    single_rate = batch_rate = 0.0
    with tempfile.TemporaryDirectory(prefix="defcoop-bench-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        paths = write_shards(base, root / "in", args.shards, args.reports_per_shard)
        print(f"shards: {args.shards} x {args.reports_per_shard} reports, {args.rounds} rounds")
        for round_ in range(args.rounds):
            reports, seconds = single_pass(paths, options)
            single_rate = max(single_rate, reports / seconds)
            print(f"single {reports} reports  {seconds:.2f} s  {reports / seconds:,.1f} reports/s")
            out = root / f"out-{round_}"
            reports, seconds = batch_pass(paths, out, options, args.workers)
            batch_rate = max(batch_rate, reports / seconds)
            print(f"batch  {reports} reports  {seconds:.2f} s  {reports / seconds:,.1f} reports/s")
    print(
        f"best: single {single_rate:,.1f} reports/s, batch {batch_rate:,.1f} reports/s "
        f"({args.workers} workers; cluster start-up and worker lexicon loading not timed)"
    )
    print(f"ratio {batch_rate / single_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
