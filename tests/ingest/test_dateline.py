"""Splitting the dateline off a text report."""

from __future__ import annotations

from datetime import date

from defcoop.ingest.dateline import split_dateline


def test_dateline_with_source_is_removed_with_the_blank_lines_after_it() -> None:
    result = split_dateline(" date 2022-01-21 By Fixture News\n\n\nFirst paragraph.\n")
    assert result.published == date(2022, 1, 21)
    assert result.source == "Fixture News"
    assert result.text == "First paragraph.\n"


def test_text_on_the_dateline_is_kept() -> None:
    result = split_dateline("\n date 2023-10-17 Armenian and French officers met in Paris.\n")
    assert result.published == date(2023, 10, 17)
    assert result.source is None
    assert result.text == "Armenian and French officers met in Paris.\n"


def test_partial_date_gives_the_first_day_of_its_period_only() -> None:
    result = split_dateline(" date 2019-09 Pilots from two countries flew together.")
    assert result.published is None
    assert result.period_start == date(2019, 9, 1)
    assert result.text == "Pilots from two countries flew together."


def test_text_without_dateline_is_kept_as_is() -> None:
    text = "\nBy Fixture News\n\nThe date 2022-01-01 is in the text.\n"
    result = split_dateline(text)
    assert result.text == text
    assert result.published is None


def test_impossible_date_is_not_a_dateline() -> None:
    text = " date 2022-02-30 Something."
    assert split_dateline(text).text == text
    assert split_dateline(text).published is None
