"""How a load into an empty store is cut into parts (`bulk.parts.plan_parts`)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from defcoop.bulk.parts import class_of, names_of, plan_parts, uncut_over
from defcoop.records import Mention


def _agreement(name: str | None, start: str | None, doc: str = "r1") -> Mention:
    return Mention(
        doc=doc,
        type="agreement",
        name=name,
        participants=("ARM", "GEO"),
        location=None,
        start=start,
        end=None,
        status="completed",
        evidence=(),
        published=date(2024, 5, 1),
    )


def _together(parts: list[list[list[str]]]) -> list[set[str]]:
    return [{name for piece in part for name in piece} for part in parts]


def test_an_undated_name_joins_the_years_its_name_was_told_in() -> None:
    dated = {
        "2019": _agreement("Quartz Accord", "2019-03-02"),
        "2020": _agreement("Saffron Compact", "2020-06-01"),
        "2021": _agreement("Quartz Accord", "2021-09-09"),
        "2022": _agreement(None, "2022-01-05"),
    }
    undated = _agreement("Quartz Accord", None)
    star = class_of(undated)
    assert star.startswith("agreement|*|")
    assert class_of(dated["2019"]) == "agreement|2019"
    counts = Counter({class_of(m): 10 for m in dated.values()})
    counts[star] = 3
    names = {class_of(m): set(names_of(m)) for m in [*dated.values(), undated] if m.name}
    parts = _together(plan_parts(counts, [], 12, names))
    joined = next(part for part in parts if star in part)
    assert joined == {star, "agreement|2019", "agreement|2021"}
    assert {"agreement|2020"} in parts and {"agreement|2022"} in parts


def test_an_undated_version_of_a_restated_mention_counts_its_name() -> None:
    """A mention told dated in 2020 and restated undated: its undated version's name
    joins the class of a dated telling of that name in 2023."""
    told = _agreement("Saffron Compact", "2020-06-01")
    restated = _agreement("Saffron Compact", None)
    other = _agreement("Saffron Compact", "2023-02-02", doc="r2")
    counts = Counter({"agreement|2020": 5, "agreement|2023": 5, "agreement|2024": 5})
    names = {"agreement|2023": set(names_of(other))}
    parts = _together(plan_parts(counts, [[told, restated]], 100, names))
    assert any({"agreement|2020", "agreement|2023", class_of(restated)} <= p for p in parts)
    # without the undated version, 2020 and 2023 are only packed together, never joined
    alone = plan_parts(counts, [], 6, names)
    assert all(len(part[0]) == 1 for part in alone)


def test_names_of_keeps_to_named_agreements() -> None:
    assert names_of(_agreement(None, "2020-01-01")) == frozenset()
    exercise = Mention(
        doc="r1",
        type="exercise",
        name="Quartz Shield",
        participants=("ARM", "GEO"),
        location=None,
        start="2020-01-01",
        end=None,
        status="completed",
        evidence=(),
        published=date(2024, 5, 1),
    )
    assert names_of(exercise) == frozenset()
    assert names_of(_agreement("Quartz Accord", None)) == names_of(
        _agreement("Quartz Accord", "2019-01-01")
    ) - {k for k in names_of(_agreement("Quartz Accord", "2019-01-01")) if "|2019|" in k}


def test_parts_past_their_bound_are_named() -> None:
    """A part of joined classes past four parts' worth is refused (the load then goes in
    slices); a part replayed a class at a time, or one class alone, is not."""
    counts = Counter({"agreement|2019": 30, "agreement|2020": 30, "exercise|2020": 90})
    star = class_of(_agreement("Quartz Accord", None))
    counts[star] = 2
    joined = [[["agreement|2019", "agreement|2020", star]]]
    why = uncut_over(joined, counts, 10)
    assert why is not None and "undated named agreements join 62" in why
    assert uncut_over(joined, counts, 20) is None  # 62 within four parts of 20
    in_pieces = [[["agreement|2019"], ["agreement|2020"]]]
    assert uncut_over(in_pieces, counts, 10) is None
    why = uncut_over(in_pieces, counts, 10, in_pieces=False)
    assert why is not None and why.startswith("re-dated mentions join 60")
    assert uncut_over([[["exercise|2020"]]], counts, 10) is None
