"""Cooperation events need a military subject: off-topic news gives none (our own text)."""

from __future__ import annotations

from datetime import date

import pytest

from defcoop.extract.topic import report_is_defence
from defcoop.pipeline import Extractor
from defcoop.records import Report

OFF_TOPIC = [
    "China and Australia signed a trade agreement on Monday to cut tariffs on wine.",
    "The foreign ministers of Germany and France met in Paris to discuss migration.",
    "Brazil beat Argentina 2-1 in the final of the continental competition on Sunday.",
    "The Spanish national team trained in Qatar ahead of the World Cup.",
    "Japan delivered 20 new trains to India under a railway deal signed in 2019.",
    "The presidents of Chile and Peru held talks on trade and fisheries in Lima.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_package()


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_off_topic_news_gives_no_event(extractor: Extractor, text: str) -> None:
    report = Report(id="t", text=text, published=date(2024, 1, 10))
    assert extractor.extract(report).mentions == ()


def test_the_same_acts_with_a_military_subject_are_events(extractor: Extractor) -> None:
    text = "The defence ministers of Chile and Peru held talks on naval cooperation in Lima."
    report = Report(id="t", text=text, published=date(2024, 1, 10))
    assert [m.type for m in extractor.extract(report).mentions] == ["meeting"]


def test_a_defence_report_carries_its_plainer_sentences() -> None:
    assert report_is_defence("Troops drilled. The army and navy trained. Then leaders met.")
    assert not report_is_defence("The leaders met to discuss trade and energy prices.")
