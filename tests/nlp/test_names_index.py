"""The token-sequence name index: longest match first, gaps, case rules."""

from __future__ import annotations

from defcoop.nlp.names_index import NameIndex


def _index() -> NameIndex[str]:
    names = [("New York", "nyc"), ("New York Harbor", "harbor"), ("York", "york"), ("US", "usa")]
    return NameIndex(names)


def test_the_longest_name_at_a_token_wins() -> None:
    found = _index().find("Ships left New York Harbor for York.")
    assert [(m.text, m.values) for m in found] == [
        ("New York Harbor", ("harbor",)),
        ("York", ("york",)),
    ]


def test_a_gap_no_name_holds_ends_the_longer_names() -> None:
    # A comma cannot stand inside a name: "New, York" is no "New York".
    found = _index().find("New, York Harbor and New York.")
    assert [m.text for m in found] == ["York", "New York"]


def test_names_open_only_at_capitalized_tokens_written_as_listed() -> None:
    assert _index().find("new york and us") == []
    assert [m.values for m in _index().find("the US and new York")] == [("usa",), ("york",)]


def test_capitalized_tokens_computed_once_serve_every_index() -> None:
    from defcoop.nlp.names_index import capitalized, tokens

    text = "Ships left New York Harbor for York and the US."
    spans = tokens(text)
    starts = capitalized(text, spans)
    assert [first for _, first in starts] == ["ships", "new", "york", "harbor", "york", "us"]
    assert _index().find(text, spans=spans, starts=starts) == _index().find(text)


def test_a_word_is_read_as_written_each_time_it_recurs() -> None:
    index = _index()
    for _ in range(2):  # the second round reads the words from the index's memo
        assert index.find("Us and them.") == []
        assert [m.values for m in index.find("Them and US.")] == [("usa",)]
        assert [m.text for m in index.find("York, YORK.")] == ["York", "YORK"]


def test_a_refused_longer_name_hides_the_shorter_one_inside_it() -> None:
    index = NameIndex([("New Lisbon", "hidden"), ("Lisbon", "lisbon")])
    found = index.find("Sailors from New Lisbon met in Lisbon.", accept=lambda v: v != "hidden")
    assert [(m.text, m.values) for m in found] == [("Lisbon", ("lisbon",))]
    assert found[0].start == len("Sailors from New Lisbon met in ")
