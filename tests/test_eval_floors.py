"""The eval floors: the file is well formed, the check script enforces it, and the score holds it.

The slow tests run `defcoop extract` as a subprocess over the shared dev
corpus and over the two seed reports, score the output with the shared
score.py and assert every floor in eval-floors.json.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from defcoop.ingest.dateline import split_dateline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
DEV = SHARED / "corpus" / "dev"
SEEDS = SHARED / "seeds"
FLOORS_FILE = ROOT / "eval-floors.json"
# 000 carries no dateline; this is the date its report was published.
SEED_PUBLISHED = {"000": "2021-09-10"}


def load_check_floors() -> ModuleType:
    """scripts/check_floors.py, imported by path (scripts/ is not a package)."""
    path = ROOT / "scripts" / "check_floors.py"
    spec = importlib.util.spec_from_file_location("check_floors", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECK = load_check_floors()


def floors(name: str) -> dict[str, float]:
    """One section of eval-floors.json."""
    section: dict[str, float] = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))[name]
    return section


def result_with(event_f1: float, strict_f1: float, cluster_f1: float) -> dict[str, object]:
    """The parts of a score.py result that the floors read."""
    return {
        "events": {"f1": event_f1},
        "strict": {"f1": strict_f1},
        "clusters": {"f1": cluster_f1},
    }


def test_floors_file_has_every_floor_as_a_fraction() -> None:
    data = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"dev", "seeds"}
    assert set(data["dev"]) == {"event_f1", "strict_f1", "cluster_f1", "record_f1"}
    assert set(data["seeds"]) == {"event_f1", "strict_f1"}
    for section in data.values():
        for value in section.values():
            assert isinstance(value, int | float) and not isinstance(value, bool)
            assert 0.0 <= value <= 1.0


def test_failed_floors_names_each_dropped_floor() -> None:
    values = CHECK.metric_values(result_with(0.5, 0.2, 0.9))
    limits = {"event_f1": 0.4, "strict_f1": 0.3, "cluster_f1": 0.95}
    failures = CHECK.failed_floors(values, limits)
    assert [line.split()[0] for line in failures] == ["cluster_f1", "strict_f1"]
    assert CHECK.failed_floors(values, {"event_f1": 0.5}) == []


def test_scorer_path_is_beside_the_corpus() -> None:
    path = CHECK.scorer_path(Path("/x/shared/corpus/dev"))
    assert path.resolve() == Path("/x/shared/eval/score.py")
    records = CHECK.scorer_path(Path("/x/shared/corpus/dev"), "records.py")
    assert records.resolve() == Path("/x/shared/eval/records.py")


def test_record_f1_is_a_metric_only_with_a_records_result() -> None:
    result = result_with(0.9, 0.6, 0.95)
    assert "record_f1" not in CHECK.metric_values(result)
    values = CHECK.metric_values(result, {"record": {"f1": 0.42}})
    assert values["record_f1"] == 0.42
    assert CHECK.failed_floors(values, {"record_f1": 0.5}) == [
        "record_f1 0.4200 is below its floor 0.5000"
    ]


def write_floors(path: Path, event_f1: float) -> Path:
    """A floors file whose dev event F1 floor is `event_f1` and the rest zero."""
    data = {"dev": {"event_f1": event_f1, "strict_f1": 0.0, "cluster_f1": 0.0}}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_check_floors_exits_1_naming_the_dropped_floor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    score_py = SHARED / "eval" / "score.py"
    if not score_py.is_file():
        pytest.skip(f"shared scorer not found at {score_py}")
    gold = tmp_path / "corpus" / "dev"
    gold.mkdir(parents=True)
    (tmp_path / "eval").mkdir()
    shutil.copy(score_py, tmp_path / "eval" / "score.py")
    sentence = "Chilean and Peruvian marines held a landing drill near Arica on May 3."
    gold_event = {
        "type": "exercise",
        "participants": ["CHL", "PER"],
        "evidence": [sentence],
        "cluster": "chile-peru-landing",
    }
    report = {"id": "r1", "published": "2022-05-05", "text": sentence, "events": [gold_event]}
    (gold / "r1.json").write_text(json.dumps(report), encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    predicted = {"doc": "r1", "type": "exercise", "participants": ["CHL", "PER"]}
    pred.write_text(json.dumps({**predicted, "evidence": [sentence]}) + "\n", encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")

    high = write_floors(tmp_path / "high.json", 0.5)
    assert CHECK.main([str(gold), str(pred), "--floors", str(high)]) == 0
    assert "event F1 1.000" in capsys.readouterr().out
    assert CHECK.main([str(gold), str(empty), "--floors", str(high)]) == 1
    assert "event_f1 0.0000 is below its floor 0.5000" in capsys.readouterr().err


# --- the real score on the shared reports (slow) --------------------------------------


def run_extract(paths: list[Path], out: Path, published: str | None = None) -> None:
    """`defcoop extract PATH... --format jsonl`, exactly as a user runs it, into `out`."""
    command = [sys.executable, "-m", "defcoop", "extract", *map(str, paths), "--format", "jsonl"]
    if published is not None:
        command += ["--published", published]
    with out.open("w", encoding="utf-8") as stream:
        done = subprocess.run(
            command, stdout=stream, stderr=subprocess.PIPE, text=True, check=False
        )
    assert done.returncode == 0, done.stderr


def assert_floors(
    result: dict[str, object], limits: dict[str, float], records: dict[str, object] | None = None
) -> None:
    """Every floor holds; the message names those that dropped."""
    print("\n".join(CHECK.summary_lines(result)))
    values = CHECK.metric_values(result, records)
    assert set(limits) <= set(values), f"no score for the floors {set(limits) - set(values)}"
    failures = CHECK.failed_floors(values, limits)
    assert not failures, failures


def run_store_exports(paths: list[Path], workdir: Path) -> tuple[Path, Path]:
    """Ingest into a fresh store, then export its mentions and canonical events."""
    db = f"sqlite:///{workdir / 'eval.db'}"
    mentions, events = workdir / "mentions.jsonl", workdir / "events.jsonl"
    cli = [sys.executable, "-m", "defcoop"]
    steps: list[tuple[list[str], Path | None]] = [
        ([*cli, "ingest", *map(str, paths), "--db", db], None),
        ([*cli, "export", "--format", "jsonl", "--db", db], mentions),
        ([*cli, "events", "--format", "jsonl", "--db", db], events),
    ]
    for command, out in steps:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        if out is not None:
            out.write_text(done.stdout, encoding="utf-8")
    return mentions, events


def comparable(text: str) -> str:
    """A report text without its dateline line and with whitespace collapsed."""
    return " ".join(split_dateline(text).text.split())


@pytest.mark.slow
def test_dev_corpus_holds_the_dev_floors(tmp_path: Path) -> None:
    if not DEV.is_dir():
        pytest.skip(f"shared dev corpus not found at {DEV}")
    pred = tmp_path / "dev.jsonl"
    run_extract([DEV], pred)
    scorer = CHECK.load_scorer(CHECK.scorer_path(DEV))
    records_py = CHECK.scorer_path(DEV, "records.py")
    if not records_py.is_file():
        pytest.skip(f"shared records scorer not found at {records_py}")
    mentions, events = run_store_exports([DEV], tmp_path)
    records = CHECK.load_scorer(records_py).score(DEV, mentions, events)
    print("\n".join(CHECK.record_lines(records)))
    assert_floors(scorer.score(DEV, pred), floors("dev"), records)


@pytest.mark.slow
def test_seed_reports_hold_the_seed_floors(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not seeds or not DEV.is_dir():
        pytest.skip(f"shared seeds or dev corpus not found under {SHARED}")
    gold_by_text = {}
    for path in DEV.glob("*.json"):
        report = json.loads(path.read_text(encoding="utf-8"))
        gold_by_text[comparable(report["text"])] = (path, report["id"])
    # The seeds' gold is the dev report with the same text; its id replaces the file stem.
    gold = tmp_path / "gold"
    gold.mkdir()
    predictions: list[dict[str, object]] = []
    for seed in seeds:
        match = gold_by_text.get(comparable(seed.read_text(encoding="utf-8")))
        assert match is not None, f"no dev report has the text of {seed.name}"
        gold_path, gold_id = match
        shutil.copy(gold_path, gold / gold_path.name)
        out = tmp_path / f"{seed.stem}.jsonl"
        run_extract([seed], out, SEED_PUBLISHED.get(seed.stem.split("_")[0]))
        for line in out.read_text(encoding="utf-8").splitlines():
            if line.strip():
                predictions.append({**json.loads(line), "doc": gold_id})
    pred = tmp_path / "seeds.jsonl"
    pred.write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    scorer = CHECK.load_scorer(CHECK.scorer_path(DEV))
    result = scorer.score(gold, pred)
    assert result["reports"] == len(seeds)
    assert_floors(result, floors("seeds"))
