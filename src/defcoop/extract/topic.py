"""Whether a report is about defence at all: cooperation events need a military subject.

A trade agreement, a football competition or a team's training camp shares the
words of our triggers ("signed an agreement", "competition", "trained in Qatar")
but not their subject. An event is kept when its own sentences speak of the
military, or when the report as a whole does.
"""

from __future__ import annotations

import itertools
import re

from defcoop.records import Mention

# Lower-case words that put a sentence in the military domain.
DEFENCE_WORDS = re.compile(
    r"\b(?:military|militaries|defen[cs]e|army|armies|navy|navies|naval|air ?forces?|"
    r"armed forces|troops|soldiers|servicemen|service ?members|marines|sailors|"
    r"weapons?|arms|armou?red|missiles?|drones?|uavs?|fighter(?: jets?)?|warships?|warplanes?|"
    r"frigates?|corvettes?|submarines?|tanks?|howitzers?|artillery|ammunition|"
    r"peacekeep\w*|counter-?terror\w*|cadets|commandos?|special forces|brigades?|battalions?|"
    r"regiments?|garrison|war ?games?|drills?|manoeuvres?|maneuvers?|nato|csto|"
    r"chiefs? of (?:the )?(?:general )?staff|general staff|security cooperation|war colleges?|"
    r"pilots?|helicopters?|aircraft|jets?|patrol (?:boats?|vessels?|ships?|planes?)|"
    r"minehunters?|coast ?guards?|border (?:guards?|troops|security)|security forces|"
    r"defen[cs]e minist\w+|officers? (?:of|from) the|instructors|joint exercises?)\b"
)
# How many such words make a whole report a defence report.
REPORT_WEIGHT = 3


def report_is_defence(text: str) -> bool:
    """Whether a report speaks of the military often enough to be about defence."""
    words = DEFENCE_WORDS.finditer(text.lower())
    return sum(1 for _ in itertools.islice(words, REPORT_WEIGHT)) >= REPORT_WEIGHT


def about_defence(mention: Mention, defence_report: bool) -> bool:
    """Whether a mention is defence cooperation: a military word in its sentences, or in
    a report about defence."""
    if defence_report:
        return True
    return any(DEFENCE_WORDS.search(e.text.lower()) for e in mention.evidence)
