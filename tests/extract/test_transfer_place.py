"""Where a transfer is: the recipient's country, never the supplier's (our own sentences)."""

from __future__ import annotations

from datetime import date

from defcoop.pipeline import Extractor
from defcoop.records import Report


def test_a_delivery_is_located_at_its_recipient() -> None:
    text = "Four armoured vehicles from Canada were delivered to Latvia on Monday."
    report = Report(id="t", text=text, published=date(2024, 5, 10))
    found = Extractor.from_package().extract(report).mentions
    assert [(m.type, m.participants) for m in found] == [("transfer", ("CAN", "LVA"))]
    assert found[0].location is not None
    assert found[0].location.country == "LVA"


def test_the_supplier_named_with_from_is_no_place() -> None:
    text = "Ghana received two patrol boats from the United States on Friday."
    report = Report(id="t", text=text, published=date(2024, 5, 10))
    found = Extractor.from_package().extract(report).mentions
    assert len(found) == 1 and found[0].location is not None
    assert found[0].location.country == "GHA"


def test_a_town_of_many_namesakes_is_read_in_the_reports_country() -> None:
    text = (
        "Canada handed over two patrol boats to Ukraine on Monday. "
        "The boats reached the harbour of Odessa aboard a cargo ship, the navy said."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 10))
    found = Extractor.from_package().extract(report).mentions
    assert [m.location.country for m in found if m.location is not None] == ["UKR"]


def test_a_transfer_is_between_its_supplier_and_recipient() -> None:
    text = (
        "Kenya received four armoured vehicles from France on Monday, a model already "
        "sold to Chad, Niger, Mali and Benin."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 10))
    found = Extractor.from_package().extract(report).mentions
    assert [(m.type, m.participants) for m in found] == [("transfer", ("FRA", "KEN"))]


def test_a_country_only_place_gets_no_capitals_coordinates() -> None:
    text = "Norway delivered two patrol boats to Ghana on Monday."
    report = Report(id="t", text=text, published=date(2024, 5, 10))
    found = Extractor.from_package().extract(report).mentions
    assert len(found) == 1 and found[0].location is not None
    assert found[0].location.country == "GHA"
    assert (found[0].location.lat, found[0].location.lon) == (None, None)
