"""Score extracted events against the gold reports and fail when a score drops below its floor.

    python scripts/check_floors.py GOLD_DIR PRED.jsonl [--records MENTIONS EVENTS]
        [--floors eval-floors.json] [--set dev]

The scorers are the shared ones, GOLD_DIR/../../eval/score.py (per mention)
and records.py (per canonical record of a store: MENTIONS from `defcoop export
--format jsonl`, EVENTS from `defcoop events --format jsonl`), loaded by path so
that the numbers are exactly theirs. The floors live in eval-floors.json at the
repo root; they are only ever raised, except when the corpus itself changes.
Exit 1 names every floor that a score fell below.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

# Floor name -> (section, key) of the result of score.py's `score()`.
METRICS: dict[str, tuple[str, str]] = {
    "event_f1": ("events", "f1"),
    "strict_f1": ("strict", "f1"),
    "cluster_f1": ("clusters", "f1"),
}
DEFAULT_FLOORS = Path(__file__).resolve().parents[1] / "eval-floors.json"


def scorer_path(gold_dir: Path, name: str = "score.py") -> Path:
    """Where a shared scorer sits relative to a gold directory (shared/corpus/dev)."""
    return gold_dir / ".." / ".." / "eval" / name


def load_scorer(path: Path) -> ModuleType:
    """Import score.py or records.py from its path (scripts, not an installed package).

    records.py imports score.py as a sibling module, so the scorer folder goes on
    sys.path first.
    """
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(f"defcoop_shared_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def metric_values(
    result: dict[str, Any], records: dict[str, Any] | None = None
) -> dict[str, float]:
    """The floored metrics of a score.py result (and a records.py result), by floor name."""
    values = {name: float(result[section][key]) for name, (section, key) in METRICS.items()}
    if records is not None:
        values["record_f1"] = float(records["record"]["f1"])
    return values


def failed_floors(values: dict[str, float], floors: dict[str, float]) -> list[str]:
    """One line per floor that its metric fell below; empty when all hold."""
    return [
        f"{name} {values[name]:.4f} is below its floor {floor:.4f}"
        for name, floor in sorted(floors.items())
        if name in values and values[name] < floor
    ]


def record_lines(records: dict[str, Any]) -> list[str]:
    """A records.py result as a few readable lines."""
    fields = "  ".join(f"{name} {v:.3f}" for name, v in records["fields"].items())
    linked, right = records["linked"], records["record"]
    return [
        f"records {records['records']} for {records['gold_events']} gold events  "
        f"spurious {records['spurious']}  split {records['split']}  joined {records['joined']}",
        f"  fields of linked records: {fields}",
        f"  linked P {linked['precision']:.3f} R {linked['recall']:.3f} F1 {linked['f1']:.3f}",
        f"record F1 {right['f1']:.3f}  (P {right['precision']:.3f} R {right['recall']:.3f})",
    ]


def summary_lines(result: dict[str, Any]) -> list[str]:
    """The score as a few readable lines: events, per type, fields, clusters, strict."""
    e, s, c = result["events"], result["strict"], result["clusters"]
    lines = [
        f"reports {result['reports']}  events P {e['precision']:.3f} R {e['recall']:.3f} "
        f"F1 {e['f1']:.3f}  (tp {e['tp']} fp {e['fp']} fn {e['fn']}, "
        f"duplicates {result['duplicates']})"
    ]
    for name, t in result["per_type"].items():
        lines.append(
            f"  {name:<10} P {t['precision']:.3f} R {t['recall']:.3f} F1 {t['f1']:.3f}  "
            f"(tp {t['tp']} fp {t['fp']} fn {t['fn']})"
        )
    fields = "  ".join(f"{name} {v:.3f}" for name, v in result["fields"].items())
    lines.append(f"  fields on matched events: {fields}")
    lines.append(
        f"  cross-report clusters: P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f}"
    )
    lines.append(f"strict F1 {s['f1']:.3f}  event F1 {e['f1']:.3f}  cluster F1 {c['f1']:.3f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Score PRED.jsonl against GOLD_DIR, print the scores, return 1 if a floor dropped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", type=Path, help="directory of gold report files")
    parser.add_argument("pred", type=Path, help="predicted events, JSON Lines")
    parser.add_argument("--floors", type=Path, default=DEFAULT_FLOORS, help="floors file")
    parser.add_argument("--set", default="dev", help="which floors of the file to check")
    parser.add_argument(
        "--records",
        nargs=2,
        type=Path,
        metavar=("MENTIONS", "EVENTS"),
        help="a store's mentions and canonical events, JSON Lines, scored by records.py",
    )
    args = parser.parse_args(argv)

    score_py = scorer_path(args.gold_dir)
    if not score_py.is_file():
        print(f"check_floors: scorer not found at {score_py}", file=sys.stderr)
        return 2
    floors = json.loads(args.floors.read_text(encoding="utf-8"))[args.set]
    result = load_scorer(score_py).score(args.gold_dir, args.pred)
    print("\n".join(summary_lines(result)))
    records = None
    if args.records is not None:
        records_py = scorer_path(args.gold_dir, "records.py")
        records = load_scorer(records_py).score(args.gold_dir, *args.records)
        print("\n".join(record_lines(records)))
    elif "record_f1" in floors:
        print(f"check_floors: record_f1 has a floor; give --records ({args.set})", file=sys.stderr)
        return 2
    failures = failed_floors(metric_values(result, records), floors)
    for failure in failures:
        print(f"FLOOR DROPPED ({args.set}): {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
