"""Series as entities: the editions of a named drill across the years."""

from __future__ import annotations

from pathlib import Path

from disagreeing_reports import disagreeing_reports, earlier_editions

from defcoop.store.database import Store


def test_editions_of_a_series_are_linked_across_years(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        for extraction in [*disagreeing_reports(), *earlier_editions()]:
            store.add(extraction)
        listed = store.series()
        [by_name] = store.series("Lake Guard-2030")  # any edition's name finds the series
        missing = store.series("Steppe Sapper")
    assert [s.key for s in listed] == ["lakeguard"]
    lake = listed[0]
    assert lake == by_name and missing == []
    assert lake.name == "Lake Guard"
    assert lake.years == [2021, 2022, 2023]
    summary = lake.summary()
    assert (summary["editions"], summary["first_year"], summary["last_year"]) == (3, 2021, 2023)
    assert summary["participants"] == ["KAZ", "KGZ", "UZB"]
    assert summary["reports"] == 5
    editions = lake.as_json()["editions"]
    assert isinstance(editions, list)
    assert [(e["year"], e["start"]) for e in editions] == [
        (2021, "2021-05"),
        (2022, "2022-06-14"),
        (2023, "2023-03-06"),
    ]
    assert {e["series"] for e in editions} == {"lakeguard"}
