"""How a report's lead dates its news (our own sentences)."""

from __future__ import annotations

from datetime import date

from defcoop.pipeline import Extractor
from defcoop.records import Report


def _extract(text: str, published: date) -> list[tuple[str, str | None, str | None]]:
    report = Report(id="t", text=text, published=published)
    found = Extractor.from_package().extract(report).mentions
    return sorted((m.type, m.start, m.status) for m in found)


def test_a_coming_handover_is_not_the_delivery_of_last_year() -> None:
    text = (
        "Kenya will receive four patrol boats from France at the port of Mombasa next week. "
        "In March last year France delivered two patrol boats to Kenya."
    )
    found = _extract(text, date(2024, 5, 8))
    assert ("transfer", "2023-03", "completed") in found
    assert len([f for f in found if f[0] == "transfer"]) == 2


def test_the_deal_a_transfer_was_made_under_dates_no_transfer() -> None:
    text = (
        "Chile received two frigates from Australia on Monday. "
        "The transfer of these frigates follows the contract the two navies signed in "
        "November 2023. "
        "In November last year Australia handed over a patrol vessel to Chile."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 8))
    found = Extractor.from_package().extract(report).mentions
    told = sorted((m.start, len(m.evidence)) for m in found if m.type == "transfer")
    # The second sentence tells this week's transfer; its deal's date does not date it.
    assert told == [("2023-11", 1), ("2024-05-06", 2)]


def test_a_dated_lead_sentence_dates_the_news_the_next_one_tells() -> None:
    text = (
        "The Peruvian Navy will take three more units of the C-295 leased from Spain in Callao on "
        "Thursday. "
        "The aircraft will be handed over by the Spanish Navy to Peru."
    )
    found = _extract(text, date(2024, 5, 6))
    assert found == [("transfer", "2024-05-09", "planned")]
