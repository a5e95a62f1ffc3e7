"""Deliveries listed with their dates are one transfer each (our own sentences)."""

from __future__ import annotations

from datetime import date

from defcoop.pipeline import Extractor
from defcoop.records import Report


def transfers(text: str) -> list[str | None]:
    report = Report(id="t", text=text, published=date(2024, 5, 10))
    found = Extractor.from_package().extract(report).mentions
    return sorted(m.start or "" for m in found if m.type == "transfer")


def test_each_dated_batch_is_a_transfer() -> None:
    text = (
        "Ghana already received two patrol boats from Germany in March 2021, four jets as "
        "the first batch in July 2022 and another four in January 2023."
    )
    assert transfers(text) == ["2021-03", "2022-07", "2023-01"]


def test_a_deal_and_a_delivery_are_not_a_list_of_batches() -> None:
    text = (
        "Ghana received four jets from Germany in January 2023 under a deal signed in March 2021."
    )
    assert transfers(text) == ["2023-01"]
