"""A transfer with no place is at its recipient, named or left beside its supplier (our text)."""

from __future__ import annotations

from defcoop.pipeline import extract


def test_the_country_beside_a_named_supplier_receives_the_goods() -> None:
    text = (
        "Six attack aircraft from the United States arrived on Thursday, Nigerian officials said."
    )
    (mention,) = extract(text, "2024-07-22")
    assert mention.type == "transfer"
    assert mention.participants == ("NGA", "USA")
    assert mention.location is not None
    assert (mention.location.name, mention.location.country) == (None, "NGA")
