"""Cutting a report's text at the edges of the sentences to highlight."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from defcoop.api.highlight import Span, pieces


def test_pieces_put_the_text_back_together_and_mark_the_spans() -> None:
    text = "One. Two three. Four."
    cut = pieces(text, [Span(5, 15, "m1", "exercise")])
    assert "".join(p.text for p in cut) == text
    marked = [p for p in cut if p.covers]
    assert [p.text for p in marked] == ["Two three."]
    assert marked[0].keys == "m1" and marked[0].kinds == "k-exercise"
    assert marked[0].begins == (Span(5, 15, "m1", "exercise"),)


def test_overlapping_spans_share_the_overlap() -> None:
    cut = pieces("abcdefgh", [Span(0, 5, "m1", "meeting"), Span(3, 8, "m2", "transfer")])
    assert [(p.text, p.keys) for p in cut] == [("abc", "m1"), ("de", "m1 m2"), ("fgh", "m2")]
    assert cut[1].kinds == "k-meeting k-transfer"


def test_spans_outside_the_text_are_clipped_or_dropped() -> None:
    cut = pieces("short", [Span(3, 99, "m1"), Span(50, 60, "m2"), Span(2, 2, "m3")])
    assert [(p.text, p.keys) for p in cut] == [("sho", ""), ("rt", "m1")]


@given(
    text=st.text(max_size=40),
    spans=st.lists(
        st.tuples(st.integers(-5, 50), st.integers(-5, 50), st.sampled_from("abc")), max_size=5
    ),
)
def test_any_spans_keep_the_text_whole(text: str, spans: list[tuple[int, int, str]]) -> None:
    cut = pieces(text, [Span(a, b, key) for a, b, key in spans])
    assert "".join(p.text for p in cut) == text
    assert all(p.text for p in cut)
